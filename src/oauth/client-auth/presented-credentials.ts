import { OAuthError } from '../../core/oauth-error.js';
import type { Params } from '../../core/params.js';
import type { TokenEndpointAuthMethod } from '../../clients/client-types.js';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface PresentedCredentials {
  method: TokenEndpointAuthMethod;
  clientId: string;
  secret?: string;
  assertion?: string;
}

function formDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

/**
 * Works out which one authentication method the request uses. More than one method, or a
 * client_id that disagrees with the one the credentials name, is invalid_request (RFC 6749 §2.3).
 */
export function presentedCredentials(authorization: string | undefined, body: Params): PresentedCredentials {
  for (const name of ['client_id', 'client_secret', 'client_assertion', 'client_assertion_type']) {
    if (body.isRepeated(name)) throw new OAuthError('invalid_request', `${name} is repeated`, 'json');
  }
  const bodyClientId = body.get('client_id');
  const found: PresentedCredentials[] = [];

  if (authorization !== undefined) {
    const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization.trim());
    if (!m) throw new OAuthError('invalid_client', 'unsupported or malformed Authorization header', 'json', 401, { 'WWW-Authenticate': 'Basic realm="ansattporten"' });
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) throw new OAuthError('invalid_client', 'malformed Basic credentials', 'json', 401, { 'WWW-Authenticate': 'Basic realm="ansattporten"' });
    let id: string; let secret: string;
    try {
      id = formDecode(decoded.slice(0, i));
      secret = formDecode(decoded.slice(i + 1));
    } catch {
      throw new OAuthError('invalid_client', 'malformed Basic credentials', 'json', 401, { 'WWW-Authenticate': 'Basic realm="ansattporten"' });
    }
    found.push({ method: 'client_secret_basic', clientId: id, secret });
  }
  if (body.has('client_secret')) {
    found.push({ method: 'client_secret_post', clientId: bodyClientId ?? '', secret: body.get('client_secret') });
  }
  if (body.has('client_assertion') || body.has('client_assertion_type')) {
    if (body.get('client_assertion_type') !== JWT_BEARER_ASSERTION) {
      throw new OAuthError('invalid_request', `client_assertion_type must be ${JWT_BEARER_ASSERTION}`, 'json');
    }
    if (!body.get('client_assertion')) throw new OAuthError('invalid_request', 'client_assertion is missing', 'json');
    found.push({ method: 'private_key_jwt', clientId: bodyClientId ?? '', assertion: body.get('client_assertion') });
  }
  if (found.length > 1) throw new OAuthError('invalid_request', 'more than one client authentication method was used', 'json');
  const cred = found[0] ?? { method: 'none' as const, clientId: bodyClientId ?? '' };
  // No client identified at all is missing client authentication: invalid_client, 401 (RFC 6749 §5.2).
  if (!cred.clientId) throw new OAuthError('invalid_client', 'client authentication is missing (no client_id)', 'json', 401, { 'WWW-Authenticate': 'Basic realm="ansattporten"' });
  if (bodyClientId !== undefined && bodyClientId !== cred.clientId) {
    throw new OAuthError('invalid_request', 'client_id does not match the client credentials', 'json');
  }
  return cred;
}
