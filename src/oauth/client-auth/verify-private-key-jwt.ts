import { decodeProtectedHeader, importJWK, jwtVerify, errors as joseErrors, type JWK } from 'jose';
import type { StoredClient } from '../../clients/client-types.js';
import type { EphemeralStore } from '../../store/ports.js';
import { invalidClient } from './client-auth-types.js';

export const ASSERTION_ALGS = ['RS256', 'RS384', 'RS512'];
const MAX_LIFETIME_S = 120;
const SKEW_S = 10;

/**
 * private_key_jwt (spec §7.4): key found by `kid` among the client's registered keys;
 * iss = sub = client_id; aud exactly the issuer as a single string; exp − iat ≤ 120 s;
 * a jti is accepted once (replay cache kept for the assertion's lifetime).
 */
export async function checkPrivateKeyJwt(
  stored: StoredClient, assertion: string, opts: { issuer: string; nowS: number; replay: EphemeralStore },
): Promise<void> {
  const client = stored.client;
  if (assertion.length > 16_384) throw invalidClient('client_assertion is too large');
  let kid: string | undefined;
  let alg: string | undefined;
  try {
    const header = decodeProtectedHeader(assertion);
    kid = header.kid;
    alg = header.alg;
  } catch {
    throw invalidClient('client_assertion is not a JWT');
  }
  if (!alg || !ASSERTION_ALGS.includes(alg)) throw invalidClient(`client_assertion alg must be one of ${ASSERTION_ALGS.join(', ')}`);
  if (!kid) throw invalidClient('client_assertion must name a registered key with kid');
  const now = opts.nowS;
  const jwk = client.jwks?.keys.find((k) => k.kid === kid);
  if (!jwk) throw invalidClient('client_assertion kid is not registered on the client');
  // A key is used with exactly the algorithm it was registered for (RFC 8725 §3.1).
  if (typeof jwk.alg === 'string' && jwk.alg !== alg) throw invalidClient('client_assertion alg does not match the registered key');
  const expires = jwk.exp;
  if (typeof expires === 'number' && expires <= now) throw invalidClient('the registered client key has expired');
  let payload;
  try {
    const key = await importJWK(jwk as JWK, alg);
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
}
