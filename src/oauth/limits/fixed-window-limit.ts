import type { EphemeralStore, ShortLivedKind } from '../../store/ports.js';

/** A limit of `max` events per key in a fixed window, counted atomically in the short-lived store. */
export interface FixedWindowLimit {
  store: EphemeralStore;
  /** The counter's namespace, e.g. `rl-authorize`. */
  ns: ShortLivedKind;
  max: number;
  windowSeconds: number;
}

export type LimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Counter keys are cut to a bounded length (an address or a hash, normally). */
const counterKey = (key: string) => key.slice(0, 200);

const decide = (limit: FixedWindowLimit, n: number): LimitDecision =>
  n <= limit.max ? { ok: true } : { ok: false, retryAfterSeconds: limit.windowSeconds };

/**
 * Counts one event for `key` and says whether it is within the limit. The window starts with the
 * first event and is not extended by later ones (the store's increment), so a flood ends by itself.
 */
export async function consume(limit: FixedWindowLimit, key: string): Promise<LimitDecision> {
  return decide(limit, await limit.store.increment(limit.ns, counterKey(key), limit.windowSeconds));
}

/**
 * Counts the event in every limit, and answers with the first, in the given order, that refuses.
 * The limits of one store are counted together (its incrementAll: one round trip), so every
 * counter counts the event whichever refuses.
 */
export async function consumeAll(limits: readonly { limit: FixedWindowLimit; key: string }[]): Promise<LimitDecision> {
  const byStore = new Map<EphemeralStore, number[]>();
  for (const [i, { limit }] of limits.entries()) byStore.set(limit.store, [...(byStore.get(limit.store) ?? []), i]);
  const counts: number[] = new Array(limits.length);
  await Promise.all([...byStore].map(async ([store, indexes]) => {
    const ns = await store.incrementAll(indexes.map((i) => ({ ns: limits[i]!.limit.ns, key: counterKey(limits[i]!.key), ttlSeconds: limits[i]!.limit.windowSeconds })));
    indexes.forEach((i, j) => { counts[i] = ns[j]!; });
  }));
  return limits.map(({ limit }, i) => decide(limit, counts[i]!)).find((d) => !d.ok) ?? { ok: true };
}
