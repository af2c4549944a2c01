import { OAuthError } from '../../core/oauth-error.js';
import type { Check } from './authorization-request.js';

const CHALLENGE = /^[A-Za-z0-9_-]{43}$/; // BASE64URL-NOPAD(SHA-256) is always 43 characters

/** PKCE with S256 is mandatory unless the client is registered with code_challenge_method "none". */
export const checkPkce: Check = (ctx) => {
  const challenge = ctx.params.get('code_challenge');
  const method = ctx.params.get('code_challenge_method');
  if (challenge === undefined || challenge === '') { // empty = omitted (RFC 6749 §3.1)
    if (ctx.client!.code_challenge_method === 'none') return;
    throw new OAuthError('invalid_request', 'code_challenge is required (PKCE)');
  }
  if (method !== 'S256') throw new OAuthError('invalid_request', 'code_challenge_method must be S256');
  if (!CHALLENGE.test(challenge)) throw new OAuthError('invalid_request', 'code_challenge must be an unpadded base64url SHA-256 value');
  ctx.req.codeChallenge = challenge;
};
