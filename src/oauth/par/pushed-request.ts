import type { AuthorizationRequest } from '../authorize/authorization-request.js';

/** The prefix of our request_uri values (RFC 9126 §2.2: a URN the provider chooses). */
export const PAR_PREFIX = 'urn:ansattporten:';

/** Namespace of pushed requests in the short-lived store. */
export const PAR_NS = 'par';

/** What /par keeps until the browser arrives with the request_uri (single use, spec §6). */
export interface PushedRequest {
  clientId: string;
  /** The request as validated when it was pushed. */
  request: AuthorizationRequest;
  /** The pushed parameters (without client credentials), to compare with any repeated at /authorize. */
  params: Record<string, string>;
}
