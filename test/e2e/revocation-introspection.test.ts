import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { Browser, callbackParams, loginWithTestId, secretOf, startServer, webClient, type TestServer } from './harness.js';
import { answerLogoutConfirm } from './logout-confirm.js';

const PID = '15895010046';

describe('revocation (RFC 7009) and introspection (RFC 7662) with openid-client', () => {
  let server: TestServer;
  const clock = new ManualClock();
  let doc: Record<string, unknown>;

  beforeAll(async () => {
    server = await startServer({
      clock,
      clients: [
        webClient('app'),
        webClient('app2'),
        webClient('introspector', { scopes: ['openid', 'idporten:token.introspection'] }),
      ],
    });
    doc = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  });
  afterAll(async () => server?.close());

  const configs = new Map<string, oidc.Configuration>();
  async function configFor(id: string, secret = secretOf(id)): Promise<oidc.Configuration> {
    const key = `${id}:${secret}`;
    let c = configs.get(key);
    if (!c) {
      c = await oidc.discovery(new URL(server.issuer), id, undefined, oidc.ClientSecretBasic(secret), { execute: [oidc.allowInsecureRequests] });
      configs.set(key, c);
    }
    return c;
  }

  /** Logs in to a client (silently when the browser session already has a context for it). */
  async function login(id: string, b: Browser, extra: Record<string, string> = {}) {
    const config = await configFor(id);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `https://${id}.example.test/callback`, scope: 'openid profile', state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
    });
    const step = await loginWithTestId(b, url.href);
    expect(step.location?.startsWith(`https://${id}.example.test/callback`), `no callback: ${step.status} ${step.url}`).toBe(true);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.location!), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    return { config, tokens, step };
  }

  async function userinfoStatus(accessToken: string): Promise<number> {
    const res = await fetch(doc.userinfo_endpoint as string, { headers: { authorization: `Bearer ${accessToken}` } });
    await res.arrayBuffer();
    return res.status;
  }

  async function introspect(token: string, params?: Record<string, string>) {
    return oidc.tokenIntrospection(await configFor('introspector'), token, params);
  }

  it('discovery advertises the logout, revocation and introspection endpoints and the logout flags', () => {
    expect(doc.end_session_endpoint).toMatch(/^http:\/\/.+\/logout$/);
    expect(doc.revocation_endpoint).toBe(`${server.issuer}/token/revoke`);
    expect(doc.introspection_endpoint).toBe(`${server.issuer}/token/introspect`);
    expect(doc).toMatchObject({
      frontchannel_logout_supported: true,
      frontchannel_logout_session_supported: true,
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
    });
  });

  describe('revocation', () => {
    it('revoking the access token revokes the refresh token too (the whole grant), and leaves other grants alone', async () => {
      const b = new Browser(server.issuer);
      const first = await login('app', b);
      const second = await login('app', b); // silent SSO: another grant of the same client
      expect(await userinfoStatus(first.tokens.access_token)).toBe(200);
      await oidc.tokenRevocation(first.config, first.tokens.access_token);
      expect(await userinfoStatus(first.tokens.access_token)).toBe(401);
      await expect(oidc.refreshTokenGrant(first.config, first.tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      // the other grant is untouched
      expect(await userinfoStatus(second.tokens.access_token)).toBe(200);
      expect((await oidc.refreshTokenGrant(second.config, second.tokens.refresh_token!)).access_token).toBeTruthy();
    });

    it('revoking the refresh token revokes the access token too', async () => {
      const { config, tokens } = await login('app', new Browser(server.issuer));
      await oidc.tokenRevocation(config, tokens.refresh_token!, { token_type_hint: 'refresh_token' });
      expect(await userinfoStatus(tokens.access_token)).toBe(401);
      await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      expect((await introspect(tokens.access_token)).active).toBe(false);
    });

    it('answers 200 for unknown tokens', async () => {
      const config = await configFor('app');
      await expect(oidc.tokenRevocation(config, 'no-such-token')).resolves.toBeUndefined();
      await expect(oidc.tokenRevocation(config, 'no-such-token', { token_type_hint: 'refresh_token' })).resolves.toBeUndefined();
      await expect(oidc.tokenRevocation(config, 'eyJhbGciOiJub25lIn0.e30.', { token_type_hint: 'access_token' })).resolves.toBeUndefined();
    });

    it('does not revoke a token of another client', async () => {
      const { config, tokens } = await login('app', new Browser(server.issuer));
      const other = await configFor('app2');
      await expect(oidc.tokenRevocation(other, tokens.access_token)).resolves.toBeUndefined();
      await expect(oidc.tokenRevocation(other, tokens.refresh_token!)).resolves.toBeUndefined();
      expect(await userinfoStatus(tokens.access_token)).toBe(200);
      expect((await introspect(tokens.access_token)).active).toBe(true);
      expect((await oidc.refreshTokenGrant(config, tokens.refresh_token!)).access_token).toBeTruthy();
    });

    it('refuses unauthenticated callers with 401', async () => {
      const { tokens } = await login('app', new Browser(server.issuer));
      // wrong secret
      await expect(oidc.tokenRevocation(await configFor('app', 'a-wrong-secret-of-sufficient-length-000000'), tokens.access_token))
        .rejects.toMatchObject({ status: 401 });
      // no client authentication at all
      const res = await fetch(doc.revocation_endpoint as string, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: tokens.access_token }),
      });
      expect(res.status).toBe(401);
      expect((await res.json()).error).toBe('invalid_client');
      // nothing was revoked
      expect(await userinfoStatus(tokens.access_token)).toBe(200);
    });

    it('does not touch the browser session: a silent re-login to the same client still works', async () => {
      const b = new Browser(server.issuer);
      const first = await login('app', b);
      await oidc.tokenRevocation(first.config, first.tokens.refresh_token!);
      const again = await login('app', b);
      expect(again.step.url).toContain('/authorize'); // no eID selector: silent SSO
      expect(again.tokens.claims()!.auth_time).toBe(first.tokens.claims()!.auth_time);
      expect(await userinfoStatus(again.tokens.access_token)).toBe(200);
      // prompt=none works as well
      const config = await configFor('app');
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: 'https://app.example.test/callback', scope: 'openid profile', state: 'st', nonce: 'nn', prompt: 'none',
        code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
      });
      const cb = callbackParams(await b.go(url.href));
      expect(cb.get('error')).toBeNull();
      expect(cb.get('code')).toBeTruthy();
    });
  });

  describe('introspection', () => {
    it('reports an active access token with its claims, and an active refresh token', async () => {
      const { tokens } = await login('app', new Browser(server.issuer));
      const r = await introspect(tokens.access_token);
      const claims = tokens.claims()!;
      expect(r).toMatchObject({
        active: true, token_type: 'Bearer', scope: 'openid profile', client_id: 'app', iss: server.issuer,
        sub: claims.sub, pid: PID, acr: 'substantial', amr: ['TestID'],
      });
      expect(typeof r.exp).toBe('number');
      expect(typeof r.iat).toBe('number');
      expect(r.exp! - r.iat!).toBe(120);
      expect(r.expires_in).toBeGreaterThan(0);
      expect(r.expires_in).toBeLessThanOrEqual(120);
      expect(r.jti).toBeTruthy();
      const rr = await introspect(tokens.refresh_token!, { token_type_hint: 'refresh_token' });
      expect(rr).toMatchObject({ active: true, client_id: 'app', scope: 'openid profile', sub: claims.sub });
    });

    it('reports revoked tokens as inactive', async () => {
      const { config, tokens } = await login('app', new Browser(server.issuer));
      await oidc.tokenRevocation(config, tokens.access_token);
      expect(await introspect(tokens.access_token)).toEqual({ active: false });
      expect(await introspect(tokens.refresh_token!)).toEqual({ active: false });
    });

    it('reports logged-out tokens as inactive', async () => {
      const b = new Browser(server.issuer);
      const { tokens } = await login('app', b);
      expect((await introspect(tokens.access_token)).active).toBe(true);
      const asked = await b.request(`${doc.end_session_endpoint as string}?${new URLSearchParams({ client_id: 'app', post_logout_redirect_uri: 'https://app.example.test/logged-out', state: 'bye' })}`);
      // client_id alone does not prove the request came from the user's service: the user confirms first.
      expect((await introspect(tokens.access_token)).active).toBe(true);
      const res = await answerLogoutConfirm(b, asked, 'logout');
      expect(res.status).toBe(302);
      expect(await introspect(tokens.access_token)).toEqual({ active: false });
      expect(await introspect(tokens.refresh_token!)).toEqual({ active: false });
    });

    it('refuses a client without the introspection scope with 403, and unauthenticated callers with 401', async () => {
      const { tokens } = await login('app', new Browser(server.issuer));
      await expect(oidc.tokenIntrospection(await configFor('app'), tokens.access_token)).rejects.toMatchObject({ status: 403 });
      await expect(oidc.tokenIntrospection(await configFor('introspector', 'a-wrong-secret-of-sufficient-length-000000'), tokens.access_token))
        .rejects.toMatchObject({ status: 401 });
      const res = await fetch(doc.introspection_endpoint as string, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: tokens.access_token }),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('cache-control')).toMatch(/no-store/);
    });

    // Moves the shared ManualClock forward: keep this test last.
    it('reports expired tokens as inactive', async () => {
      const { tokens } = await login('app', new Browser(server.issuer));
      expect((await introspect(tokens.access_token)).active).toBe(true);
      clock.advance(121_000); // access token lifetime is 120 s
      expect(await introspect(tokens.access_token)).toEqual({ active: false });
      expect(await userinfoStatus(tokens.access_token)).toBe(401);
      expect((await introspect(tokens.refresh_token!)).active).toBe(true); // refresh tokens live 600 s
      clock.advance(600_000);
      expect(await introspect(tokens.refresh_token!)).toEqual({ active: false });
    });
  });
});
