import { randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, exportJWK, generateKeyPair } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { secretOf, startServer, webClient, type TestServer } from './harness.js';
import { CheckedBrowser, basicAuth, http, obtainCode, redeem, tokenRequest, type HttpResult } from './checks.js';

function expectOAuthError(res: HttpResult, status: number, error: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  expect(res.json.error).toBe(error);
  expect(typeof res.json.error_description).toBe('string');
  expect(res.headers.get('cache-control')).toBe('no-store');
}

function expectInvalidClient(res: HttpResult): void {
  expectOAuthError(res, 401, 'invalid_client');
  expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
}

describe('token endpoint errors (spec §7.6)', () => {
  let server: TestServer;
  let pkjwtKey: CryptoKey;
  let otherKey: CryptoKey;

  beforeAll(async () => {
    const kp = await generateKeyPair('RS256', { extractable: true });
    pkjwtKey = kp.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(kp.publicKey)), kid: 'tok-e2e-key', alg: 'RS256', use: 'sig' };
    server = await startServer({
      clients: [
        webClient('basic'),
        webClient('post', { token_endpoint_auth_method: 'client_secret_post' }),
        webClient('pkjwt', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] }, client_secret: undefined }),
        webClient('norefresh', { grant_types: ['authorization_code'] }),
        webClient('other'),
      ],
    });
  });
  afterAll(async () => server?.close());

  const code = (client = 'basic', params?: Record<string, string | undefined>) => obtainCode(new CheckedBrowser(server.issuer), server.issuer, client, { params });

  async function assertion(claims: Record<string, unknown> = {}, opts: { key?: CryptoKey; kid?: string; lifetime?: number; alg?: string } = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const base = { iss: 'pkjwt', sub: 'pkjwt', aud: server.issuer, iat: now, exp: now + (opts.lifetime ?? 60), jti: randomUUID(), ...claims };
    return new SignJWT(base).setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: opts.kid ?? 'tok-e2e-key' }).sign(opts.key ?? pkjwtKey);
  }
  const withAssertion = (a: string, form: Record<string, string>) =>
    tokenRequest(server.issuer, { client_id: 'pkjwt', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: a, ...form });
  const bogusRefresh = { grant_type: 'refresh_token', refresh_token: 'not-a-real-refresh-token' };

  describe('client authentication → 401 invalid_client with WWW-Authenticate', () => {
    it('a wrong secret', async () => {
      const c = await code();
      const res = await tokenRequest(server.issuer, { grant_type: 'authorization_code', code: c.code, redirect_uri: c.redirectUri, code_verifier: c.verifier }, { authorization: basicAuth('basic', 'wrong-secret-that-is-long-enough-for-production') });
      expectInvalidClient(res);
      // the code survives a failed client authentication
      expect((await redeem(server.issuer, 'basic', c)).status).toBe(200);
    });

    it('an unknown client', async () => {
      expectInvalidClient(await tokenRequest(server.issuer, bogusRefresh, { authorization: basicAuth('nobody', secretOf('nobody')) }));
      expectInvalidClient(await tokenRequest(server.issuer, { ...bogusRefresh, client_id: 'nobody', client_secret: 'x' }));
    });

    it('no client authentication at all', async () => {
      expectInvalidClient(await tokenRequest(server.issuer, { ...bogusRefresh, client_id: 'basic' }));
      expectInvalidClient(await tokenRequest(server.issuer, bogusRefresh));
    });

    it('a client_secret_basic client using client_secret_post', async () => {
      expectInvalidClient(await tokenRequest(server.issuer, { ...bogusRefresh, client_id: 'basic', client_secret: secretOf('basic') }));
    });

    it('a client_secret_post client using client_secret_basic', async () => {
      expectInvalidClient(await tokenRequest(server.issuer, bogusRefresh, { basic: 'post' }));
    });

    it('a private_key_jwt client using a secret', async () => {
      expectInvalidClient(await tokenRequest(server.issuer, bogusRefresh, { authorization: basicAuth('pkjwt', 'some-secret-that-is-long-enough-for-anything') }));
      expectInvalidClient(await tokenRequest(server.issuer, { ...bogusRefresh, client_id: 'pkjwt', client_secret: 'some-secret-that-is-long-enough-for-anything' }));
    });

    it('a secret client using a client_assertion', async () => {
      const a = await assertion({ iss: 'basic', sub: 'basic' });
      expectInvalidClient(await tokenRequest(server.issuer, { ...bogusRefresh, client_id: 'basic', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: a }));
    });

    it('a malformed Authorization header', async () => {
      for (const h of ['Basic !!!', 'Basic', 'Bearer abc', `Basic ${Buffer.from('no-colon').toString('base64')}`, `Basic ${Buffer.from('%ZZ:x').toString('base64')}`]) {
        const res = await tokenRequest(server.issuer, bogusRefresh, { authorization: h });
        expect(res.status, h).toBe(401);
        expect(res.json.error).toBe('invalid_client');
      }
    });
  });

  describe('request problems → 400', () => {
    it('two authentication methods at once → invalid_request', async () => {
      expectOAuthError(await tokenRequest(server.issuer, { ...bogusRefresh, client_secret: secretOf('basic') }, { basic: 'basic' }), 400, 'invalid_request');
    });

    it('a client_id in the body that differs from the Basic credentials → invalid_request', async () => {
      expectOAuthError(await tokenRequest(server.issuer, { ...bogusRefresh, client_id: 'other' }, { basic: 'basic' }), 400, 'invalid_request');
    });

    it('unsupported grant types → unsupported_grant_type', async () => {
      for (const gt of ['client_credentials', 'password', 'implicit', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'urn:ietf:params:oauth:grant-type:device_code']) {
        expectOAuthError(await tokenRequest(server.issuer, { grant_type: gt }, { basic: 'basic' }), 400, 'unsupported_grant_type');
      }
    });

    it('a missing grant_type → invalid_request', async () => {
      expectOAuthError(await tokenRequest(server.issuer, { code: 'x' }, { basic: 'basic' }), 400, 'invalid_request');
    });

    it('a repeated parameter → invalid_request', async () => {
      expectOAuthError(await tokenRequest(server.issuer, { grant_type: ['authorization_code', 'authorization_code'], code: 'x' }, { basic: 'basic' }), 400, 'invalid_request');
    });

    it('refresh_token grant for a client without it → unauthorized_client', async () => {
      const c = await code('norefresh');
      const res = await redeem(server.issuer, 'norefresh', c);
      expect(res.status).toBe(200);
      expect(res.json.refresh_token).toBeUndefined();
      expectOAuthError(await tokenRequest(server.issuer, bogusRefresh, { basic: 'norefresh' }), 400, 'unauthorized_client');
    });

    it('a JSON body instead of a form → invalid_request', async () => {
      const c = await code();
      const res = await http(`${server.issuer}/token`, {
        method: 'POST',
        body: JSON.stringify({ grant_type: 'authorization_code', code: c.code, redirect_uri: c.redirectUri, code_verifier: c.verifier }),
        headers: { 'content-type': 'application/json', authorization: basicAuth('basic', secretOf('basic')) },
      });
      expectOAuthError(res, 400, 'invalid_request');
    });

    it('malformed JSON, a text body and no body → invalid_request', async () => {
      const auth = basicAuth('basic', secretOf('basic'));
      const cases: RequestInit[] = [
        { method: 'POST', body: '{oops', headers: { 'content-type': 'application/json', authorization: auth } },
        { method: 'POST', body: 'grant_type=authorization_code', headers: { 'content-type': 'text/plain', authorization: auth } },
        { method: 'POST', headers: { authorization: auth } },
      ];
      for (const init of cases) expectOAuthError(await http(`${server.issuer}/token`, init), 400, 'invalid_request');
    });

    it('GET /token is not a token request', async () => {
      const res = await http(`${server.issuer}/token?grant_type=authorization_code`);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    });
  });

  describe('authorization codes → invalid_grant', () => {
    it('code reuse → invalid_grant, and the tokens of the first redemption stop working', async () => {
      const c = await code();
      const first = await redeem(server.issuer, 'basic', c);
      expect(first.status).toBe(200);
      const at = first.json.access_token as string;
      const rt = first.json.refresh_token as string;
      expect((await http(`${server.issuer}/userinfo`, { headers: { authorization: `Bearer ${at}` } })).status).toBe(200);

      expectOAuthError(await redeem(server.issuer, 'basic', c), 400, 'invalid_grant');

      const ui = await http(`${server.issuer}/userinfo`, { headers: { authorization: `Bearer ${at}` } });
      expect(ui.status).toBe(401);
      expect(ui.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
      expectOAuthError(await tokenRequest(server.issuer, { grant_type: 'refresh_token', refresh_token: rt }, { basic: 'basic' }), 400, 'invalid_grant');
    });

    it('code reuse is also detected through openid-client', async () => {
      const config = await oidc.discovery(new URL(server.issuer), 'basic', undefined, oidc.ClientSecretBasic(secretOf('basic')), { execute: [oidc.allowInsecureRequests] });
      const c = await code();
      const cb = new URL(c.step.location!);
      const tokens = await oidc.authorizationCodeGrant(config, cb, { pkceCodeVerifier: c.verifier, expectedState: 'state-1', expectedNonce: 'nonce-1' });
      expect(tokens.access_token).toBeTruthy();
      await expect(oidc.authorizationCodeGrant(config, cb, { pkceCodeVerifier: c.verifier, expectedState: 'state-1', expectedNonce: 'nonce-1' }))
        .rejects.toMatchObject({ error: 'invalid_grant', status: 400 });
      await expect(oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)).rejects.toMatchObject({ status: 401 });
      await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    });

    it('a code redeemed by another client → invalid_grant', async () => {
      const c = await code('basic');
      expectOAuthError(await redeem(server.issuer, 'other', { ...c, redirectUri: 'https://other.example.test/callback' }), 400, 'invalid_grant');
      expectOAuthError(await redeem(server.issuer, 'other', c), 400, 'invalid_grant');
    });

    it('a redirect_uri that differs from the authorization request → invalid_grant', async () => {
      const c = await code();
      expectOAuthError(await redeem(server.issuer, 'basic', { ...c, redirectUri: `${c.redirectUri}/` }), 400, 'invalid_grant');
    });

    it('a missing redirect_uri → invalid_request', async () => {
      const c = await code();
      expectOAuthError(await tokenRequest(server.issuer, { grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier }, { basic: 'basic' }), 400, 'invalid_request');
    });

    it('a missing code_verifier → invalid_grant', async () => {
      const c = await code();
      expectOAuthError(await tokenRequest(server.issuer, { grant_type: 'authorization_code', code: c.code, redirect_uri: c.redirectUri }, { basic: 'basic' }), 400, 'invalid_grant');
    });

    it('a wrong code_verifier → invalid_grant', async () => {
      const c = await code();
      expectOAuthError(await redeem(server.issuer, 'basic', { ...c, verifier: 'A'.repeat(43) }), 400, 'invalid_grant');
    });

    it('a malformed code_verifier → 400', async () => {
      const c = await code();
      for (const v of ['short', 'x'.repeat(129), `${'a'.repeat(43)}!`]) {
        const res = await redeem(server.issuer, 'basic', { ...c, verifier: v });
        expect(res.status).toBe(400);
        expect(['invalid_request', 'invalid_grant']).toContain(res.json.error);
      }
    });

    it('an unknown, empty-looking or huge code → invalid_grant / invalid_request', async () => {
      expectOAuthError(await redeem(server.issuer, 'basic', { code: 'unknown-code', verifier: 'A'.repeat(43), redirectUri: 'https://basic.example.test/callback' }), 400, 'invalid_grant');
      expectOAuthError(await redeem(server.issuer, 'basic', { code: 'c'.repeat(5000), verifier: 'A'.repeat(43), redirectUri: 'https://basic.example.test/callback' }), 400, 'invalid_grant');
      expectOAuthError(await tokenRequest(server.issuer, { grant_type: 'authorization_code', redirect_uri: 'https://basic.example.test/callback' }, { basic: 'basic' }), 400, 'invalid_request');
    });
  });

  describe('private_key_jwt (spec §7.4)', () => {
    it('a valid assertion authenticates; a replayed one (same jti) → invalid_client', async () => {
      const a = await assertion();
      expectOAuthError(await withAssertion(a, bogusRefresh), 400, 'invalid_grant'); // authenticated, then the grant fails
      expectInvalidClient(await withAssertion(a, bogusRefresh));
    });

    it('a replayed jti in a fresh assertion → invalid_client', async () => {
      const jti = randomUUID();
      expectOAuthError(await withAssertion(await assertion({ jti }), bogusRefresh), 400, 'invalid_grant');
      expectInvalidClient(await withAssertion(await assertion({ jti }), bogusRefresh));
    });

    it('a full login with private_key_jwt works', async () => {
      const c = await code('pkjwt');
      const res = await withAssertion(await assertion(), { grant_type: 'authorization_code', code: c.code, redirect_uri: c.redirectUri, code_verifier: c.verifier });
      expect(res.status).toBe(200);
      expect(decodeJwt(res.json.access_token).client_amr).toBe('private_key_jwt');
    });

    const bad: [string, () => Promise<string>][] = [
      ['aud = the token endpoint URL', () => assertion({ aud: `${server.issuer}/token` })],
      ['aud as an array', () => assertion({ aud: [server.issuer] })],
      ['aud of another issuer', () => assertion({ aud: 'https://ansattporten.no' })],
      ['lifetime > 120 s', () => assertion({}, { lifetime: 300 })],
      ['expired', () => assertion({ iat: Math.floor(Date.now() / 1000) - 200, exp: Math.floor(Date.now() / 1000) - 100 })],
      ['iat in the future', () => assertion({ iat: Math.floor(Date.now() / 1000) + 600, exp: Math.floor(Date.now() / 1000) + 660 })],
      ['no jti', () => assertion({ jti: undefined })],
      ['iss of another client', () => assertion({ iss: 'other' })],
      ['sub of another client', () => assertion({ sub: 'other' })],
      ['an unregistered kid', () => assertion({}, { kid: 'unknown-kid' })],
      ['signed by another key', () => assertion({}, { key: otherKey })],
      ['alg none', async () => `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'tok-e2e-key' })).toString('base64url')}.${Buffer.from(JSON.stringify({ iss: 'pkjwt', sub: 'pkjwt', aud: server.issuer })).toString('base64url')}.`],
      ['not a JWT', async () => 'not-a-jwt'],
    ];
    for (const [name, make] of bad) {
      it(`${name} → invalid_client`, async () => {
        expectInvalidClient(await withAssertion(await make(), bogusRefresh));
      });
    }

    it('a wrong client_assertion_type → 400 invalid_request', async () => {
      const res = await tokenRequest(server.issuer, { ...bogusRefresh, client_id: 'pkjwt', client_assertion_type: 'urn:x', client_assertion: await assertion() });
      expect(res.status).toBe(400);
      expect(res.json.error).toBe('invalid_request');
    });

    it('a client_id that differs from the assertion → rejected', async () => {
      const res = await tokenRequest(server.issuer, { ...bogusRefresh, client_id: 'other', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await assertion() });
      expect([400, 401]).toContain(res.status);
      expect(['invalid_client', 'invalid_request']).toContain(res.json.error);
    });
  });

  describe('refresh tokens', () => {
    it('a refresh token of another client → invalid_grant', async () => {
      const res = await redeem(server.issuer, 'basic', await code());
      expectOAuthError(await tokenRequest(server.issuer, { grant_type: 'refresh_token', refresh_token: res.json.refresh_token }, { basic: 'other' }), 400, 'invalid_grant');
      // and it still works for its own client
      expect((await tokenRequest(server.issuer, { grant_type: 'refresh_token', refresh_token: res.json.refresh_token }, { basic: 'basic' })).status).toBe(200);
    });

    it('a missing refresh_token → invalid_request; a scope beyond the grant → invalid_scope', async () => {
      expectOAuthError(await tokenRequest(server.issuer, { grant_type: 'refresh_token' }, { basic: 'basic' }), 400, 'invalid_request');
      const res = await redeem(server.issuer, 'basic', await code());
      expectOAuthError(await tokenRequest(server.issuer, { grant_type: 'refresh_token', refresh_token: res.json.refresh_token, scope: 'openid profile email' }, { basic: 'basic' }), 400, 'invalid_scope');
    });
  });

  describe('refresh token scope narrowing (RFC 6749 §6)', () => {
    it('a narrower scope is issued as asked; the grant keeps its scopes for the next refresh', async () => {
      const res = await redeem(server.issuer, 'basic', await code());
      const narrowed = await tokenRequest(server.issuer, { grant_type: 'refresh_token', refresh_token: res.json.refresh_token, scope: 'openid' }, { basic: 'basic' });
      expect(narrowed.status).toBe(200);
      expect(narrowed.json.scope).toBe('openid');
      expect(decodeJwt(narrowed.json.access_token).scope).toBe('openid');
      const full = await tokenRequest(server.issuer, { grant_type: 'refresh_token', refresh_token: narrowed.json.refresh_token }, { basic: 'basic' });
      expect(full.status).toBe(200);
      expect(full.json.scope).toBe('openid profile');
    });
  });

  describe('userinfo (spec §10)', () => {
    it('no token → 401 with WWW-Authenticate: Bearer', async () => {
      const res = await http(`${server.issuer}/userinfo`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    });

    it('a garbage token → 401 invalid_token', async () => {
      for (const t of ['garbage', 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'x'.repeat(12_000)]) {
        const res = await http(`${server.issuer}/userinfo`, { headers: { authorization: `Bearer ${t}` } });
        expect(res.status, t.slice(0, 20)).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
      }
    });

    it('a malformed Authorization header → 400 or 401 with a Bearer challenge', async () => {
      for (const h of ['Bearer', 'Bearer a b', 'Basic abc', 'Bearer <script>']) {
        const res = await http(`${server.issuer}/userinfo`, { headers: { authorization: h } });
        expect([400, 401]).toContain(res.status);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      }
    });

    it('an id_token used as access token → 401 invalid_token', async () => {
      const res = await redeem(server.issuer, 'basic', await code());
      const ui = await http(`${server.issuer}/userinfo`, { headers: { authorization: `Bearer ${res.json.id_token}` } });
      expect(ui.status).toBe(401);
    });

    it('a token without the profile scope → 403 insufficient_scope', async () => {
      const res = await redeem(server.issuer, 'basic', await code('basic', { scope: 'openid' }));
      expect(res.status).toBe(200);
      expect(res.json.scope).toBe('openid');
      const ui = await http(`${server.issuer}/userinfo`, { headers: { authorization: `Bearer ${res.json.access_token}` } });
      expect(ui.status).toBe(403);
      expect(ui.headers.get('www-authenticate')).toMatch(/^Bearer .*error="insufficient_scope"/);
      expect(ui.json.error).toBe('insufficient_scope');
    });

    it('POST /userinfo works', async () => {
      const res = await redeem(server.issuer, 'basic', await code());
      const ui = await http(`${server.issuer}/userinfo`, { method: 'POST', headers: { authorization: `Bearer ${res.json.access_token}` } });
      expect(ui.status).toBe(200);
      expect(ui.json).toMatchObject({ sub: decodeJwt(res.json.id_token).sub, pid: '15895010046', locale: 'nb', given_name: 'FIKTIV', family_name: 'TESTPERSON' });
      expect(ui.headers.get('cache-control')).toBe('no-store');
      // through openid-client as a protected resource call with POST as well
      const config = await oidc.discovery(new URL(server.issuer), 'basic', undefined, oidc.ClientSecretBasic(secretOf('basic')), { execute: [oidc.allowInsecureRequests] });
      const r = await oidc.fetchProtectedResource(config, res.json.access_token, new URL(`${server.issuer}/userinfo`), 'POST');
      expect(r.status).toBe(200);
    });
  });
});

