import { OAuthError } from '../../core/oauth-error.js';
import { MAX_PARAM_LENGTH, type Check } from './authorization-request.js';

/** A parameter given more than once, or absurdly long, is invalid_request (RFC 6749 §3.1). */
export const checkRepeatedParameters: Check = (ctx) => {
  const repeated = ctx.params.repeated();
  if (repeated.length > 0) throw new OAuthError('invalid_request', `repeated parameter: ${repeated.join(', ')}`);
  for (const name of ctx.params.names()) {
    const limit = name === 'authorization_details' ? 20_480 : MAX_PARAM_LENGTH;
    if ((ctx.params.get(name) ?? '').length > limit) throw new OAuthError('invalid_request', `${name} is too long`);
  }
};
