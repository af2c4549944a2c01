import { OAuthError } from '../../core/oauth-error.js';
import type { Check } from './authorization-request.js';

/** resource (RFC 8707): an absolute URI without fragment; becomes the access token's aud. */
export const checkResource: Check = (ctx) => {
  const resource = ctx.params.get('resource');
  if (resource === undefined || resource === '') return; // empty = omitted (RFC 6749 §3.1)
  let ok = false;
  try {
    const u = new URL(resource);
    ok = u.hash === '' && !resource.includes('#') && /^[a-z][a-z0-9+.-]*:/i.test(resource);
  } catch {
    ok = false;
  }
  if (!ok) throw new OAuthError('invalid_target', 'resource must be an absolute URI without a fragment');
  ctx.req.resource = resource;
};
