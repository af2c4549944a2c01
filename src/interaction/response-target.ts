import type { AuthorizationRequest } from '../oauth/authorize/authorization-request.js';
import type { ResponseTarget } from './outcome.js';

/** Where the authorization response of this request goes (validated by the authorization pipeline). */
export function targetOf(request: AuthorizationRequest): ResponseTarget {
  return { clientId: request.clientId, redirectUri: request.redirectUri, responseMode: request.responseMode, state: request.state };
}
