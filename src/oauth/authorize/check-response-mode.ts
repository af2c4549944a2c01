import { OAuthError } from '../../core/oauth-error.js';
import { parseResponseMode } from '../jarm/authorization-response-jwt.js';
import type { Check } from './authorization-request.js';

/**
 * response_mode `query` (default), `form_post`, or a JARM mode (`query.jwt`, `form_post.jwt`, `jwt`
 * = `query.jwt` for the code flow, JARM §2.3.4). Decided first so later errors use it.
 */
export const checkResponseMode: Check = (ctx) => {
  if (ctx.params.isRepeated('response_mode')) throw new OAuthError('invalid_request', 'response_mode is repeated');
  const value = ctx.params.get('response_mode');
  // Empty = omitted (RFC 6749 §3.1).
  const mode = value === undefined || value === '' ? 'query' : parseResponseMode(value);
  if (!mode) throw new OAuthError('invalid_request', 'response_mode must be query, form_post, query.jwt, form_post.jwt or jwt');
  ctx.responseMode = mode;
  ctx.req.responseMode = mode;
};
