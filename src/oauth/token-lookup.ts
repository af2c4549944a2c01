import { sha256b64url } from '../core/random.js';
import type { Grant } from '../store/ports.js';
import { verifyAccessToken } from './bearer-token.js';

/**
 * Finds the grant behind a token we issued, whether an access token (JWT) or a refresh token
 * (opaque). Used by revocation and introspection.
 */
export async function findGrantOfToken(
  token: string, hint: string | undefined, deps: Parameters<typeof verifyAccessToken>[1],
): Promise<{ kind: 'access_token'; grant: Grant; claims: Record<string, unknown> } | { kind: 'refresh_token'; grant: Grant; expiresAt: number; used: boolean } | undefined> {
  if (token.length > 16_384) return undefined;
  const tryAccess = async () => {
    const at = await verifyAccessToken(token, deps);
    return at ? { kind: 'access_token' as const, grant: at.grant, claims: at.claims } : undefined;
  };
  const tryRefresh = async () => {
    const rec = await deps.grants.getRefreshToken(sha256b64url(token));
    if (!rec) return undefined;
    const grant = await deps.grants.getGrant(rec.grantId);
    return grant ? { kind: 'refresh_token' as const, grant, expiresAt: rec.expiresAt, used: rec.used } : undefined;
  };
  if (hint === 'refresh_token') return (await tryRefresh()) ?? tryAccess();
  return (await tryAccess()) ?? tryRefresh();
}
