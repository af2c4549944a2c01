import type { EphemeralStore } from '../../store/ports.js';

/** A limit of `max` events per key in a fixed window, counted atomically in the short-lived store. */
export interface FixedWindowLimit {
  store: EphemeralStore;
  /** The counter's namespace, e.g. `rl-authorize`. */
  ns: string;
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

/** The first limit that refuses, trying each in order (every counter counts the event). */
export async function consumeAll(limits: readonly { limit: FixedWindowLimit; key: string }[]): Promise<LimitDecision> {
  let refused: LimitDecision = { ok: true };
  for (const { limit, key } of limits) {
    const d = await consume(limit, key);
    if (!d.ok && refused.ok) refused = d;
  }
  return refused;
}
