import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { Grant, GrantStore } from '../store/ports.js';
import type { SigningKeys } from '../tokens/signing-keys.js';

interface ActiveAccessToken {
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
  },
): Promise<ActiveAccessToken | undefined> {
  if (token.length > 16_384) return undefined;
  try {
    const header = decodeProtectedHeader(token);
    if (header.typ !== 'at+jwt' || header.alg !== 'RS256' || !header.kid) return undefined;
    const key = deps.keys.verificationKey(header.kid);
    if (!key) return undefined;
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['RS256'], issuer: deps.issuer, typ: 'at+jwt', currentDate: new Date(deps.nowMs),
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
