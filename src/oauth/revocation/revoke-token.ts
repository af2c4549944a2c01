import { OAuthError } from '../../core/oauth-error.js';
import type { Params } from '../../core/params.js';
import { authenticateClient, type ClientAuthDeps } from '../client-auth/authenticate-client.js';
import { findGrantOfToken } from '../token-lookup.js';
import type { GrantStore } from '../../store/ports.js';

export interface RevokeTokenDeps extends ClientAuthDeps {
  /** What the token lookup needs (signing keys, grants, the time, active clients). */
  lookup(): Parameters<typeof findGrantOfToken>[2];
  grants: Pick<GrantStore, 'revokeGrant'>;
}

/**
 * POST /token/revoke (RFC 7009 §2, spec §13.1): the client authenticates as at the token endpoint;
 * revoking an access or refresh token revokes its whole grant. Tokens of other clients and unknown
 * tokens are a no-op, answered like a success (RFC 7009 §2.2). Throws OAuthError (delivery 'json').
 */
export async function revokeToken(deps: RevokeTokenDeps, authorization: string | undefined, body: Params, address = ''): Promise<{ revoked: boolean }> {
  const auth = await authenticateClient(deps, authorization, body, address);
  if (body.isRepeated('token')) throw new OAuthError('invalid_request', 'token is repeated', 'json');
  const token = body.get('token');
  if (!token) throw new OAuthError('invalid_request', 'token is missing', 'json');
  const found = await findGrantOfToken(token, body.get('token_type_hint'), deps.lookup());
  if (!found || found.grant.clientId !== auth.client.client_id) return { revoked: false };
  await deps.grants.revokeGrant(found.grant.id);
  return { revoked: true };
}
