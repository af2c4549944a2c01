import { OAuthError } from '../../core/oauth-error.js';
import type { Check } from './authorization-request.js';

/** §5.2 step 1: an unknown or inactive client gets an error page, never a redirect. */
export const checkClient: Check = async (ctx) => {
  if (ctx.mode === 'par') return; // the client authenticated at /par
  if (ctx.params.isRepeated('client_id')) throw new OAuthError('invalid_request', 'client_id is repeated', 'page');
  const clientId = ctx.params.get('client_id');
  if (!clientId) throw new OAuthError('invalid_request', 'client_id is missing', 'page');
  const client = await ctx.deps.getClient(clientId);
  if (!client?.active) throw new OAuthError('invalid_client', 'unknown client', 'page');
  ctx.client = client;
  ctx.req.clientId = client.client_id;
  ctx.req.clientName = client.client_name;
};
