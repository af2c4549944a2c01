import { OAuthError } from '../../core/oauth-error.js';
import { MAX_PARAM_LENGTH, type Check } from './authorization-request.js';

/** §5.2 step 2: redirect_uri must equal a registered one exactly; otherwise an error page. */
export const checkRedirectUri: Check = (ctx) => {
  const where = ctx.mode === 'par' ? 'json' : 'page';
  if (ctx.params.isRepeated('redirect_uri')) throw new OAuthError('invalid_request', 'redirect_uri is repeated', where);
  const uri = ctx.params.get('redirect_uri');
  if (!uri) throw new OAuthError('invalid_request', 'redirect_uri is missing', where);
  if (!ctx.client!.redirect_uris.includes(uri)) throw new OAuthError('invalid_request', 'redirect_uri is not registered for this client', where);
  ctx.redirectUri = uri;
  ctx.req.redirectUri = uri;
  const state = ctx.params.isRepeated('state') ? undefined : ctx.params.get('state');
  // An oversized state is refused later; it is not echoed back.
  if (state !== undefined && state.length <= MAX_PARAM_LENGTH) ctx.state = state;
};
