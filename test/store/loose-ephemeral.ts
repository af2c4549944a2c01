import type { EphemeralStore, ShortLivedKind, ShortLivedWrites } from '../../src/store/ports.js';

/** ShortLivedWrites with any namespace. */
export interface LooseWrites {
  remove?: readonly { ns: string; key: string }[];
  put?: readonly { ns: string; key: string; value: unknown; ttlSeconds: number }[];
}

/**
 * The raw EphemeralStore port with any namespace and a chosen result type, for the tests of the
 * adapters themselves (namespace separation, expiry, atomicity with made-up namespaces). Protocol
 * code reaches the store only through the typed handles of src/store/short-lived.ts.
 */
export function loose(store: EphemeralStore) {
  const k = (ns: string) => ns as ShortLivedKind;
  const writes = (w: LooseWrites): ShortLivedWrites => ({
    ...(w.remove ? { remove: w.remove.map((r) => ({ ...r, ns: k(r.ns) })) } : {}),
    ...(w.put ? { put: w.put.map((p) => ({ ...p, ns: k(p.ns) })) } : {}),
  });
  return {
    put: (ns: string, key: string, value: unknown, ttl: number) => store.put(k(ns), key, value, ttl),
    get: async <T = unknown>(ns: string, key: string) => (await store.get(k(ns), key)) as T | undefined,
    take: async <T = unknown>(ns: string, key: string) => (await store.take(k(ns), key)) as T | undefined,
    add: (ns: string, key: string, value: unknown, ttl: number) => store.add(k(ns), key, value, ttl),
    delete: (ns: string, key: string) => store.delete(k(ns), key),
    increment: (ns: string, key: string, ttl: number) => store.increment(k(ns), key, ttl),
    incrementAll: (counters: readonly { ns: string; key: string; ttlSeconds: number; max?: number }[], within?: LooseWrites) =>
      store.incrementAll(counters.map((c) => ({ ...c, ns: k(c.ns) })), within && writes(within)),
    write: (w: LooseWrites & { take?: { ns: string; key: string }; unless?: { ns: string; key: string; atLeast: number } }) =>
      store.write({ ...writes(w), ...(w.take ? { take: { ...w.take, ns: k(w.take.ns) } } : {}), ...(w.unless ? { unless: { ...w.unless, ns: k(w.unless.ns) } } : {}) }),
    count: (ns: string) => store.count(k(ns)),
  };
}
