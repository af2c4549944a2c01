import type { EphemeralStore, ShortLivedKind, ShortLivedWrites } from '../../store/ports.js';

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
 * counter counts the event whichever refuses. `then` is written only when none refuses: in the
 * same step when every limit is on its store, else after the counting.
 */
export async function consumeAll(
  limits: readonly { limit: FixedWindowLimit; key: string }[],
  then?: { store: EphemeralStore; writes: ShortLivedWrites },
): Promise<LimitDecision> {
  const byStore = new Map<EphemeralStore, number[]>();
  for (const [i, { limit }] of limits.entries()) byStore.set(limit.store, [...(byStore.get(limit.store) ?? []), i]);
  const together = then !== undefined && byStore.size <= 1 && (byStore.size === 0 || byStore.has(then.store));
  if (together && byStore.size === 0) {
    await then.store.write(then.writes);
    return { ok: true };
  }
  const counts: number[] = new Array(limits.length);
  await Promise.all([...byStore].map(async ([store, indexes]) => {
    const counters = indexes.map((i) => ({ ns: limits[i]!.limit.ns, key: counterKey(limits[i]!.key), ttlSeconds: limits[i]!.limit.windowSeconds, max: limits[i]!.limit.max }));
    const ns = await store.incrementAll(counters, together ? then.writes : undefined);
    indexes.forEach((i, j) => { counts[i] = ns[j]!; });
  }));
  const decision = limits.map(({ limit }, i) => decide(limit, counts[i]!)).find((d) => !d.ok) ?? { ok: true };
  if (then && !together && decision.ok) await then.store.write(then.writes);
  return decision;
}
