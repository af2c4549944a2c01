import { redirectUriMatches } from '../../clients/loopback-redirect.js';
import { OAuthError } from '../../core/oauth-error.js';
import { randomId } from '../../core/random.js';
import type { Params } from '../../core/params.js';
import type { EphemeralStore, Grant, IssuedTokenRecords } from '../../store/ports.js';
import { pairwiseSubject } from '../../tokens/pairwise-subject.js';
import { ACCESS_TOKEN_TYP } from '../../tokens/token-claims.js';
import { grantOfUsedCode, takeCode } from '../authorization-code.js';
import type { AuthenticatedClient } from '../client-auth/client-auth-types.js';
import { grantLifetimeSeconds, idTokenPayload, newRefreshToken, prepareAccessToken, type IssueDeps, type TokenResponse } from './issue-tokens.js';
import { isValidVerifier, verifyS256 } from './pkce.js';

export interface CodeGrantDeps extends IssueDeps {
  ephemeral: EphemeralStore;
  pairwiseSalt: string;
}

const invalidGrant = (d: string) => new OAuthError('invalid_grant', d, 'json');

/**
 * grant_type=authorization_code (spec §7.2): single use, bound to client, redirect_uri and PKCE.
 * With a DPoP proof (`jkt`, its key's thumbprint) the access token is DPoP-bound; a public client
 * gets a refresh token only then, bound to the same key (RFC 9449 §5).
 */
export async function authorizationCodeGrant(deps: CodeGrantDeps, auth: AuthenticatedClient, body: Params, jkt?: string): Promise<TokenResponse> {
  const code = body.get('code');
  if (!code) throw new OAuthError('invalid_request', 'code is missing', 'json');
  const redirectUri = body.get('redirect_uri');
  if (!redirectUri) throw new OAuthError('invalid_request', 'redirect_uri is missing', 'json');
  const verifier = body.get('code_verifier');
  if (verifier !== undefined && !isValidVerifier(verifier)) throw new OAuthError('invalid_request', 'code_verifier must be 43-128 characters of [A-Za-z0-9-._~]', 'json');

  // The grant's id is chosen first, so that taking the code remembers it in the same step.
  const grantId = randomId(16);
  const rec = await takeCode(deps.ephemeral, code, { grantId, ttlSeconds: auth.client.authorization_lifetime }, auth.limit);
  if (!rec) {
    // A code presented again: revoke what its first redemption issued (RFC 6749 §4.1.2).
    const firstGrantId = await grantOfUsedCode(deps.ephemeral, code);
    if (firstGrantId) await deps.grants.revokeGrant(firstGrantId);
    throw invalidGrant('the code is invalid, expired or already used');
  }
  if (rec.clientId !== auth.client.client_id) throw invalidGrant('the code was issued to another client');
  // RFC 6749 §4.1.3: the redirect_uri of the authorization request; for a native client's loopback
  // IP URI the port may differ (RFC 8252 §7.3), as it may between registration and request.
  if (!redirectUriMatches(rec.redirectUri, redirectUri, auth.client.application_type)) {
    throw invalidGrant('redirect_uri does not match the authorization request');
  }
  if (rec.codeChallenge !== undefined) {
    if (verifier === undefined) throw invalidGrant('code_verifier is required');
    if (!verifyS256(verifier, rec.codeChallenge)) throw invalidGrant('code_verifier does not match code_challenge');
  } else if (verifier !== undefined) {
    throw invalidGrant('code_verifier given but the authorization request had no code_challenge');
  }

  const client = auth.client;
  const now = deps.now();
  const ctx = rec.context;
  const grant: Grant = {
    id: grantId,
    clientId: client.client_id,
    sub: pairwiseSubject(deps.pairwiseSalt, client.client_id, ctx.subjectRef),
    pid: ctx.pid,
    scope: rec.scope,
    acr: ctx.acr,
    amr: ctx.amr,
    authTime: ctx.authTime,
    sid: rec.sid,
    locale: ctx.locale,
    claims: ctx.claims,
    authorizationDetails: rec.authorizationDetails,
    resource: rec.resource,
    clientAmr: auth.clientAmr ?? auth.method,
    createdAt: now,
    expiresAt: now + (await grantLifetimeSeconds(deps, client, rec.scope)) * 1000,
    revoked: false,
  };
  const isPublic = client.token_endpoint_auth_method === 'none';
  // Refresh tokens of public clients are bound to the DPoP key; confidential clients' are not (RFC 9449 §5).
  if (isPublic && jkt !== undefined) grant.dpopJkt = jkt;
  // Sign first, then store the grant with its token records in one commit. The two signatures
  // run side by side: the access token's on the thread pool, the ID token's here
  // (SigningKeys.signAll in src/tokens/signing-keys.ts).
  const prepared = await prepareAccessToken(deps, client, grant, jkt);
  const withIdToken = grant.scope.split(' ').includes('openid');
  // An opaque access token (spec §4) is already made; only JWTs are signed, in this order.
  const signed = await deps.keys.signAll([
    ...(prepared.claims ? [{ payload: prepared.claims, typ: ACCESS_TOKEN_TYP }] : []),
    ...(withIdToken ? [{ payload: idTokenPayload(deps, client, grant, rec.nonce), typ: 'JWT' }] : []),
  ]);
  const at = { ...prepared, token: prepared.token ?? signed[0]! };
  const idToken = withIdToken ? signed.at(-1) : undefined;
  const res: TokenResponse = { access_token: at.token, token_type: jkt !== undefined ? 'DPoP' : 'Bearer', expires_in: at.expiresIn, scope: grant.scope };
  if (idToken !== undefined) res.id_token = idToken;
  const records: IssuedTokenRecords = { accessToken: at.record };
  // A public client's refresh token would be a bearer secret in a browser or app: only DPoP-bound (spec §7.3).
  if (client.grant_types.includes('refresh_token') && (!isPublic || grant.dpopJkt !== undefined)) {
    const rt = newRefreshToken(deps, client, grant);
    res.refresh_token = rt.token;
    res.refresh_token_expires_in = rt.expiresIn;
    records.refreshToken = rt.record;
  }
  await deps.grants.createGrant(grant, records);
  if (grant.authorizationDetails) res.authorization_details = grant.authorizationDetails;
  return res;
}
