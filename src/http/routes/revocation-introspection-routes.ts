import type { FastifyInstance } from 'fastify';
import { OAuthError } from '../../core/oauth-error.js';
import { Params } from '../../core/params.js';
import type { Services } from '../../services.js';
import { authenticateClient } from '../../oauth/client-auth/authenticate-client.js';
import { findGrantOfToken } from '../../oauth/token-lookup.js';
import { sendNoStoreJson, sendOAuthError } from '../respond.js';
import { introspectionVisibleNow } from '../../scopes/introspection-visibility.js';

export const INTROSPECTION_SCOPE = 'idporten:token.introspection';

/** POST /token/revoke (RFC 7009) and POST /token/introspect (RFC 7662), spec §13. */
export function revocationIntrospectionRoutes(app: FastifyInstance, s: Services): void {
  const authDeps = { registry: s.registry, replay: s.stores.ephemeral, issuer: s.config.issuer, now: () => s.clock.now(), failureLimit: s.clientAuthFailureLimit };
  const lookupDeps = () => ({ keys: s.keys, grants: s.stores.grants, issuer: s.config.issuer, nowMs: s.clock.now(), isClientActive: async (id: string) => !!(await s.registry.getActive(id)), ephemeral: s.stores.ephemeral });

  app.post('/token/revoke', async (req, reply) => {
    if (!(req.body instanceof Params)) return sendOAuthError(reply, new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded', 'json'));
    const body = req.body;
    const auth = await authenticateClient(authDeps, req.headers.authorization, body, req.ip);
    if (body.isRepeated('token')) return sendOAuthError(reply, new OAuthError('invalid_request', 'token is repeated', 'json'));
    const token = body.get('token');
    if (!token) return sendOAuthError(reply, new OAuthError('invalid_request', 'token is missing', 'json'));
    const found = await findGrantOfToken(token, body.get('token_type_hint'), lookupDeps());
    // Revoking one token revokes its whole grant; tokens of other clients and unknown tokens are a no-op (RFC 7009 §2.2).
    if (found && found.grant.clientId === auth.client.client_id) await s.stores.grants.revokeGrant(found.grant.id);
    return reply.code(200).header('Cache-Control', 'no-store').send();
  });

  app.post('/token/introspect', async (req, reply) => {
    if (!(req.body instanceof Params)) return sendOAuthError(reply, new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded', 'json'));
    const body = req.body;
    const auth = await authenticateClient(authDeps, req.headers.authorization, body, req.ip);
    if (!auth.client.scopes.includes(INTROSPECTION_SCOPE)) {
      return sendOAuthError(reply, new OAuthError('insufficient_scope', `the client needs the scope ${INTROSPECTION_SCOPE}`, 'json', 403));
    }
    const token = body.get('token');
    if (!token || body.isRepeated('token')) return sendOAuthError(reply, new OAuthError('invalid_request', 'token is missing or repeated', 'json'));
    const found = await findGrantOfToken(token, body.get('token_type_hint'), lookupDeps());
    const now = s.clock.now();
    if (!found || found.grant.revoked || found.grant.expiresAt <= now) return sendNoStoreJson(reply, 200, { active: false });
    // Only the token's own client (organisation) or the owner of one of its API scopes sees it (src/scopes/introspection-visibility.ts).
    const tokenScope = found.kind === 'access_token' ? String(found.claims.scope ?? '') : found.grant.scope;
    if (!(await introspectionVisibleNow(auth.client, { client_id: found.grant.clientId, scope: tokenScope }, { clientOrgno: async (id) => (await s.registry.get(id))?.client.client_orgno, owners: (n) => s.scopes.owners(n) }))) {
      return sendNoStoreJson(reply, 200, { active: false });
    }
    if (found.kind === 'access_token') {
      const exp = Number(found.claims.exp);
      return sendNoStoreJson(reply, 200, { active: true, token_type: 'Bearer', expires_in: Math.max(0, exp - Math.floor(now / 1000)), ...found.claims });
    }
    if (found.used || found.expiresAt <= now) return sendNoStoreJson(reply, 200, { active: false });
    const g = found.grant;
    return sendNoStoreJson(reply, 200, {
      active: true, token_type: 'refresh_token', client_id: g.clientId, scope: g.scope, sub: g.sub,
      exp: Math.floor(found.expiresAt / 1000), iat: Math.floor(g.createdAt / 1000), iss: s.config.issuer,
    });
  });
}
