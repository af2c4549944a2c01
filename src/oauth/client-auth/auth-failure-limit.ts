import { OAuthError } from '../../core/oauth-error.js';
import type { CounterLimit, EphemeralStore } from '../../store/ports.js';
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
  if (typeof n === 'number' && n >= limit.maxFailures) throw limitedError(limit);
}

/** 429 invalid_client with Retry-After: the answer while the limit holds. */
export function limitedError(limit: FailureLimit): OAuthError {
  return new OAuthError('invalid_client', 'too many failed client authentications; try again later', 'json', 429, { 'Retry-After': String(limit.windowSeconds) });
}

/** Counts a failed authentication; the count in the window so far. */
export async function recordFailure(limit: FailureLimit, clientId: string, address: string): Promise<number> {
  return shortLivedCounter(limit.store, 'rl-client-auth').increment(key(clientId, address), limit.windowSeconds);
}

/**
 * The limit as a condition on the step that uses the authentication (EphemeralStore.write's
 * `unless`), so that the check and that step take one round trip: the code grant takes its code
 * only while the limit does not hold (src/oauth/token/authorization-code-grant.ts).
 */
export function limitCondition(limit: FailureLimit, clientId: string, address: string): CounterLimit {
  return { ns: 'rl-client-auth', key: key(clientId, address), atLeast: limit.maxFailures };
}

const key = (clientId: string, address: string) => `${clientId.slice(0, 200)}\n${address}`;
