import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../../core/oauth-error.js';
import { Params } from '../../core/params.js';
import type { Services } from '../../services.js';
import { runAuthorizationPipeline } from '../../oauth/authorize/authorization-pipeline.js';
import type { AuthorizationRequest, PipelineDeps } from '../../oauth/authorize/authorization-request.js';
import { consume } from '../../oauth/limits/fixed-window-limit.js';
import { pushAuthorizationRequest } from '../../oauth/par/push-request.js';
import { resolveRequestUri } from '../../oauth/par/resolve-request-uri.js';
import type { LoginInteraction } from '../../interaction/login-interaction.js';
import { sendAuthorizationError } from '../authorization-response.js';
import { clientAuthDeps } from '../client-auth-deps.js';
import { sendErrorPage } from '../error-page.js';
import { formBody, formBodyOrUndefined, queryOf } from '../request-params.js';
import { sendNoStoreJson, sendOAuthError } from '../respond.js';
import { sendStep, stepCookies } from '../send-step.js';

export function pipelineDeps(s: Services): PipelineDeps {
  return {
    getClient: async (id) => (await s.registry.getActive(id))?.client,
    requireStateAndNonce: s.config.policy.require_state_and_nonce,
    supportedAcr: s.supportedAcr,
  };
}

/** GET and POST /authorize (spec §5), with a pushed request's request_uri (RFC 9126 §4). */
export function authorizeRoutes(app: FastifyInstance, s: Services, interaction: LoginInteraction): void {
  const begin = async (req: FastifyRequest, reply: FastifyReply, request: AuthorizationRequest, afterPost: boolean) =>
    sendStep(req, reply, s, await interaction.begin({ request, cookies: stepCookies(req, s), afterPost, address: req.ip, log: req.log }));

  const authorize = async (req: FastifyRequest, reply: FastifyReply, params: Params, afterPost: boolean) => {
    const rate = await consume(s.limits.authorizationRequests, req.ip);
    if (!rate.ok) return sendErrorPage(req, reply, s, new OAuthError('temporarily_unavailable', 'too_many_requests', 'page', 429, { 'Retry-After': String(rate.retryAfterSeconds) }));
    if (params.has('request_uri')) {
      const resolved = await resolveRequestUri({ getActiveClient: async (id) => (await s.registry.getActive(id))?.client, ephemeral: s.stores.ephemeral }, params);
      if (resolved.kind === 'page') return sendErrorPage(req, reply, s, resolved.error);
      if (resolved.kind === 'redirect') return sendAuthorizationError(reply, s, resolved.target, resolved.error, afterPost);
      return begin(req, reply, resolved.request, afterPost);
    }
    const result = await runAuthorizationPipeline(params, pipelineDeps(s), 'authorize');
    if (!result.ok) {
      const f = result.failure;
      if (f.redirectUri && f.clientId) return sendAuthorizationError(reply, s, { clientId: f.clientId, redirectUri: f.redirectUri, responseMode: f.responseMode, state: f.state }, f.error, afterPost);
      return sendErrorPage(req, reply, s, f.error);
    }
    return begin(req, reply, result.request, afterPost);
  };

  app.get('/authorize', async (req, reply) => authorize(req, reply, Params.fromSearchParams(queryOf(req)), false));
  app.post('/authorize', async (req, reply) => authorize(req, reply, formBody(req), true));
}

/** POST /par (RFC 9126 §2, spec §6): a JSON endpoint for the client's back end. */
export function parRoutes(app: FastifyInstance, s: Services): void {
  app.post('/par', async (req, reply) => {
    const rate = await consume(s.limits.authorizationRequests, req.ip);
    if (!rate.ok) return sendOAuthError(reply, new OAuthError('invalid_request', 'too many requests from this address; try again later', 'json', 429, { 'Retry-After': String(rate.retryAfterSeconds) }));
    const body = formBodyOrUndefined(req);
    if (!body) return sendOAuthError(reply, new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded', 'json'));
    const deps = { ...clientAuthDeps(s), pipeline: pipelineDeps(s), ephemeral: s.stores.ephemeral, lifetimeSeconds: s.config.lifetimes.par_seconds };
    try {
      return sendNoStoreJson(reply, 201, await pushAuthorizationRequest(deps, req.headers.authorization, body, req.ip));
    } catch (e) {
      if (e instanceof OAuthError && e.delivery === 'json') return sendOAuthError(reply, e);
      throw e;
    }
  });
}
