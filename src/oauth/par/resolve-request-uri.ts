import type { Client } from '../../clients/client-types.js';
import { OAuthError } from '../../core/oauth-error.js';
import type { Params } from '../../core/params.js';
import type { EphemeralStore } from '../../store/ports.js';
import type { ResponseTarget } from '../../interaction/outcome.js';
import type { AuthorizationRequest } from '../authorize/authorization-request.js';
import { PAR_NS, PAR_PREFIX, type PushedRequest } from './pushed-request.js';

export interface ResolveRequestUriDeps {
  getActiveClient(clientId: string): Promise<Client | undefined>;
  ephemeral: EphemeralStore;
}

/**
 * The outcome of /authorize with a request_uri:
 * - `request`: the pushed request, now consumed;
 * - `page`: an error the user sees on our page (the redirect target cannot be trusted yet);
 * - `redirect`: an error sent back to the pushed request's redirect_uri with its state.
 */
export type ResolvedRequestUri =
  | { kind: 'request'; request: AuthorizationRequest }
  | { kind: 'page'; error: OAuthError }
  | { kind: 'redirect'; error: OAuthError; target: ResponseTarget };

const ID_SHAPE = /^[A-Za-z0-9_-]{20,64}$/;

/**
 * Resolves `request_uri` + `client_id` at the authorization endpoint (RFC 9126 §4, spec §6):
 * client_id is required and must own the pushed request; the request_uri is single-use; parameters
 * repeated outside it must equal the pushed ones exactly.
 */
export async function resolveRequestUri(deps: ResolveRequestUriDeps, params: Params): Promise<ResolvedRequestUri> {
  const page = (description: string, error = 'invalid_request'): ResolvedRequestUri => ({ kind: 'page', error: new OAuthError(error, description, 'page') });
  if (params.repeated().length > 0) return page(`repeated parameter: ${params.repeated().join(', ')}`);
  const clientId = params.get('client_id');
  if (!clientId) return page('client_id is required with request_uri');
  if (!(await deps.getActiveClient(clientId))) return page('unknown client', 'invalid_client');
  const uri = params.get('request_uri') ?? '';
  const id = uri.startsWith(PAR_PREFIX) ? uri.slice(PAR_PREFIX.length) : '';
  // Check the owner before consuming, so that someone who sees a request_uri cannot spoil it for its client.
  const peek = ID_SHAPE.test(id) ? await deps.ephemeral.get<PushedRequest>(PAR_NS, id) : undefined;
  const pushed = peek && peek.clientId === clientId ? await deps.ephemeral.take<PushedRequest>(PAR_NS, id) : undefined;
  if (!pushed || pushed.clientId !== clientId) {
    return page('request_uri is unknown, expired, already used or belongs to another client', 'invalid_request_uri');
  }
  // Parameters repeated outside the pushed request must match it exactly (spec §6).
  for (const name of params.names()) {
    if (name === 'client_id' || name === 'request_uri') continue;
    if (pushed.params[name] !== params.get(name)) {
      const { clientId: owner, redirectUri, responseMode, state } = pushed.request;
      return {
        kind: 'redirect',
        error: new OAuthError('invalid_request', `${name} differs from the pushed authorization request`),
        target: { clientId: owner, redirectUri, responseMode, ...(state !== undefined ? { state } : {}) },
      };
    }
  }
  return { kind: 'request', request: pushed.request };
}
