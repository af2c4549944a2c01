import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { EphemeralStore, Grant, GrantStore } from '../store/ports.js';
import { loadOpaqueClaims, looksOpaque, opaqueTokenKey } from '../scopes/opaque-access-token.js';
import type { SigningKeys } from '../tokens/signing-keys.js';
import { ACCESS_TOKEN_TYP } from '../tokens/token-claims.js';

export interface ActiveAccessToken {
  claims: Record<string, unknown>;
  grant: Grant;
}

/**
 * Checks one of our own JWT access tokens: signature by a published key, typ at+jwt, issuer,
 * expiry, that its grant is neither revoked (revocation, logout, code reuse) nor expired, and (with
 * `isClientActive`) that its client has not been deactivated.
 */
export async function verifyAccessToken(
  token: string,
  deps: {
    keys: SigningKeys; grants: GrantStore; issuer: string; nowMs: number;
    /** Whether the token's client is still active: a deactivated client's tokens stop being accepted (spec §15.3). */
    isClientActive?: (clientId: string) => Promise<boolean>;
    /** Where opaque access tokens' claims are kept; without it only JWTs are accepted. */
    ephemeral?: EphemeralStore;
  },
): Promise<ActiveAccessToken | undefined> {
  if (token.length > 16_384) return undefined;
  if (deps.ephemeral && looksOpaque(token)) return verifyOpaqueAccessToken(token, deps as typeof deps & { ephemeral: EphemeralStore });
  try {
    const header = decodeProtectedHeader(token);
    if (header.typ !== ACCESS_TOKEN_TYP || header.alg !== 'RS256' || !header.kid) return undefined;
    const key = deps.keys.verificationKey(header.kid);
    if (!key) return undefined;
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['RS256'], issuer: deps.issuer, typ: ACCESS_TOKEN_TYP, currentDate: new Date(deps.nowMs),
    });
    if (typeof payload.jti !== 'string') return undefined;
    const grantId = await deps.grants.getAccessTokenGrant(payload.jti);
    if (!grantId) return undefined;
    const grant = await deps.grants.getGrant(grantId);
    if (!grant || grant.revoked || grant.expiresAt <= deps.nowMs) return undefined;
    if (deps.isClientActive && !(await deps.isClientActive(grant.clientId))) return undefined;
    return { claims: payload as Record<string, unknown>, grant };
  } catch {
    return undefined;
  }
}

/** An opaque access token (spec §4): known by its hash, with its claims, grant, expiry and client checked as for a JWT. */
async function verifyOpaqueAccessToken(
  token: string, deps: Parameters<typeof verifyAccessToken>[1] & { ephemeral: EphemeralStore },
): Promise<ActiveAccessToken | undefined> {
  const key = opaqueTokenKey(token);
  const claims = await loadOpaqueClaims(deps.ephemeral, key);
  if (!claims || typeof claims.exp !== 'number' || claims.exp * 1000 <= deps.nowMs) return undefined;
  const grantId = await deps.grants.getAccessTokenGrant(key);
  if (!grantId) return undefined;
  const grant = await deps.grants.getGrant(grantId);
  if (!grant || grant.revoked || grant.expiresAt <= deps.nowMs) return undefined;
  if (deps.isClientActive && !(await deps.isClientActive(grant.clientId))) return undefined;
  return { claims, grant };
}
