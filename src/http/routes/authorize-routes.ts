import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../../core/oauth-error.js';
import { Params } from '../../core/params.js';
import type { Services } from '../../services.js';
import { runAuthorizationPipeline } from '../../oauth/authorize/authorization-pipeline.js';
import type { PipelineDeps } from '../../oauth/authorize/authorization-request.js';
import { pushAuthorizationRequest } from '../../oauth/par/push-request.js';
import { resolveRequestUri } from '../../oauth/par/resolve-request-uri.js';
import { sendAuthorizationError } from '../authorization-response.js';
import type { LoginSteps } from '../login-steps.js';
import { sendNoStoreJson, sendOAuthError } from '../respond.js';
import { sendErrorPage } from '../error-page.js';

export function pipelineDeps(s: Services): PipelineDeps {
  return {
    getClient: async (id) => (await s.registry.getActive(id))?.client,
    requireStateAndNonce: s.config.policy.require_state_and_nonce,
    supportedAcr: s.supportedAcr,
  };
}

/** GET and POST /authorize (spec §5), PAR (spec §6). */
export function authorizeRoutes(app: FastifyInstance, s: Services, steps: LoginSteps): void {
  const authorize = async (req: FastifyRequest, reply: FastifyReply, params: Params, afterPost: boolean) => {
    if (params.has('request_uri')) return authorizeWithPushedRequest(req, reply, params, afterPost);
    const result = await runAuthorizationPipeline(params, pipelineDeps(s), 'authorize');
    if (!result.ok) {
      const f = result.failure;
      if (f.redirectUri) return sendAuthorizationError(reply, s.config.issuer, { redirectUri: f.redirectUri, responseMode: f.responseMode, state: f.state }, f.error, afterPost);
      return sendErrorPage(req, reply, steps, f.error);
    }
    return steps.begin(req, reply, result.request, afterPost);
  };

  const authorizeWithPushedRequest = async (req: FastifyRequest, reply: FastifyReply, params: Params, afterPost: boolean) => {
    const resolved = await resolveRequestUri({ getActiveClient: async (id) => (await s.registry.getActive(id))?.client, ephemeral: s.stores.ephemeral }, params);
    if (resolved.kind === 'page') return sendErrorPage(req, reply, steps, resolved.error);
    if (resolved.kind === 'redirect') return sendAuthorizationError(reply, s.config.issuer, resolved.target, resolved.error, afterPost);
    return steps.begin(req, reply, resolved.request, afterPost);
  };

  app.get('/authorize', async (req, reply) => authorize(req, reply, Params.fromSearchParams(new URL(req.url, 'http://x').searchParams), false));
  app.post('/authorize', async (req, reply) => authorize(req, reply, req.body instanceof Params ? req.body : Params.empty(), true));

  app.post('/par', async (req, reply) => {
    if (!(req.body instanceof Params)) return sendOAuthError(reply, new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded', 'json'));
    const deps = {
      registry: s.registry, replay: s.stores.ephemeral, issuer: s.config.issuer, now: () => s.clock.now(), failureLimit: s.clientAuthFailureLimit,
      pipeline: pipelineDeps(s), ephemeral: s.stores.ephemeral, lifetimeSeconds: s.config.lifetimes.par_seconds,
    };
    try {
      return sendNoStoreJson(reply, 201, await pushAuthorizationRequest(deps, req.headers.authorization, req.body, req.ip));
    } catch (e) {
      if (e instanceof OAuthError && e.delivery === 'json') return sendOAuthError(reply, e);
      throw e;
    }
  });
}
