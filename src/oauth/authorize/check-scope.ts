import { OAuthError } from '../../core/oauth-error.js';
import type { Check } from './authorization-request.js';

/**
 * scope must contain openid, every scope must be registered on the client, and every API scope
 * must still be available to it (active, access not revoked: spec §15.4), else invalid_scope
 * (RFC 6749 §4.1.2.1).
 */
export const checkScope: Check = async (ctx) => {
  const raw = ctx.params.get('scope');
  if (!raw) throw new OAuthError('invalid_request', 'scope is missing');
  const scopes = [...new Set(raw.split(' ').filter((s) => s.length > 0))];
  if (!scopes.includes('openid')) throw new OAuthError('invalid_scope', 'scope must include openid');
  const unknown = scopes.filter((s) => !ctx.client!.scopes.includes(s));
  if (unknown.length > 0) throw new OAuthError('invalid_scope', `scope not registered for this client: ${unknown.join(' ')}`);
  const refused = ctx.deps.scopeRefusals ? await ctx.deps.scopeRefusals(ctx.client!, scopes) : [];
  if (refused.length > 0) {
    throw new OAuthError('invalid_scope', `scope not available to this client: ${refused.map((r) => `${r.scope} (${r.reason})`).join(', ')}`);
  }
  ctx.req.scope = scopes;
};
