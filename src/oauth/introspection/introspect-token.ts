import { INTROSPECTION_AUTH_METHODS, INTROSPECTION_SCOPE } from '../../clients/introspection-scope-rule.js';
import { OAuthError } from '../../core/oauth-error.js';
import type { Params } from '../../core/params.js';
import { authenticateClient, type ClientAuthDeps } from '../client-auth/authenticate-client.js';
import { invalidClient } from '../client-auth/client-auth-types.js';
import { findGrantOfToken } from '../token-lookup.js';
import { accessTokenType } from '../dpop/token-binding.js';
import { introspectionVisibleNow } from '../../scopes/introspection-visibility.js';

export { INTROSPECTION_AUTH_METHODS, INTROSPECTION_SCOPE };

export interface IntrospectTokenDeps extends ClientAuthDeps {
  /** What the token lookup needs (signing keys, grants, the time, active clients). */
  lookup(): Parameters<typeof findGrantOfToken>[2];
  /**
   * Who may see a token (src/scopes/introspection-visibility.ts): the organisation of a token's
   * client, and the owner organisations of API scopes (built-in and unknown scopes are absent).
   */
  visibility: {
    clientOrgno(clientId: string): Promise<string | undefined>;
    owners(scopes: readonly string[]): Promise<Map<string, string>>;
  };
}

/** The introspection response (RFC 7662 §2.2): `active` is authoritative. */
export type IntrospectionResponse = { active: false } | ({ active: true } & Record<string, unknown>);

/**
 * POST /token/introspect (RFC 7662 §2, spec §13.2). Only a confidential client that authenticates
 * with its registered method (401 invalid_client otherwise, also for `none`) and holds the scope
 * idporten:token.introspection (403 otherwise) may ask, and it sees a token as active only when
 * it is the token's client, of the same organisation, or the owner of one of the token's API
 * scopes (RFC 7662 §2.2 lets the server answer inactive to a caller that may not learn about the
 * token). Throws OAuthError (delivery 'json').
 */
export async function introspectToken(deps: IntrospectTokenDeps, authorization: string | undefined, body: Params, address = ''): Promise<IntrospectionResponse> {
  const auth = await authenticateClient(deps, authorization, body, address);
  if (!INTROSPECTION_AUTH_METHODS.includes(auth.method)) {
    throw invalidClient(`introspection requires client authentication (${INTROSPECTION_AUTH_METHODS.join(', ')})`);
  }
  if (!auth.client.scopes.includes(INTROSPECTION_SCOPE)) {
    throw new OAuthError('insufficient_scope', `the client needs the scope ${INTROSPECTION_SCOPE}`, 'json', 403);
  }
  const token = body.get('token');
  if (!token || body.isRepeated('token')) throw new OAuthError('invalid_request', 'token is missing or repeated', 'json');
  const lookup = deps.lookup();
  const found = await findGrantOfToken(token, body.get('token_type_hint'), lookup);
  const now = lookup.nowMs;
  if (!found || found.grant.revoked || found.grant.expiresAt <= now) return { active: false };
  const tokenScope = found.kind === 'access_token' ? String(found.claims.scope ?? '') : found.grant.scope;
  if (!(await introspectionVisibleNow(auth.client, { client_id: found.grant.clientId, scope: tokenScope }, deps.visibility))) return { active: false };
  if (found.kind === 'access_token') {
    const exp = Number(found.claims.exp);
    return { active: true, token_type: accessTokenType(found.claims), expires_in: Math.max(0, exp - Math.floor(now / 1000)), ...found.claims };
  }
  if (found.used || found.expiresAt <= now) return { active: false };
  const g = found.grant;
  return {
    active: true, token_type: 'refresh_token', client_id: g.clientId, scope: g.scope, sub: g.sub,
    exp: Math.floor(found.expiresAt / 1000), iat: Math.floor(g.createdAt / 1000), iss: deps.issuer,
  };
}
