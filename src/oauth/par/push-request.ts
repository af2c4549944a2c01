import { OAuthError } from '../../core/oauth-error.js';
import type { Params } from '../../core/params.js';
import { randomId } from '../../core/random.js';
import type { EphemeralStore } from '../../store/ports.js';
import { runAuthorizationPipeline } from '../authorize/authorization-pipeline.js';
import type { PipelineDeps } from '../authorize/authorization-request.js';
import { authenticateClient, type ClientAuthDeps } from '../client-auth/authenticate-client.js';
import { PAR_NS, PAR_PREFIX, type PushedRequest } from './pushed-request.js';

export interface PushRequestDeps extends ClientAuthDeps {
  pipeline: PipelineDeps;
  ephemeral: EphemeralStore;
  /** Lifetime of a request_uri in seconds (spec §8.4: 120 s). */
  lifetimeSeconds: number;
}

/** The body of the 201 answer (RFC 9126 §2.2). */
export interface PushedRequestResponse {
  request_uri: string;
  expires_in: number;
}

const CREDENTIAL_PARAMS = ['client_secret', 'client_assertion', 'client_assertion_type'];

/**
 * POST /par (RFC 9126 §2, spec §6): authenticates the client with its registered method, validates
 * the request exactly as the authorization endpoint would (every error as OAuth error JSON), and
 * keeps it under a fresh, single-use request_uri. Throws OAuthError (delivery 'json').
 */
export async function pushAuthorizationRequest(
  deps: PushRequestDeps, authorization: string | undefined, body: Params, address = '',
): Promise<PushedRequestResponse> {
  const auth = await authenticateClient(deps, authorization, body, address);
  const result = await runAuthorizationPipeline(body, deps.pipeline, 'par', auth.client);
  if (!result.ok) throw result.failure.error;
  if (body.has('client_id') && body.get('client_id') !== auth.client.client_id) {
    throw new OAuthError('invalid_request', 'client_id does not match the authenticated client', 'json');
  }
  const id = randomId(32);
  const params = body.toRecord();
  for (const name of CREDENTIAL_PARAMS) delete params[name];
  const pushed: PushedRequest = { clientId: auth.client.client_id, request: result.request, params };
  await deps.ephemeral.put(PAR_NS, id, pushed, deps.lifetimeSeconds);
  return { request_uri: `${PAR_PREFIX}${id}`, expires_in: deps.lifetimeSeconds };
}
