import type { FastifyInstance } from 'fastify';
import { OAuthError } from '../../core/oauth-error.js';
import { Params } from '../../core/params.js';
import type { Services } from '../../services.js';
import { tokenEndpoint } from '../../oauth/token/token-endpoint.js';
import { clientAuthDeps } from '../client-auth-deps.js';
import { sendNoStoreJson, sendOAuthError } from '../respond.js';
import { grantTypeLabel, type Metrics } from '../../observability/metrics.js';
import { singleDpopHeader } from '../../oauth/dpop/dpop-header.js';
import { DpopProofError } from '../../oauth/dpop/dpop-proof.js';
import { invalidDpopProof } from '../../oauth/dpop/token-request-proof.js';

/** The token endpoint's dependencies: client authentication's (one definition for every endpoint) and the grant's. */
export function tokenEndpointDeps(s: Services) {
  return {
    ...clientAuthDeps(s),
    ephemeral: s.stores.ephemeral, keys: s.keys, grants: s.stores.grants, idTokenLifetime: s.config.lifetimes.id_token_seconds,
    pairwiseSalt: s.pairwiseSalt, scopes: s.scopes,
  };
}

/** POST /token (spec §7). */
export function tokenRoutes(app: FastifyInstance, s: Services, metrics?: Metrics): void {
  const deps = tokenEndpointDeps(s);
  app.post('/token', async (req, reply) => {
    if (!(req.body instanceof Params)) return sendOAuthError(reply, new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded', 'json'));
    const grantType = grantTypeLabel(req.body.get('grant_type'));
    try {
      let proof: string | undefined;
      try {
        proof = singleDpopHeader(req.raw.rawHeaders);
      } catch (e) {
        throw e instanceof DpopProofError ? invalidDpopProof(e.description) : e;
      }
      const res = await tokenEndpoint(deps, req.headers.authorization, req.body, req.ip, proof);
      metrics?.tokenRequests.inc({ grant_type: grantType, outcome: 'success' });
      return sendNoStoreJson(reply, 200, res);
    } catch (e) {
      metrics?.tokenRequests.inc({ grant_type: grantType, outcome: e instanceof OAuthError ? e.error : 'server_error' });
      throw e;
    }
  });
}