describe('token endpoint timers (ManualClock)', () => {
  let server: TestServer;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = new ManualClock();
    server = await startServer({
      clock,
      clients: [
        webClient('timed'),
        webClient('short', { refresh_token_lifetime: 600, authorization_lifetime: 1000 }),
        webClient('reuse', { refresh_token_usage: 'REUSE', refresh_token_lifetime: 600, authorization_lifetime: 1000 }),
      ],
    });
  });
  afterAll(async () => server?.close());

  const code = (client: string) => obtainCode(new CheckedBrowser(server.issuer), server.issuer, client);
  const refresh = (client: string, rt: string) => tokenRequest(server.issuer, { grant_type: 'refresh_token', refresh_token: rt }, { basic: client });

  it('a code expires after 60 s → invalid_grant', async () => {
    const c = await code('timed');
    clock.advance(61_000);
    expectOAuthError(await redeem(server.issuer, 'timed', c), 400, 'invalid_grant');
  });

  it('a code is still valid at 59 s', async () => {
    const c = await code('timed');
    clock.advance(59_000);
    expect((await redeem(server.issuer, 'timed', c)).status).toBe(200);
  });

  it('an access token expires after its lifetime → userinfo 401 invalid_token', async () => {
    const res = await redeem(server.issuer, 'timed', await code('timed'));
    expect(res.json.expires_in).toBe(120);
    clock.advance(119_000);
    expect((await http(`${server.issuer}/userinfo`, { headers: { authorization: `Bearer ${res.json.access_token}` } })).status).toBe(200);
    clock.advance(2_000);
    const ui = await http(`${server.issuer}/userinfo`, { headers: { authorization: `Bearer ${res.json.access_token}` } });
    expect(ui.status).toBe(401);
    expect(ui.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it('ONETIME: the idle window (refresh_token_lifetime) is enforced and reset by each refresh', async () => {
    const first = await redeem(server.issuer, 'timed', await code('timed'));
    expect(first.json.refresh_token_expires_in).toBe(600);
    clock.advance(590_000);
    const r1 = await refresh('timed', first.json.refresh_token);
    expect(r1.status).toBe(200);
    expect(r1.json.refresh_token_expires_in).toBe(600);
    clock.advance(590_000);
    const r2 = await refresh('timed', r1.json.refresh_token);
    expect(r2.status).toBe(200);
    clock.advance(601_000);
    expectOAuthError(await refresh('timed', r2.json.refresh_token), 400, 'invalid_grant');
  });

  it('ONETIME: the absolute authorization_lifetime is enforced and caps refresh_token_expires_in', async () => {
    const first = await redeem(server.issuer, 'short', await code('short'));
    expect(first.json.refresh_token_expires_in).toBe(600);
    clock.advance(500_000);
    const r1 = await refresh('short', first.json.refresh_token);
    expect(r1.status).toBe(200);
    expect(r1.json.refresh_token_expires_in).toBe(500); // 1000 − 500 < 600
    clock.advance(450_000);
    const r2 = await refresh('short', r1.json.refresh_token);
    expect(r2.status).toBe(200);
    expect(r2.json.refresh_token_expires_in).toBe(50);
    expect(r2.json.expires_in).toBeLessThanOrEqual(50); // the access token does not outlive the grant either
    const at = decodeJwt(r2.json.access_token);
    expect(at.exp! * 1000).toBeLessThanOrEqual(clock.now() + 50_000);
    clock.advance(51_000);
    expectOAuthError(await refresh('short', r2.json.refresh_token), 400, 'invalid_grant');
  });

  it('REUSE: the idle window slides but the absolute lifetime still ends the grant', async () => {
    const first = await redeem(server.issuer, 'reuse', await code('reuse'));
    const rt = first.json.refresh_token as string;
    clock.advance(500_000);
    const r1 = await refresh('reuse', rt);
    expect(r1.status).toBe(200);
    expect(r1.json.refresh_token).toBe(rt);
    expect(r1.json.refresh_token_expires_in).toBe(500);
    clock.advance(450_000);
    const r2 = await refresh('reuse', rt);
    expect(r2.status).toBe(200);
    expect(r2.json.refresh_token_expires_in).toBe(50);
    clock.advance(51_000);
    expectOAuthError(await refresh('reuse', rt), 400, 'invalid_grant');
  });

  it('REUSE: an unused token expires after the idle window', async () => {
    const first = await redeem(server.issuer, 'reuse', await code('reuse'));
    clock.advance(601_000);
    expectOAuthError(await refresh('reuse', first.json.refresh_token), 400, 'invalid_grant');
  });
});
