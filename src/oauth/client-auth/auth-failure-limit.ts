import { OAuthError } from '../../core/oauth-error.js';
import type { EphemeralStore } from '../../store/ports.js';
import { shortLivedCounter } from '../../store/short-lived.js';


export interface FailureLimit {
  store: EphemeralStore;
  /** Failed client authentications allowed per client and address in one window. */
  maxFailures: number;
  windowSeconds: number;
}

/**
 * Slows down secret and assertion guessing: after `maxFailures` failed authentications of one
 * client_id from one address within the window, further attempts get 429 until it ends. Counted
 * per address, so an attacker elsewhere cannot lock a client out.
 */
export async function checkNotLimited(limit: FailureLimit, clientId: string, address: string): Promise<void> {
  const n = await shortLivedCounter(limit.store, 'rl-client-auth').get(key(clientId, address));
  if (typeof n === 'number' && n >= limit.maxFailures) {
    throw new OAuthError('invalid_client', 'too many failed client authentications; try again later', 'json', 429, { 'Retry-After': String(limit.windowSeconds) });
  }
}

export async function recordFailure(limit: FailureLimit, clientId: string, address: string): Promise<void> {
  await shortLivedCounter(limit.store, 'rl-client-auth').increment(key(clientId, address), limit.windowSeconds);
}

const key = (clientId: string, address: string) => `${clientId.slice(0, 200)}\n${address}`;
