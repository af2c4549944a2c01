import type { FastifyInstance, FastifyReply } from 'fastify';
import { OAuthError } from '../../core/oauth-error.js';
import { Params } from '../../core/params.js';
import type { Services } from '../../services.js';
import { introspectToken } from '../../oauth/introspection/introspect-token.js';
import { revokeToken } from '../../oauth/revocation/revoke-token.js';
import { sendNoStoreJson, sendOAuthError } from '../respond.js';

export { INTROSPECTION_SCOPE } from '../../oauth/introspection/introspect-token.js';

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

/** POST /token/revoke (RFC 7009) and POST /token/introspect (RFC 7662), spec §13. */
export function revocationIntrospectionRoutes(app: FastifyInstance, s: Services): void {
  const deps = {
    registry: s.registry, replay: s.stores.ephemeral, issuer: s.config.issuer, now: () => s.clock.now(), failureLimit: s.clientAuthFailureLimit,
    grants: s.stores.grants,
    lookup: () => ({ keys: s.keys, grants: s.stores.grants, issuer: s.config.issuer, nowMs: s.clock.now(), isClientActive: async (id: string) => !!(await s.registry.getActive(id)) }),
  };

  app.post('/token/revoke', async (req, reply) => {
    if (!(req.body instanceof Params)) return sendOAuthError(reply, notForm());
    const body = req.body;
    return answer(reply, async () => {
      await revokeToken(deps, req.headers.authorization, body, req.ip);
      return reply.code(200).header('Cache-Control', 'no-store').send();
    });
  });

  app.post('/token/introspect', async (req, reply) => {
    if (!(req.body instanceof Params)) return sendOAuthError(reply, notForm());
    const body = req.body;
    return answer(reply, async () => sendNoStoreJson(reply, 200, await introspectToken(deps, req.headers.authorization, body, req.ip)));
  });
}
