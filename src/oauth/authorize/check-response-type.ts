import { OAuthError } from '../../core/oauth-error.js';
import type { Check } from './authorization-request.js';

/** Only the authorization code flow: response_type=code. */
export const checkResponseType: Check = (ctx) => {
  const rt = ctx.params.get('response_type');
  if (!rt) throw new OAuthError('invalid_request', 'response_type is missing');
  if (rt !== 'code') throw new OAuthError('unsupported_response_type', 'only response_type=code is supported');
};
