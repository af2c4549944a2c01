import { parseAuthorizationDetails } from '../../representation/parse-authorization-details.js';
import type { Check } from './authorization-request.js';

/** authorization_details (RFC 9396) with the Ansattporten types; errors are invalid_authorization_details. */
export const checkAuthorizationDetails: Check = (ctx) => {
  const raw = ctx.params.get('authorization_details');
  const rar = parseAuthorizationDetails(raw);
  if (rar) ctx.req.authorizationDetails = rar;
};
