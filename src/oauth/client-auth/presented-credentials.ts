import { decodeJwt } from 'jose';
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

const noClient = (d: string) => new OAuthError('invalid_client', d, 'json', 401, { 'WWW-Authenticate': 'Basic realm="ansattporten"' });

/**
 * The client a JWT assertion names: its `iss`, which for client authentication is also its `sub`
 * (RFC 7523 §3). A request may leave client_id out and be identified this way (RFC 7521 §4.2);
 * a client_id that names another client is refused. The assertion is only read here: its
 * signature and claims are verified against that client's keys afterwards.
 */
function assertionClientId(assertion: string, bodyClientId: string | undefined): string {
  let iss: unknown;
  let sub: unknown;
  try {
    ({ iss, sub } = decodeJwt(assertion));
  } catch {
    // Not readable: the verification of the named client will refuse it.
    if (bodyClientId) return bodyClientId;
    throw noClient('client_assertion is not a JWT, and no client_id was given');
  }
  if (typeof iss !== 'string' || iss.length === 0 || iss.length > 200) {
    if (bodyClientId) return bodyClientId;
    throw noClient('client_assertion has no iss naming the client');
  }
  if (bodyClientId === undefined && sub !== iss) throw noClient('client_assertion iss and sub must both be the client_id');
  if (bodyClientId !== undefined && bodyClientId !== iss) throw noClient('client_id does not match the client_assertion issuer');
  return iss;
}

function formDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

/**
 * Works out which one authentication method the request uses. More than one method, or a
 * client_id that disagrees with the Basic credentials, is invalid_request (RFC 6749 §2.3); one
 * that disagrees with a client assertion is invalid_client. With an assertion the client_id may
 * be left out (RFC 7521 §4.2).
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
    const assertion = body.get('client_assertion')!;
    found.push({ method: 'private_key_jwt', clientId: assertionClientId(assertion, bodyClientId), assertion });
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
