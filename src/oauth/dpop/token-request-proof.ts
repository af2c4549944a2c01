import { OAuthError } from '../../core/oauth-error.js';
import type { EphemeralStore } from '../../store/ports.js';
import { DpopProofError, verifyDpopProof, type VerifiedDpopProof } from './dpop-proof.js';

/** invalid_dpop_proof at the token endpoint: 400 JSON (RFC 9449 §5). */
export function invalidDpopProof(description: string): OAuthError {
  return new OAuthError('invalid_dpop_proof', description, 'json', 400);
}

/** Verifies the DPoP proof of a token request (POST to the token endpoint), if there is one. */
export async function verifyTokenRequestProof(
  proof: string | undefined, deps: { issuer: string; nowMs: number; replay: EphemeralStore },
): Promise<VerifiedDpopProof | undefined> {
  if (proof === undefined) return undefined;
  try {
    return await verifyDpopProof(proof, { method: 'POST', url: `${deps.issuer}/token`, nowMs: deps.nowMs, replay: deps.replay });
  } catch (e) {
    if (e instanceof DpopProofError) throw invalidDpopProof(e.description);
    throw e;
  }
}
