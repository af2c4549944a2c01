import { OAuthError } from '../../core/oauth-error.js';
import type { Check } from './authorization-request.js';

/** scope must contain openid, and every scope must be registered on the client. */
export const checkScope: Check = (ctx) => {
  const raw = ctx.params.get('scope');
  if (!raw) throw new OAuthError('invalid_request', 'scope is missing');
  const scopes = [...new Set(raw.split(' ').filter((s) => s.length > 0))];
  if (!scopes.includes('openid')) throw new OAuthError('invalid_scope', 'scope must include openid');
  const unknown = scopes.filter((s) => !ctx.client!.scopes.includes(s));
  if (unknown.length > 0) throw new OAuthError('invalid_scope', `scope not registered for this client: ${unknown.join(' ')}`);
  ctx.req.scope = scopes;
};
