/**
 * By-reference (opaque) access tokens (spec §4: a scope with token_type OPAQUE): a random string
 * that means nothing by itself. The grant store maps its hash to the grant (so revoking the grant
 * revokes it, like a JWT's jti), and its claims are kept under the same hash, until it expires,
 * for userinfo and introspection (RFC 7662). Only the hash is ever stored.
 */
import { randomId, sha256b64url } from '../core/random.js';
import type { EphemeralStore } from '../store/ports.js';
import { shortLived } from '../store/short-lived.js';

const claimsOf = (store: EphemeralStore) => shortLived<Record<string, unknown>>(store, 'opaque-at');

/** Our opaque access tokens: 43 base64url characters (256 bits), never containing a dot. */
export function looksOpaque(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

export function newOpaqueToken(): { token: string; key: string } {
  const token = randomId(32);
  return { token, key: sha256b64url(token) };
}

export const opaqueTokenKey = (token: string) => sha256b64url(token);

export async function saveOpaqueClaims(store: EphemeralStore, key: string, claims: Record<string, unknown>, ttlSeconds: number): Promise<void> {
  await claimsOf(store).put(key, claims, Math.max(1, ttlSeconds));
}

export async function loadOpaqueClaims(store: EphemeralStore, key: string): Promise<Record<string, unknown> | undefined> {
  return claimsOf(store).get(key);
}
