import type { KeyObject } from 'node:crypto';
import { decodeProtectedHeader, importJWK, jwtVerify, errors as joseErrors, type CryptoKey, type JWK } from 'jose';
import type { StoredClient } from '../../clients/client-types.js';
import type { EphemeralStore } from '../../store/ports.js';
import { invalidClient } from './client-auth-types.js';
import type { CertificateTrust } from './certificate-trust.js';
import { verifyBusinessCertificate } from './verify-business-certificate.js';

/** `client_amr` of a client authenticated with a Norwegian business certificate (spec §7.4). */
export const BUSINESS_CERTIFICATE_AMR = 'virksomhetssertifikat';

export const ASSERTION_ALGS = ['RS256', 'RS384', 'RS512'];
const MAX_LIFETIME_S = 120;
const SKEW_S = 10;

/**
 * private_key_jwt (spec §7.4): key found by `kid` among the client's registered keys, or (a
 * client without registered keys) the key of a business certificate sent in `x5c`;
 * iss = sub = client_id; aud exactly the issuer as a single string; exp − iat ≤ 120 s;
 * a jti is accepted once (replay cache kept for the assertion's lifetime). Returns the
 * `client_amr` to record when it is more specific than private_key_jwt (business certificate).
 */
export async function checkPrivateKeyJwt(
  stored: StoredClient, assertion: string,
  opts: { issuer: string; nowS: number; replay: EphemeralStore; certificates?: CertificateTrust },
): Promise<{ clientAmr: string } | undefined> {
  const client = stored.client;
  if (assertion.length > 16_384) throw invalidClient('client_assertion is too large');
  let kid: string | undefined;
  let alg: string | undefined;
  let x5c: unknown;
  try {
    const header = decodeProtectedHeader(assertion);
    kid = header.kid;
    alg = header.alg;
    x5c = header.x5c;
  } catch {
    throw invalidClient('client_assertion is not a JWT');
  }
  if (!alg || !ASSERTION_ALGS.includes(alg)) throw invalidClient(`client_assertion alg must be one of ${ASSERTION_ALGS.join(', ')}`);
  const now = opts.nowS;
  let key: KeyObject | CryptoKey | Uint8Array;
  let clientAmr: string | undefined;
  if (!kid && x5c !== undefined) {
    // Clients that have registered keys must use them (spec §7.4).
    if (client.jwks && client.jwks.keys.length > 0) throw invalidClient('the client has registered keys: client_assertion must name one with kid, not use x5c');
    if (!opts.certificates) throw invalidClient('business certificates (x5c) are not accepted: no trusted CA is configured');
    key = await verifyBusinessCertificate(x5c, opts.certificates, now * 1000, client.client_orgno);
    clientAmr = BUSINESS_CERTIFICATE_AMR;
  } else {
    if (!kid) throw invalidClient('client_assertion must name a registered key with kid');
    const jwk = client.jwks?.keys.find((k) => k.kid === kid);
    if (!jwk) throw invalidClient('client_assertion kid is not registered on the client');
    // A key is used with exactly the algorithm it was registered for (RFC 8725 §3.1).
    if (typeof jwk.alg === 'string' && jwk.alg !== alg) throw invalidClient('client_assertion alg does not match the registered key');
    const expires = jwk.exp;
    if (typeof expires === 'number' && expires <= now) throw invalidClient('the registered client key has expired');
    try {
      key = await importJWK(jwk as JWK, alg);
    } catch {
      throw invalidClient('the registered client key cannot be used');
    }
  }
  let payload;
  try {
    ({ payload } = await jwtVerify(assertion, key, { algorithms: [alg], clockTolerance: SKEW_S, currentDate: new Date(now * 1000) }));
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) throw invalidClient('client_assertion has expired');
    throw invalidClient('client_assertion signature or claims are invalid');
  }
  if (payload.iss !== client.client_id) throw invalidClient('client_assertion iss must be the client_id');
  if (payload.sub !== client.client_id) throw invalidClient('client_assertion sub must be the client_id');
  if (typeof payload.aud !== 'string' || payload.aud !== opts.issuer) throw invalidClient('client_assertion aud must be the issuer, as a single value');
  if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number') throw invalidClient('client_assertion must carry iat and exp');
  if (payload.exp - payload.iat > MAX_LIFETIME_S) throw invalidClient(`client_assertion lifetime must be at most ${MAX_LIFETIME_S} seconds`);
  if (payload.iat > now + SKEW_S) throw invalidClient('client_assertion iat is in the future');
  if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 256) throw invalidClient('client_assertion must carry a jti');
  const ttl = Math.max(1, payload.exp - now + SKEW_S);
  const fresh = await opts.replay.add('jti', `${client.client_id}\n${payload.jti}`, 1, ttl);
  if (!fresh) throw invalidClient('client_assertion jti has been used before');
  return clientAmr !== undefined ? { clientAmr } : undefined;
}
