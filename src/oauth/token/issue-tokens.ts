import type { Client } from '../../clients/client-types.js';
import { randomId, sha256b64url } from '../../core/random.js';
import type { EphemeralStore, Grant, GrantStore, IssuedTokenRecords } from '../../store/ports.js';
import type { ScopeAuthority } from '../../scopes/scope-registry.js';
import { capSeconds, NO_SCOPE_POLICY, type ScopeTokenPolicy } from '../../scopes/scope-token-policy.js';
import { newOpaqueToken, saveOpaqueClaims } from '../../scopes/opaque-access-token.js';
import type { JWTPayload } from 'jose';
import type { SigningKeys } from '../../tokens/signing-keys.js';
import { ACCESS_TOKEN_TYP, accessTokenClaims, idTokenClaims } from '../../tokens/token-claims.js';

export interface IssueDeps {
  issuer: string;
  keys: SigningKeys;
  grants: GrantStore;
  idTokenLifetime: number;
  now: () => number; // ms
  /** The API scope registry: scope properties shape the tokens, revoked scopes are dropped at refresh (spec §15.4). */
  scopes?: ScopeAuthority;
  /** Where opaque access tokens' claims are kept (scopes with token_type OPAQUE). */
  ephemeral?: EphemeralStore;
}

/** How the API scopes in `scope` shape a token (none without a registry). */
export async function scopePolicy(deps: IssueDeps, scope: string): Promise<ScopeTokenPolicy> {
  return deps.scopes ? deps.scopes.policy(scope) : NO_SCOPE_POLICY;
}

/** The grant's absolute lifetime (seconds): the client's authorization_lifetime, capped by the scopes' authorization_max_lifetime. */
export async function grantLifetimeSeconds(deps: IssueDeps, client: Client, scope: string): Promise<number> {
  return capSeconds(client.authorization_lifetime, (await scopePolicy(deps, scope)).authorizationMaxLifetime);
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

/** An access token with the record that lets it be revoked and introspected (stored by the caller with the rest of the response, one commit). */
export interface AccessToken {
  token: string;
  expiresIn: number;
  record: NonNullable<IssuedTokenRecords['accessToken']>;
}

/** An access token ready to sign (`claims`, a JWT) or already made (`token`, opaque and stored). */
export type PreparedAccessToken = Omit<AccessToken, 'token'> & ({ claims: JWTPayload; token?: undefined } | { token: string; claims?: undefined });

/** The access token's claims and lifetime; an opaque token (spec §4) is made and its claims stored here. */
export async function prepareAccessToken(deps: IssueDeps, client: Client, grant: Grant, jkt?: string): Promise<PreparedAccessToken> {
  const now = deps.now();
  const iat = Math.floor(now / 1000);
  const policy = await scopePolicy(deps, grant.scope);
  // The scopes' at_max_age caps the lifetime (lowest wins, spec §7.3); never outlive the grant.
  const lifetime = Math.max(1, Math.min(capSeconds(client.access_token_lifetime, policy.atMaxAge), Math.floor((grant.expiresAt - now) / 1000)));
  const id = jti();
  // A scope that requires pseudonymous tokens: no pid in the access token (spec §8.3).
  const tokenGrant: Grant = policy.pseudonymous ? { ...grant } : grant;
  if (policy.pseudonymous) delete tokenGrant.pid;
  const claims = accessTokenClaims({ issuer: deps.issuer, client, grant: tokenGrant, iat, lifetime, jti: id, jkt });
  if (policy.opaque && deps.ephemeral) {
    // By reference (spec §4): the token is random; its hash keys both the grant link and the claims.
    const { token, key } = newOpaqueToken();
    await saveOpaqueClaims(deps.ephemeral, key, claims, lifetime);
    return { token, expiresIn: lifetime, record: { jti: key, grantId: grant.id, expiresAt: (iat + lifetime) * 1000 } };
  }
  return { claims, expiresIn: lifetime, record: { jti: id, grantId: grant.id, expiresAt: (iat + lifetime) * 1000 } };
}

/** Signs an access token (opaque ones are made without a signature). */
export async function signAccessToken(deps: IssueDeps, client: Client, grant: Grant, jkt?: string): Promise<AccessToken> {
  const at = await prepareAccessToken(deps, client, grant, jkt);
  return at.token !== undefined ? at : { ...at, token: await deps.keys.sign(at.claims, ACCESS_TOKEN_TYP) };
}

/** The ID token's claims (OIDC Core §2), signed by the caller. */
export function idTokenPayload(deps: IssueDeps, client: Client, grant: Grant, nonce: string | undefined): JWTPayload {
  const iat = Math.floor(deps.now() / 1000);
  return idTokenClaims({ issuer: deps.issuer, client, grant, nonce, iat, lifetime: deps.idTokenLifetime, jti: jti() });
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
