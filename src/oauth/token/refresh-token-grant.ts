import { OAuthError } from '../../core/oauth-error.js';
import { sha256b64url } from '../../core/random.js';
import type { Params } from '../../core/params.js';
import type { AuthenticatedClient } from '../client-auth/client-auth-types.js';
import { newRefreshToken, signAccessToken, type IssueDeps, type TokenResponse } from './issue-tokens.js';
import type { IssuedTokenRecords } from '../../store/ports.js';

const invalidGrant = (d: string) => new OAuthError('invalid_grant', d, 'json');

/**
 * grant_type=refresh_token (spec §7.3). ONETIME rotates on every use and a reused token revokes
 * the whole grant (the token family); REUSE keeps the token and slides its idle window.
 * refresh_token_lifetime is the idle window, authorization_lifetime the absolute limit.
 * A DPoP-bound refresh token (public clients) needs a proof made with its key; the new access
 * token is bound to the key of the proof presented now, if any (RFC 9449 §5).
 */
export async function refreshTokenGrant(deps: IssueDeps, auth: AuthenticatedClient, body: Params, jkt?: string): Promise<TokenResponse> {
  const token = body.get('refresh_token');
  if (!token) throw new OAuthError('invalid_request', 'refresh_token is missing', 'json');
  if (token.length > 200) throw invalidGrant('the refresh token is invalid');
  const hash = sha256b64url(token);
  const rec = await deps.grants.getRefreshToken(hash);
  if (!rec) throw invalidGrant('the refresh token is invalid');
  const grant = await deps.grants.getGrant(rec.grantId);
  const now = deps.now();
  if (!grant || grant.clientId !== auth.client.client_id) throw invalidGrant('the refresh token is invalid');
  if (grant.revoked) throw invalidGrant('the grant has been revoked');
  if (grant.expiresAt <= now) throw invalidGrant('the grant has expired (authorization_lifetime)');
  if (rec.expiresAt <= now) throw invalidGrant('the refresh token has expired');

  const client = auth.client;
  if (!client.grant_types.includes('refresh_token')) throw new OAuthError('unauthorized_client', 'the client is not registered for refresh_token', 'json');
  // Checked before the token is used up, so a request without the key cannot spend it.
  if (grant.dpopJkt !== undefined) {
    if (jkt === undefined) throw invalidGrant('the refresh token is DPoP-bound: a DPoP proof of its key is required');
    if (jkt !== grant.dpopJkt) throw invalidGrant('the DPoP proof is not made with the key the refresh token is bound to');
  } else if (client.token_endpoint_auth_method === 'none') {
    throw invalidGrant('the refresh token of a public client must be DPoP-bound');
  }
  // A client may ask for fewer scopes than granted (RFC 6749 §6), never more.
  const requested = body.get('scope');
  let scope = grant.scope;
  if (requested !== undefined && requested.trim() !== '') {
    const granted = grant.scope.split(' ');
    const asked = [...new Set(requested.split(' ').filter((s) => s.length > 0))];
    const bad = asked.filter((s) => !granted.includes(s));
    if (bad.length > 0) throw new OAuthError('invalid_scope', `scope exceeds the original grant: ${bad.join(' ')}`, 'json');
    scope = granted.filter((s) => asked.includes(s)).join(' ');
  }
  // API scopes the client may no longer use (deactivated, access revoked: spec §15.4) are dropped.
  if (deps.scopes) {
    const refused = new Set((await deps.scopes.refusals(client, scope.split(' '))).map((r) => r.scope));
    if (refused.size > 0) scope = scope.split(' ').filter((s) => !refused.has(s)).join(' ');
  }

  let refresh: { token: string; expiresIn: number };
  const records: IssuedTokenRecords = {};
  if (client.refresh_token_usage === 'ONETIME' || rec.used) {
    const first = await deps.grants.markRefreshTokenUsed(hash);
    if (!first) {
      await deps.grants.revokeGrant(grant.id);
      throw invalidGrant('the refresh token has already been used; the grant is revoked');
    }
    const rt = newRefreshToken(deps, client, grant);
    refresh = rt;
    records.refreshToken = rt.record;
  } else {
    const expiresAt = Math.min(now + client.refresh_token_lifetime * 1000, grant.expiresAt);
    await deps.grants.touchRefreshToken(hash, expiresAt);
    refresh = { token, expiresIn: Math.floor((expiresAt - now) / 1000) };
  }
  const at = await signAccessToken(deps, client, scope === grant.scope ? grant : { ...grant, scope }, jkt);
  records.accessToken = at.record;
  await deps.grants.saveTokens(records);
  const res: TokenResponse = {
    access_token: at.token, token_type: jkt !== undefined ? 'DPoP' : 'Bearer', expires_in: at.expiresIn,
    refresh_token: refresh.token, refresh_token_expires_in: refresh.expiresIn, scope,
  };
  if (grant.authorizationDetails) res.authorization_details = grant.authorizationDetails;
  return res;
}
