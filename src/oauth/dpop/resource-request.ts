import type { EphemeralStore } from '../../store/ports.js';
import type { ActiveAccessToken } from '../bearer-token.js';
import { singleDpopHeader } from './dpop-header.js';
import { DpopProofError, verifyDpopProof } from './dpop-proof.js';
import { boundJkt } from './token-binding.js';

export type AuthScheme = 'Bearer' | 'DPoP';

/** The outcome of authenticating a request to a protected resource (userinfo). */
export type ResourceAuth =
  | { ok: true; scheme: AuthScheme; token: ActiveAccessToken }
  | {
    ok: false;
    status: 400 | 401;
    /** The scheme of the WWW-Authenticate challenge to answer with. */
    scheme: AuthScheme;
    /** Absent when no credentials were sent at all (RFC 6750 §3.1). */
    error?: 'invalid_request' | 'invalid_token' | 'invalid_dpop_proof';
    description?: string;
  };

const TOKEN68 = '([A-Za-z0-9\\-._~+/]+=*)';
const BEARER = new RegExp(`^Bearer ${TOKEN68}$`, 'i');
const DPOP = new RegExp(`^DPoP ${TOKEN68}$`, 'i');

/**
 * Authenticates a resource request carrying `Authorization: Bearer <token>` (RFC 6750) or
 * `Authorization: DPoP <token>` with a DPoP proof (RFC 9449 §7). A DPoP-bound token (one with
 * `cnf.jkt`) is refused as a bearer token (RFC 9449 §7.2); with the DPoP scheme the token must be
 * bound to the proof's key and the proof must carry `ath` of the token.
 */
export async function authenticateResourceRequest(
  req: { authorization: string | undefined; rawHeaders: readonly string[]; method: string; url: string },
  deps: { nowMs: number; replay: EphemeralStore; verifyToken: (token: string) => Promise<ActiveAccessToken | undefined> },
): Promise<ResourceAuth> {
  const auth = req.authorization?.trim();
  if (!auth) return { ok: false, status: 401, scheme: 'Bearer' };
  const bearer = BEARER.exec(auth);
  if (bearer) {
    const token = await deps.verifyToken(bearer[1]!);
    if (!token) return { ok: false, status: 401, scheme: 'Bearer', error: 'invalid_token', description: 'the access token is invalid, expired or revoked' };
    if (boundJkt(token.claims) !== undefined) {
      return { ok: false, status: 401, scheme: 'DPoP', error: 'invalid_token', description: 'the access token is DPoP-bound: present it with the DPoP scheme and a proof' };
    }
    return { ok: true, scheme: 'Bearer', token };
  }
  const dpop = DPOP.exec(auth);
  if (!dpop) {
    const scheme: AuthScheme = /^dpop\b/i.test(auth) ? 'DPoP' : 'Bearer';
    return { ok: false, status: 400, scheme, error: 'invalid_request', description: 'malformed Authorization header' };
  }
  const accessToken = dpop[1]!;
  const invalidProof = (description: string): ResourceAuth => ({ ok: false, status: 401, scheme: 'DPoP', error: 'invalid_dpop_proof', description });
  let proof: string | undefined;
  try {
    proof = singleDpopHeader(req.rawHeaders);
  } catch (e) {
    if (e instanceof DpopProofError) return invalidProof(e.description);
    throw e;
  }
  if (proof === undefined) return invalidProof('a DPoP proof is required with the DPoP scheme');
  const token = await deps.verifyToken(accessToken);
  if (!token) return { ok: false, status: 401, scheme: 'DPoP', error: 'invalid_token', description: 'the access token is invalid, expired or revoked' };
  const jkt = boundJkt(token.claims);
  if (jkt === undefined) return { ok: false, status: 401, scheme: 'DPoP', error: 'invalid_token', description: 'the access token is not DPoP-bound' };
  let verified;
  try {
    verified = await verifyDpopProof(proof, { method: req.method, url: req.url, nowMs: deps.nowMs, replay: deps.replay, accessToken });
  } catch (e) {
    if (e instanceof DpopProofError) return invalidProof(e.description);
    throw e;
  }
  if (verified.jkt !== jkt) return invalidProof('the DPoP proof is not made with the key the access token is bound to');
  return { ok: true, scheme: 'DPoP', token };
}
