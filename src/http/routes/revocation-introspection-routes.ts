import type { FastifyInstance, FastifyReply } from 'fastify';
import { OAuthError } from '../../core/oauth-error.js';
import type { Services } from '../../services.js';
import { introspectToken } from '../../oauth/introspection/introspect-token.js';
import { revokeToken } from '../../oauth/revocation/revoke-token.js';
import { clientAuthDeps } from '../client-auth-deps.js';
import { formBodyOrUndefined } from '../request-params.js';
import { sendNoStoreJson, sendOAuthError } from '../respond.js';

const notForm = () => new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded', 'json');

/** OAuth errors of these endpoints as JSON (RFC 6749 §5.2); anything else goes to the error handler. */
async function answer(reply: FastifyReply, run: () => Promise<FastifyReply>): Promise<FastifyReply> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof OAuthError && e.delivery === 'json') return sendOAuthError(reply, e);
    throw e;
  }
}

function deps(s: Services) {
  return {
    ...clientAuthDeps(s),
    grants: s.stores.grants,
    lookup: () => ({
      keys: s.keys, grants: s.stores.grants, issuer: s.config.issuer, nowMs: s.clock.now(),
      isClientActive: async (id: string) => !!(await s.registry.getActive(id)), ephemeral: s.stores.ephemeral,
    }),
    visibility: {
      clientOrgno: async (id: string) => (await s.registry.get(id))?.client.client_orgno,
      owners: (scopes: readonly string[]) => s.scopes.owners(scopes),
    },
  };
}

/** POST /token/revoke (RFC 7009, spec §13.1); browser-based clients may call it cross-origin. */
export function revocationRoutes(app: FastifyInstance, s: Services): void {
  const d = deps(s);
  app.post('/token/revoke', async (req, reply) => {
    const body = formBodyOrUndefined(req);
    if (!body) return sendOAuthError(reply, notForm());
    return answer(reply, async () => {
      await revokeToken(d, req.headers.authorization, body, req.ip);
      return reply.code(200).header('Cache-Control', 'no-store').send();
    });
  });
}

/** POST /token/introspect (RFC 7662, spec §13.2): for confidential API providers' back ends only. */
export function introspectionRoutes(app: FastifyInstance, s: Services): void {
  const d = deps(s);
  app.post('/token/introspect', async (req, reply) => {
    const body = formBodyOrUndefined(req);
    if (!body) return sendOAuthError(reply, notForm());
    return answer(reply, async () => sendNoStoreJson(reply, 200, await introspectToken(d, req.headers.authorization, body, req.ip)));
  });
}
