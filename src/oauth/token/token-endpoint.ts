import { OAuthError } from '../../core/oauth-error.js';
import type { Params } from '../../core/params.js';
import { authenticateClient, type ClientAuthDeps } from '../client-auth/authenticate-client.js';
import type { AuthenticatedClient } from '../client-auth/client-auth-types.js';
import { authorizationCodeGrant, type CodeGrantDeps } from './authorization-code-grant.js';
import { refreshTokenGrant } from './refresh-token-grant.js';
import type { TokenResponse } from './issue-tokens.js';
import { verifyTokenRequestProof } from '../dpop/token-request-proof.js';

/**
 * POST /token: authenticate the client with its registered method, check the DPoP proof if one
 * was sent (RFC 9449 §5; `dpopProof` is the value of the single DPoP header), then run the grant.
 */
export async function tokenEndpoint(deps: CodeGrantDeps & ClientAuthDeps, authorization: string | undefined, body: Params, address = '', dpopProof?: string): Promise<TokenResponse> {
  const repeated = body.repeated();
  if (repeated.length > 0) throw new OAuthError('invalid_request', `repeated parameter: ${repeated.join(', ')}`, 'json');
  const grantType = body.get('grant_type');
  if (!grantType) throw new OAuthError('invalid_request', 'grant_type is missing', 'json');
  // The code grant applies the failed-authentication limit when it takes its code (one round trip).
  const auth = await authenticateClient(deps, authorization, body, address, { deferLimit: grantType === 'authorization_code' });
  if (!auth.limit) return grant(deps, auth, grantType, body, dpopProof);
  try {
    return await grant(deps, auth, grantType, body, dpopProof);
  } catch (e) {
    // Any other way out answers 429 while the limit holds, as the check before authentication
    // did: a request that fails early must not tell a right secret from a wrong one.
    await auth.limit.check();
    throw e;
  }
}

async function grant(deps: CodeGrantDeps & ClientAuthDeps, auth: AuthenticatedClient, grantType: string, body: Params, dpopProof: string | undefined): Promise<TokenResponse> {
  const dpop = await verifyTokenRequestProof(dpopProof, { issuer: deps.issuer, nowMs: deps.now(), replay: deps.ephemeral });
  switch (grantType) {
    case 'authorization_code':
      if (!auth.client.grant_types.includes('authorization_code')) throw new OAuthError('unauthorized_client', 'the client is not registered for authorization_code', 'json');
      return authorizationCodeGrant(deps, auth, body, dpop?.jkt);
    case 'refresh_token':
      if (!auth.client.grant_types.includes('refresh_token')) throw new OAuthError('unauthorized_client', 'the client is not registered for refresh_token', 'json');
      return refreshTokenGrant(deps, auth, body, dpop?.jkt);
    default:
      throw new OAuthError('unsupported_grant_type', 'supported grant types: authorization_code, refresh_token', 'json');
  }
}
