/**
 * Native clients' loopback redirect URIs through real HTTP (RFC 8252 §7.3): registered without a
 * port (or with one), they match whatever port the app opened, at /authorize and at the token
 * endpoint; `localhost` (RFC 8252 §8.3), other paths and other client types stay exact.
 */
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckedBrowser, authorizeUrl, http, newPkce, tokenRequest, type HttpResult } from './checks.js';
import { loginWithTestId, startServer, webClient, type Step, type TestServer } from './harness.js';
import { startCodeFlow } from './openid-client-flow.js';

const NATIVE = 'native-app';
const WEB = 'web-loopback';

function nativeClient(): Record<string, unknown> {
  return webClient(NATIVE, {
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    client_secret: undefined,
    redirect_uris: ['http://127.0.0.1/callback', 'http://[::1]:8080/callback', 'http://localhost/callback'],
    post_logout_redirect_uris: [],
  });
}

function expectErrorPage(res: HttpResult | Step): void {
  expect(res.status).toBe(400);
  expect(res.headers.get('location')).toBeNull();
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
}

describe('native clients: loopback redirect URIs on any port (RFC 8252 §7.3)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      clients: [nativeClient(), webClient(WEB, { redirect_uris: ['http://127.0.0.1/callback'] })],
    });
  });
  afterAll(async () => server?.close());

  /** Logs in and returns the redirect back to the app and the PKCE verifier. */
  async function login(redirectUri: string, client = NATIVE): Promise<{ location: URL; verifier: string }> {
    const pkce = newPkce();
    const step = await loginWithTestId(new CheckedBrowser(server.issuer), authorizeUrl(server.issuer, client, { redirect_uri: redirectUri }, pkce.challenge));
    expect(step.location, `${step.status} ${step.html.slice(0, 500)}`).toBeTruthy();
    return { location: new URL(step.location!), verifier: pkce.verifier };
  }

  it('openid-client as a native app on an ephemeral port: the response goes to that port and the code redeems', async () => {
    const redirectUri = 'http://127.0.0.1:51234/callback';
    const { config, url, verifier, state, nonce } = await startCodeFlow(server.issuer, NATIVE, oidc.None(), redirectUri);
    const step = await loginWithTestId(new CheckedBrowser(server.issuer), url.href);
    const location = new URL(step.location!);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('iss')).toBe(server.issuer);
    const tokens = await oidc.authorizationCodeGrant(config, location, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.claims()?.aud).toBe(NATIVE);
  });

  it.each(['http://127.0.0.1:40001/callback', 'http://127.0.0.1/callback', 'http://[::1]:40002/callback', 'http://[::1]/callback'])(
    '%s is accepted and answered on its own port', async (redirectUri) => {
      const { location, verifier } = await login(redirectUri);
      expect(`${location.origin}${location.pathname}`).toBe(new URL(redirectUri).href);
      const res = await tokenRequest(server.issuer, { grant_type: 'authorization_code', client_id: NATIVE, code: location.searchParams.get('code')!, redirect_uri: redirectUri, code_verifier: verifier });
      expect(res.status, res.text).toBe(200);
    });

  it('the token request may name the loopback URI with another port than the authorization request', async () => {
    const { location, verifier } = await login('http://127.0.0.1:40003/callback');
    const res = await tokenRequest(server.issuer, { grant_type: 'authorization_code', client_id: NATIVE, code: location.searchParams.get('code')!, redirect_uri: 'http://127.0.0.1:40004/callback', code_verifier: verifier });
    expect(res.status, res.text).toBe(200);
  });

  it.each([
    ['another path', 'http://127.0.0.1:40005/other'],
    ['the other loopback address', 'http://[::1]:40005/callback'],
    ['https', 'https://127.0.0.1:40005/callback'],
  ])('the token request with %s → invalid_grant', async (_name, tokenRedirect) => {
    const { location, verifier } = await login('http://127.0.0.1:40005/callback');
    const res = await tokenRequest(server.issuer, { grant_type: 'authorization_code', client_id: NATIVE, code: location.searchParams.get('code')!, redirect_uri: tokenRedirect, code_verifier: verifier });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error).toBe('invalid_grant');
  });

  it.each([
    ['localhost on another port (not a loopback IP literal, RFC 8252 §8.3)', 'http://localhost:40006/callback', NATIVE],
    ['a loopback URI with another path', 'http://127.0.0.1:40006/callbackx', NATIVE],
    ['a loopback URI with an added query', 'http://127.0.0.1:40006/callback?x=1', NATIVE],
    ['another address in 127/8', 'http://127.0.0.2:40006/callback', NATIVE],
    ['user information that points elsewhere', 'http://127.0.0.1:40006@evil.example/callback', NATIVE],
    ['a web client\'s loopback URI on another port', 'http://127.0.0.1:40006/callback', WEB],
  ])('%s → error page, no redirect', async (_name, redirectUri, client) => {
    expectErrorPage(await http(authorizeUrl(server.issuer, client, { redirect_uri: redirectUri })));
  });

  it('localhost registered without a port matches only itself', async () => {
    const { location } = await login('http://localhost/callback');
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost/callback');
  });
});
