import type { Client } from '../../clients/client-types.js';
import { randomId, sha256b64url } from '../../core/random.js';
import type { Grant, GrantStore, IssuedTokenRecords } from '../../store/ports.js';
import type { SigningKeys } from '../../tokens/signing-keys.js';
import { accessTokenClaims, idTokenClaims } from '../../tokens/token-claims.js';

export interface IssueDeps {
  issuer: string;
  keys: SigningKeys;
  grants: GrantStore;
  idTokenLifetime: number;
  now: () => number; // ms
}

export interface TokenResponse {
  access_token: string;
  /** DPoP when the access token is bound to a DPoP key (RFC 9449 §5). */
  token_type: 'Bearer' | 'DPoP';
  expires_in: number;
  id_token?: string;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  scope: string;
  authorization_details?: unknown[];
}

/** Short opaque ids like Digdir's (11 base64url characters ≈ 66 bits). */
const jti = () => randomId(8).slice(0, 11);

/**
 * Signs an access token; the record that lets it be revoked and introspected is returned for the
 * caller to store together with the rest of the response (one commit).
 */
export async function signAccessToken(deps: IssueDeps, client: Client, grant: Grant, jkt?: string): Promise<{ token: string; expiresIn: number; record: NonNullable<IssuedTokenRecords['accessToken']> }> {
  const now = deps.now();
  const iat = Math.floor(now / 1000);
  // Never outlive the grant.
  const lifetime = Math.max(1, Math.min(client.access_token_lifetime, Math.floor((grant.expiresAt - now) / 1000)));
  const id = jti();
  const token = await deps.keys.sign(accessTokenClaims({ issuer: deps.issuer, client, grant, iat, lifetime, jti: id, jkt }), 'at+jwt');
  return { token, expiresIn: lifetime, record: { jti: id, grantId: grant.id, expiresAt: (iat + lifetime) * 1000 } };
}

export async function issueIdToken(deps: IssueDeps, client: Client, grant: Grant, nonce: string | undefined): Promise<string> {
  const iat = Math.floor(deps.now() / 1000);
  return deps.keys.sign(idTokenClaims({ issuer: deps.issuer, client, grant, nonce, iat, lifetime: deps.idTokenLifetime, jti: jti() }), 'JWT');
}

/** A new opaque refresh token (stored as a hash by the caller); idle window capped by the grant's absolute end. */
export function newRefreshToken(deps: IssueDeps, client: Client, grant: Grant): { token: string; expiresIn: number; record: NonNullable<IssuedTokenRecords['refreshToken']> } {
  const token = randomId(32);
  const now = deps.now();
  const expiresAt = Math.min(now + client.refresh_token_lifetime * 1000, grant.expiresAt);
  return {
    token,
    expiresIn: Math.max(0, Math.floor((expiresAt - now) / 1000)),
    record: { hash: sha256b64url(token), rec: { grantId: grant.id, expiresAt, used: false } },
  };
}
