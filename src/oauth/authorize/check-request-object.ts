import { OAuthError } from '../../core/oauth-error.js';
import type { Check } from './authorization-request.js';

/** Request objects are not supported (request_parameter_supported: false); request_uri only via PAR. */
export const checkRequestObject: Check = (ctx) => {
  if (ctx.params.has('request')) throw new OAuthError('request_not_supported', 'the request parameter is not supported; use PAR');
  if (ctx.mode === 'par' && ctx.params.has('request_uri')) throw new OAuthError('invalid_request', 'request_uri must not be pushed');
};
