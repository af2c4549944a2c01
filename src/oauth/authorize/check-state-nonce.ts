import { OAuthError } from '../../core/oauth-error.js';
import type { Check } from './authorization-request.js';

/** state and nonce are required when the deployment's policy says so (default on, spec §5.1). */
export const checkStateAndNonce: Check = (ctx) => {
  const state = ctx.params.get('state');
  const nonce = ctx.params.get('nonce');
  if (ctx.deps.requireStateAndNonce) {
    if (!state) throw new OAuthError('invalid_request', 'state is required');
    if (!nonce) throw new OAuthError('invalid_request', 'nonce is required');
  }
  if (state !== undefined) ctx.req.state = state;
  if (nonce !== undefined) ctx.req.nonce = nonce;
};
