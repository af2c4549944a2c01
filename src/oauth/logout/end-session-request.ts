import { compactVerify, decodeProtectedHeader } from 'jose';
import type { Client } from '../../clients/client-types.js';
import type { Params } from '../../core/params.js';
import type { SigningKeys } from '../../tokens/signing-keys.js';

/** The outcome of checking an end-session request (spec §12.1). */
interface EndSessionDecision {
  /** The client the request identifies (hint and/or client_id), when that is unambiguous and valid. */
  client?: Client;
  /** Where to send the user after logout; only when every parameter validated. */
  redirect?: { uri: string; state?: string };
  /** Why no redirect is made (for the page and the logs); undefined when a redirect is made or none was asked. */
  problem?: string;
}

/** The claims of a verified id_token_hint that logout uses. */
export interface VerifiedIdTokenHint {
  aud: string;
  sid?: string;
  sub?: string;
  authTime?: number;
}

const PRINTABLE_ASCII = /^[\x20-\x7E]+$/;

/**
 * Verifies an id_token_hint: one we issued (signature by one of our published keys, RS256 only,
 * our issuer); expired ones are accepted for this purpose. Returns its aud (client_id), sid, sub and auth_time.
 */
export async function verifyIdTokenHint(hint: string, keys: SigningKeys, issuer: string): Promise<VerifiedIdTokenHint | undefined> {
  if (hint.length > 16_384) return undefined;
  try {
    const header = decodeProtectedHeader(hint);
    if (header.alg !== 'RS256' || !header.kid) return undefined;
    // Only id_tokens: not our access tokens (at+jwt) or logout tokens (logout+jwt).
    if (header.typ !== undefined && header.typ !== 'JWT') return undefined;
    const key = keys.verificationKey(header.kid);
    if (!key) return undefined;
    const { payload } = await compactVerify(hint, key, { algorithms: ['RS256'] });
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    if (claims.iss !== issuer) return undefined;
    const aud = Array.isArray(claims.aud) ? (claims.aud.length === 1 ? claims.aud[0] : undefined) : claims.aud;
    if (typeof aud !== 'string') return undefined;
    return {
      aud, sid: typeof claims.sid === 'string' ? claims.sid : undefined,
      sub: typeof claims.sub === 'string' ? claims.sub : undefined,
      authTime: typeof claims.auth_time === 'number' ? claims.auth_time : undefined,
    };
  } catch {
    return undefined;
  }
}

/**
 * Decides where an end-session request may lead. The logout itself always happens; a redirect only
 * when the hint and/or client_id identify one client, the post_logout_redirect_uri is registered
 * for it exactly, and state is printable ASCII. Never an open redirect.
 */
export async function decideEndSession(
  params: Params, deps: { keys: SigningKeys; issuer: string; getClient(id: string): Promise<Client | undefined> },
): Promise<EndSessionDecision> {
  const repeated = params.repeated();
  if (repeated.length > 0) return { problem: `repeated parameter: ${repeated.join(', ')}` };
  const hint = params.get('id_token_hint');
  const clientId = params.get('client_id');
  const uri = params.get('post_logout_redirect_uri');
  const state = params.get('state');

  let hinted: string | undefined;
  if (hint !== undefined) {
    const v = await verifyIdTokenHint(hint, deps.keys, deps.issuer);
    if (!v) return { problem: 'id_token_hint is not a valid id_token from this provider' };
    hinted = v.aud;
  }
  if (hinted !== undefined && clientId !== undefined && hinted !== clientId) return { problem: 'id_token_hint and client_id name different clients' };
  const id = hinted ?? clientId;
  const client = id !== undefined ? await deps.getClient(id) : undefined;
  if (id !== undefined && !client) return { problem: 'unknown client' };
  if (uri === undefined) return { client };
  if (!client) return { problem: 'post_logout_redirect_uri requires id_token_hint or client_id' };
  if (!client.post_logout_redirect_uris.includes(uri)) return { client, problem: 'post_logout_redirect_uri is not registered for the client' };
  if (state !== undefined && (state.length > 2048 || !PRINTABLE_ASCII.test(state))) return { client, problem: 'state must be printable ASCII' };
  return { client, redirect: { uri, state } };
}
