import { OAuthError } from '../../core/oauth-error.js';
import type { Check } from './authorization-request.js';

/** prompt (none, login, consent) and max_age. */
export const checkPrompt: Check = (ctx) => {
  const raw = ctx.params.get('prompt');
  const values = raw === undefined ? [] : raw.split(' ').filter((v) => v.length > 0);
  for (const v of values) {
    if (v !== 'none' && v !== 'login' && v !== 'consent') throw new OAuthError('invalid_request', `unsupported prompt value: ${v}`);
  }
  if (values.includes('none') && values.length > 1) throw new OAuthError('invalid_request', 'prompt=none cannot be combined with other values');
  ctx.req.prompt = { none: values.includes('none'), login: values.includes('login') };
  const maxAge = ctx.params.get('max_age');
  if (maxAge !== undefined && maxAge !== '') { // empty = omitted (RFC 6749 §3.1)
    if (!/^\d{1,9}$/.test(maxAge)) throw new OAuthError('invalid_request', 'max_age must be a non-negative integer');
    ctx.req.maxAge = Number(maxAge);
  }
};
