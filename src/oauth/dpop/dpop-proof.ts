import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify, type JWK } from 'jose';
import type { EphemeralStore } from '../../store/ports.js';
import { sameHtu } from './htu.js';

/** Asymmetric algorithms accepted in DPoP proofs (RFC 9449 §4.3 item 5; `none` and MACs never). */
export const DPOP_ALGS = ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA'] as const;

/** How far `iat` may be from now, either way (RFC 9449 §4.3 item 11, §11.1). */
export const DPOP_IAT_WINDOW_S = 60;
const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const REPLAY_NS = 'dpop-jti';

/** A DPoP proof that failed one of the checks of RFC 9449 §4.3; `description` says which. */
export class DpopProofError extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = 'DpopProofError';
  }
}

export interface DpopCheck {
  /** The request's method (compared with `htm`). */
  method: string;
  /** The URL the proof must name in `htu` (query and fragment are ignored). */
  url: string;
  /** Now, in ms (the injected clock). */
  nowMs: number;
  /** Replay cache shared by every instance: a jti is accepted once (atomic `add`). */
  replay: EphemeralStore;
  /** The access token presented with the proof, at a resource endpoint: then `ath` is required. */
  accessToken?: string;
  iatWindowSeconds?: number;
}

export interface VerifiedDpopProof {
  /** RFC 7638 SHA-256 thumbprint of the proof's public key: what tokens are bound to (`cnf.jkt`). */
  jkt: string;
  jwk: JWK;
  jti: string;
}

/** base64url(SHA-256(ASCII(access token))): the `ath` claim (RFC 9449 §4.2). */
export function accessTokenHash(token: string): string {
  return createHash('sha256').update(token, 'ascii').digest('base64url');
}

/**
 * Verifies one DPoP proof JWT (RFC 9449 §4.3): typ dpop+jwt, an asymmetric alg, a public JWK in
 * the header that verifies the signature, htm/htu of this request, iat within the window, a fresh
 * jti (never seen before by any instance), and with an access token a matching `ath`.
 */
export async function verifyDpopProof(proof: string, check: DpopCheck): Promise<VerifiedDpopProof> {
  if (proof.length === 0 || proof.length > MAX_PROOF_LENGTH) throw new DpopProofError('the DPoP proof is empty or too large');
  let header;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    throw new DpopProofError('the DPoP proof is not a JWS');
  }
  if (proof.split('.').length !== 3) throw new DpopProofError('the DPoP proof is not a compact JWS');
  if (header.typ !== 'dpop+jwt') throw new DpopProofError('the DPoP proof typ must be dpop+jwt');
  if (typeof header.alg !== 'string' || !(DPOP_ALGS as readonly string[]).includes(header.alg)) {
    throw new DpopProofError(`the DPoP proof alg must be one of ${DPOP_ALGS.join(', ')}`);
  }
  const jwk = header.jwk;
  if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk)) throw new DpopProofError('the DPoP proof header must carry the public key as jwk');
  if (PRIVATE_JWK_MEMBERS.some((m) => m in jwk)) throw new DpopProofError('the DPoP proof jwk must not contain private key material');
  if (jwk.kty !== 'RSA' && jwk.kty !== 'EC' && jwk.kty !== 'OKP') throw new DpopProofError('the DPoP proof jwk must be an asymmetric public key');

  let payload;
  try {
    ({ payload } = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dpop+jwt', algorithms: [...DPOP_ALGS], currentDate: new Date(check.nowMs),
    }));
  } catch {
    throw new DpopProofError('the DPoP proof signature is invalid');
  }
  if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > MAX_JTI_LENGTH) throw new DpopProofError('the DPoP proof must carry a jti');
  if (typeof payload.htm !== 'string' || payload.htm !== check.method) throw new DpopProofError('the DPoP proof htm does not match the request method');
  if (typeof payload.htu !== 'string' || !sameHtu(payload.htu, check.url)) throw new DpopProofError('the DPoP proof htu does not match the request URL');
  if (typeof payload.iat !== 'number' || !Number.isFinite(payload.iat)) throw new DpopProofError('the DPoP proof must carry iat');
  const window = check.iatWindowSeconds ?? DPOP_IAT_WINDOW_S;
  const nowS = check.nowMs / 1000;
  if (payload.iat > nowS + window) throw new DpopProofError('the DPoP proof iat is in the future');
  if (payload.iat < nowS - window) throw new DpopProofError('the DPoP proof is too old (iat)');
  if (check.accessToken !== undefined) {
    if (typeof payload.ath !== 'string') throw new DpopProofError('the DPoP proof must carry ath with an access token');
    if (payload.ath !== accessTokenHash(check.accessToken)) throw new DpopProofError('the DPoP proof ath does not match the access token');
  }
  const jkt = await calculateJwkThumbprint(jwk as JWK, 'sha256');
  // Kept until the proof could no longer pass the iat check anyway (RFC 9449 §11.1).
  const ttl = Math.max(1, Math.ceil(payload.iat + window - nowS) + 5);
  const fresh = await check.replay.add(REPLAY_NS, `${jkt}\n${payload.jti}`, 1, ttl);
  if (!fresh) throw new DpopProofError('the DPoP proof jti has been used before');
  return { jkt, jwk: jwk as JWK, jti: payload.jti };
}
