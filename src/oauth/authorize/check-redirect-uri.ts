import { redirectUriMatches } from '../../clients/loopback-redirect.js';
import { OAuthError } from '../../core/oauth-error.js';
import { MAX_PARAM_LENGTH, type Check } from './authorization-request.js';

/**
 * §5.2 step 2: redirect_uri must equal a registered one exactly (OIDC Core §3.1.2.1), except that a
 * native client's loopback IP redirect URI matches on any port (RFC 8252 §7.3); otherwise an error
 * page. The URI as presented (with its port) is where the response goes.
 */
export const checkRedirectUri: Check = (ctx) => {
  const where = ctx.mode === 'par' ? 'json' : 'page';
  if (ctx.params.isRepeated('redirect_uri')) throw new OAuthError('invalid_request', 'redirect_uri is repeated', where);
  const uri = ctx.params.get('redirect_uri');
  if (!uri) throw new OAuthError('invalid_request', 'redirect_uri is missing', where);
  const client = ctx.client!;
  if (!client.redirect_uris.some((r) => redirectUriMatches(r, uri, client.application_type))) throw new OAuthError('invalid_request', 'redirect_uri is not registered for this client', where);
  ctx.redirectUri = uri;
  ctx.req.redirectUri = uri;
  const state = ctx.params.isRepeated('state') ? undefined : ctx.params.get('state');
  // An oversized state is refused later; it is not echoed back.
  if (state !== undefined && state.length <= MAX_PARAM_LENGTH) ctx.state = state;
};
