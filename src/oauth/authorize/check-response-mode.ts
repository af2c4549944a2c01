import { OAuthError } from '../../core/oauth-error.js';
import type { Check } from './authorization-request.js';

/** response_mode `query` (default) or `form_post`. Decided first so later errors use it. */
export const checkResponseMode: Check = (ctx) => {
  if (ctx.params.isRepeated('response_mode')) throw new OAuthError('invalid_request', 'response_mode is repeated');
  const mode = ctx.params.get('response_mode');
  if (mode === undefined || mode === '' || mode === 'query') ctx.responseMode = 'query'; // empty = omitted (RFC 6749 §3.1)
  else if (mode === 'form_post') ctx.responseMode = 'form_post';
  else throw new OAuthError('invalid_request', 'response_mode must be query or form_post');
  ctx.req.responseMode = ctx.responseMode;
};
