import type { CounterLimit, EphemeralStore, ShortLivedKey, ShortLivedKind, ShortLivedPut, ShortLivedWrites } from './ports.js';

/** One kind of short-lived record (src/store/ports.ts ShortLivedKind), typed once where it is defined. */
export interface ShortLived<T> {
  readonly kind: ShortLivedKind;
  put(key: string, value: T, ttlSeconds: number): Promise<void>;
  get(key: string): Promise<T | undefined>;
  /** Atomically read and delete: of two concurrent callers, at most one gets the record. */
  take(key: string): Promise<T | undefined>;
  /** Store only if absent (or expired); true when this call stored it. */
  add(key: string, value: T, ttlSeconds: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  count(): Promise<number>;
  /** This kind's record, for a step of several writes (EphemeralStore.write). */
  record(key: string, value: T, ttlSeconds: number): ShortLivedPut;
  ref(key: string): ShortLivedKey;
  /** Takes the record and, only when it was there, makes `writes` in the same step (one round trip). */
  takeAndWrite(key: string, writes: ShortLivedWrites): Promise<T | undefined>;
  /** As takeAndWrite, but neither takes nor writes while the counter `unless` is at its bound (`refused`). */
  takeAndWriteUnless(key: string, writes: ShortLivedWrites, unless: CounterLimit): Promise<{ value?: T; refused: boolean }>;
}

/** A fixed-window counter kind (rate limits): increment starts the window, later ones do not extend it. */
export interface ShortLivedCounter {
  readonly kind: ShortLivedKind;
  increment(key: string, ttlSeconds: number): Promise<number>;
  get(key: string): Promise<number | undefined>;
}

/** The typed handle of one kind of record in a short-lived store. */
export function shortLived<T>(store: EphemeralStore, kind: ShortLivedKind): ShortLived<T> {
  return {
    kind,
    put: (key, value, ttl) => store.put(kind, key, value, ttl),
    get: async (key) => (await store.get(kind, key)) as T | undefined,
    take: async (key) => (await store.take(kind, key)) as T | undefined,
    add: (key, value, ttl) => store.add(kind, key, value, ttl),
    delete: (key) => store.delete(kind, key),
    count: () => store.count(kind),
    record: (key, value, ttlSeconds) => ({ ns: kind, key, value, ttlSeconds }),
    ref: (key) => ({ ns: kind, key }),
    takeAndWrite: async (key, writes) => {
      if (!writes.put?.length && !writes.remove?.length) return (await store.take(kind, key)) as T | undefined;
      return (await store.write({ ...writes, take: { ns: kind, key } })).taken as T | undefined;
    },
    takeAndWriteUnless: async (key, writes, unless) => {
      const r = await store.write({ ...writes, take: { ns: kind, key }, unless });
      return r.refused ? { refused: true } : { ...(r.taken !== undefined ? { value: r.taken as T } : {}), refused: false };
    },
  };
}

/** Several steps' writes as one (their keys must differ). */
export function joinWrites(...parts: readonly ShortLivedWrites[]): ShortLivedWrites {
  return { remove: parts.flatMap((p) => p.remove ?? []), put: parts.flatMap((p) => p.put ?? []) };
}

export function shortLivedCounter(store: EphemeralStore, kind: ShortLivedKind): ShortLivedCounter {
  return {
    kind,
    increment: (key, ttl) => store.increment(kind, key, ttl),
    get: async (key) => {
      const n = await store.get(kind, key);
      return typeof n === 'number' ? n : undefined;
    },
  };
}
