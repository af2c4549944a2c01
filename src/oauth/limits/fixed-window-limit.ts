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

/**
 * Counts one event for `key` and says whether it is within the limit. The window starts with the
 * first event and is not extended by later ones (the store's increment), so a flood ends by itself.
 */
export async function consume(limit: FixedWindowLimit, key: string): Promise<LimitDecision> {
  const n = await limit.store.increment(limit.ns, key.slice(0, 200), limit.windowSeconds);
  return n <= limit.max ? { ok: true } : { ok: false, retryAfterSeconds: limit.windowSeconds };
}

/**
 * Counts the event in every limit at once (independent counters: with Redis or PostgreSQL the
 * round trips overlap instead of queueing) and answers with the first, in the given order, that refuses.
 */
export async function consumeAll(limits: readonly { limit: FixedWindowLimit; key: string }[]): Promise<LimitDecision> {
  const decisions = await Promise.all(limits.map(({ limit, key }) => consume(limit, key)));
  return decisions.find((d) => !d.ok) ?? { ok: true };
}
