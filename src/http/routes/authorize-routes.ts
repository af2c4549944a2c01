import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../../core/oauth-error.js';
import { Params } from '../../core/params.js';
import { randomId } from '../../core/random.js';
import type { Services } from '../../services.js';
import { runAuthorizationPipeline } from '../../oauth/authorize/authorization-pipeline.js';
import type { AuthorizationRequest, PipelineDeps } from '../../oauth/authorize/authorization-request.js';
import { authenticateClient } from '../../oauth/client-auth/authenticate-client.js';
import { sendAuthorizationError } from '../authorization-response.js';
import type { LoginSteps } from '../login-steps.js';
import { sendNoStoreJson, sendOAuthError } from '../respond.js';
import { sendErrorPage } from '../error-page.js';

const PAR_PREFIX = 'urn:ansattporten:';

interface PushedRequest {
  clientId: string;
  request: AuthorizationRequest;
  params: Record<string, string>;
}

export function pipelineDeps(s: Services): PipelineDeps {
  return {
    getClient: async (id) => (await s.registry.getActive(id))?.client,
    requireStateAndNonce: s.config.policy.require_state_and_nonce,
    supportedAcr: s.supportedAcr,
    scopeRefusals: (client, scopes) => s.scopes.refusals(client, scopes),
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
    const page = (d: string, error = 'invalid_request') => sendErrorPage(req, reply, steps, new OAuthError(error, d, 'page'));
    if (params.repeated().length > 0) return page(`repeated parameter: ${params.repeated().join(', ')}`);
    const clientId = params.get('client_id');
    if (!clientId) return page('client_id is required with request_uri');
    const client = await s.registry.getActive(clientId);
    if (!client) return page('unknown client', 'invalid_client');
    const uri = params.get('request_uri')!;
    const id = uri.startsWith(PAR_PREFIX) ? uri.slice(PAR_PREFIX.length) : '';
    // Check the owner before consuming, so that someone who sees a request_uri cannot spoil it for its client.
    const peek = /^[A-Za-z0-9_-]{20,64}$/.test(id) ? await s.stores.ephemeral.get<PushedRequest>('par', id) : undefined;
    const pushed = peek && peek.clientId === clientId ? await s.stores.ephemeral.take<PushedRequest>('par', id) : undefined;
    if (!pushed || pushed.clientId !== clientId) return page('request_uri is unknown, expired, already used or belongs to another client', 'invalid_request_uri');
    // Parameters repeated outside the pushed request must match it exactly (spec §6).
    for (const name of params.names()) {
      if (name === 'client_id' || name === 'request_uri') continue;
      if (pushed.params[name] !== params.get(name)) {
        return sendAuthorizationError(reply, s.config.issuer, { redirectUri: pushed.request.redirectUri, responseMode: pushed.request.responseMode, state: pushed.request.state },
          new OAuthError('invalid_request', `${name} differs from the pushed authorization request`), afterPost);
      }
    }
    return steps.begin(req, reply, pushed.request, afterPost);
  };

  app.get('/authorize', async (req, reply) => authorize(req, reply, Params.fromSearchParams(new URL(req.url, 'http://x').searchParams), false));
  app.post('/authorize', async (req, reply) => authorize(req, reply, req.body instanceof Params ? req.body : Params.empty(), true));

  app.post('/par', async (req, reply) => {
    const body = req.body instanceof Params ? req.body : undefined;
    if (!body) return sendOAuthError(reply, new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded', 'json'));
    const auth = await authenticateClient({ registry: s.registry, replay: s.stores.ephemeral, issuer: s.config.issuer, now: () => s.clock.now(), failureLimit: s.clientAuthFailureLimit }, req.headers.authorization, body, req.ip);
    const result = await runAuthorizationPipeline(body, pipelineDeps(s), 'par', auth.client);
    if (!result.ok) return sendOAuthError(reply, result.failure.error);
    if (body.has('client_id') && body.get('client_id') !== auth.client.client_id) {
      return sendOAuthError(reply, new OAuthError('invalid_request', 'client_id does not match the authenticated client', 'json'));
    }
    const id = randomId(32);
    const params = body.toRecord();
    delete params.client_secret; delete params.client_assertion; delete params.client_assertion_type;
    await s.stores.ephemeral.put('par', id, { clientId: auth.client.client_id, request: result.request, params } satisfies PushedRequest, s.config.lifetimes.par_seconds);
    return sendNoStoreJson(reply, 201, { request_uri: `${PAR_PREFIX}${id}`, expires_in: s.config.lifetimes.par_seconds });
  });
}
