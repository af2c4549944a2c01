import type { Client } from '../clients/client-types.js';
import type { Grant } from '../store/ports.js';

const ISO6523 = 'iso6523-actorid-upis';

/** id_token claims (spec §8.1). */
export function idTokenClaims(a: {
  issuer: string; client: Client; grant: Grant; nonce?: string; iat: number; lifetime: number; jti: string;
}): Record<string, unknown> {
  const { grant, client } = a;
  const claims: Record<string, unknown> = {
    iss: a.issuer,
    aud: client.client_id,
    sub: grant.sub,
  };
  if (grant.pid) claims.pid = grant.pid;
  claims.acr = grant.acr;
  claims.amr = grant.amr;
  claims.auth_time = grant.authTime;
  claims.iat = a.iat;
  claims.exp = a.iat + a.lifetime;
  claims.jti = a.jti;
  if (a.nonce !== undefined) claims.nonce = a.nonce;
  claims.locale = grant.locale;
  if (client.frontchannel_logout_session_required || client.backchannel_logout_session_required) claims.sid = grant.sid;
  Object.assign(claims, releasedPersonClaims(grant));
  if (grant.authorizationDetails) claims.authorization_details = grant.authorizationDetails;
  return claims;
}

/** Name claims with `profile`; e-mail and groups come from eIDs that have them (Entra ID). */
export function releasedPersonClaims(grant: Grant): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const c = grant.claims;
  const profile = grant.scope.split(' ').includes('profile');
  if (profile) {
    if (typeof c.name === 'string') out.name = c.name;
    if (typeof c.given_name === 'string') out.given_name = c.given_name;
    if (typeof c.family_name === 'string') out.family_name = c.family_name;
  }
  if (typeof c.email === 'string') out.email = c.email;
  if (Array.isArray(c.groups)) out.groups = c.groups;
  return out;
}

/** The JOSE header `typ` of our JWT access tokens (RFC 9068 §2.1): set when signing, required when verifying. */
export const ACCESS_TOKEN_TYP = 'at+jwt';

/** JWT access token claims (RFC 9068, spec §8.3). */
export function accessTokenClaims(a: {
  issuer: string; client: Client; grant: Grant; iat: number; lifetime: number; jti: string;
  /** Thumbprint of the DPoP key the token is bound to (RFC 9449 §6.1). */
  jkt?: string;
}): Record<string, unknown> {
  const { grant, client } = a;
  const claims: Record<string, unknown> = { iss: a.issuer };
  if (grant.resource) claims.aud = grant.resource;
  claims.sub = grant.sub;
  claims.client_id = client.client_id;
  claims.client_amr = grant.clientAmr;
  claims.consumer = { authority: ISO6523, ID: `0192:${client.client_orgno}` };
  if (client.supplier_orgno) claims.supplier = { authority: ISO6523, ID: `0192:${client.supplier_orgno}` };
  claims.scope = grant.scope;
  claims.acr = grant.acr;
  claims.amr = grant.amr;
  if (grant.pid) claims.pid = grant.pid;
  if (grant.authorizationDetails) claims.authorization_details = grant.authorizationDetails;
  const clm = Object.keys(releasedPersonClaims(grant)).filter((k) => k === 'given_name' || k === 'family_name');
  if (clm.length > 0) claims.clm = clm;
  claims.iat = a.iat;
  claims.exp = a.iat + a.lifetime;
  claims.jti = a.jti;
  if (a.jkt !== undefined) claims.cnf = { jkt: a.jkt };
  return claims;
}
