import type { Clock } from '../core/clock.js';
import type { KeyStore, SigningKeyRecord } from '../store/ports.js';
import { generateSigningKey } from './signing-keys.js';

export interface RotationPolicy {
  /** A current key is replaced after this long. */
  rotateAfterMs: number;
  /** The next key must have been published at least this long (the documented JWKS cache period) before it signs. */
  publishAheadMs: number;
  /** Retired keys stay published this long, longer than any token they signed lives. */
  keepRetiredMs: number;
}

const DEFAULT_ROTATION: RotationPolicy = {
  rotateAfterMs: 90 * 24 * 3600_000,
  publishAheadMs: 24 * 3600_000,
  keepRetiredMs: 48 * 3600_000,
};

/** The policy of the configuration's `keys` section (days and hours), as the server and the CLI use it. */
export function rotationPolicyFrom(keys: { rotate_after_days: number; publish_ahead_hours: number; keep_retired_hours: number }): RotationPolicy {
  return {
    rotateAfterMs: keys.rotate_after_days * 24 * 3600_000,
    publishAheadMs: keys.publish_ahead_hours * 3600_000,
    keepRetiredMs: keys.keep_retired_hours * 3600_000,
  };
}

export class RotationRefused extends Error {
  override name = 'RotationRefused';
}

/** Pure: the keys to act on now. */
function rotationPlan(keys: SigningKeyRecord[], now: number, p: RotationPolicy): { due: boolean; current?: SigningKeyRecord; next?: SigningKeyRecord; expired: SigningKeyRecord[] } {
  const current = keys.filter((k) => k.state === 'current').sort((a, b) => a.createdAt - b.createdAt)[0];
  const next = keys.filter((k) => k.state === 'next').sort((a, b) => a.createdAt - b.createdAt)[0];
  const expired = keys.filter((k) => k.state === 'retired' && (k.publishUntil ?? 0) <= now);
  const due = !!current && !!next && now >= (current.activatedAt ?? current.createdAt) + p.rotateAfterMs && now >= next.createdAt + p.publishAheadMs;
  return { due, current, next, expired };
}

/**
 * Signing-key lifecycle: there is always a `next` key published in the JWKS before it signs; on
 * rotation it becomes `current`, the old current is `retired` and stays published until every
 * token it signed has expired, and a fresh `next` is generated.
 */
export class KeyRotation {
  constructor(private readonly store: KeyStore, private readonly clock: Clock, readonly policy: RotationPolicy = DEFAULT_ROTATION) {}

  /** Makes sure a current and a next key exist, and drops retired keys past their publication. */
  async ensureKeys(): Promise<void> {
    let keys = await this.store.listSigningKeys();
    if (!keys.some((k) => k.state === 'current')) {
      await this.store.insertSigningKey(await generateSigningKey(this.clock, 'current'));
      keys = await this.store.listSigningKeys();
    }
    if (!keys.some((k) => k.state === 'next')) await this.store.insertSigningKey(await generateSigningKey(this.clock, 'next'));
    for (const k of rotationPlan(keys, this.clock.now(), this.policy).expired) await this.store.deleteSigningKey(k.kid);
  }

  /**
   * Promotes the next key. Refused when the next key has not been published for the JWKS cache
   * period yet (a client with a cached JWKS would meet an unknown kid), unless forced.
   */
  async rotate(opts: { force?: boolean } = {}): Promise<{ retired: string; current: string; next: string }> {
    await this.ensureKeys();
    const now = this.clock.now();
    const plan = rotationPlan(await this.store.listSigningKeys(), now, this.policy);
    const { current, next } = plan;
    if (!current || !next) throw new Error('no current or next key');
    if (!opts.force && now < next.createdAt + this.policy.publishAheadMs) {
      throw new RotationRefused(`the next key ${next.kid} has been published for less than ${Math.round(this.policy.publishAheadMs / 3600_000)} h; clients caching the JWKS may not know it yet (use --force to rotate anyway)`);
    }
    await this.store.updateSigningKey(next.kid, { state: 'current', activatedAt: now });
    await this.store.updateSigningKey(current.kid, { state: 'retired', publishUntil: now + this.policy.keepRetiredMs });
    const fresh = await generateSigningKey(this.clock, 'next');
    await this.store.insertSigningKey(fresh);
    return { retired: current.kid, current: next.kid, next: fresh.kid };
  }

  /** Rotates when the schedule says so; returns whether it did. */
  async maybeRotate(): Promise<boolean> {
    await this.ensureKeys();
    const plan = rotationPlan(await this.store.listSigningKeys(), this.clock.now(), this.policy);
    if (!plan.due) return false;
    await this.rotate();
    return true;
  }
}
