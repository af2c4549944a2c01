import * as oidc from 'openid-client';

/** What an openid-client relying party keeps between the authorization request and the callback. */
export interface CodeFlowStart {
  config: oidc.Configuration;
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

/**
 * Discovers the provider (http allowed, it runs on loopback) and builds an authorization URL with
 * PKCE (S256), state and nonce for `redirectUri`, as a relying party on openid-client does.
 */
export async function startCodeFlow(
  issuer: string, clientId: string, auth: oidc.ClientAuth, redirectUri: string, extra: Record<string, string> = {},
): Promise<CodeFlowStart> {
  const config = await oidc.discovery(new URL(issuer), clientId, undefined, auth, { execute: [oidc.allowInsecureRequests] });
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: 'openid profile', state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
  });
  return { config, url, verifier, state, nonce };
}
