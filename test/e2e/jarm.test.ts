import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, callbackParams, loginWithTestId, secretOf, startServer, webClient, type Step, type TestServer } from './harness.js';
import { CheckedBrowser, authorizeUrl, basicAuth, http, newPkce, redeem, redirectOf, type HttpResult } from './checks.js';

const APP = 'app';
const NASTY_STATE = 'a b&c=d/e?f#g+h%i"j<k>\'l;æøå';

/** JWT Secured Authorization Response Mode (JARM, OpenID Foundation final) through real HTTP. */
describe('JARM: response_mode query.jwt, form_post.jwt and jwt', () => {
  let server: TestServer;
  let jwks: ReturnType<typeof createRemoteJWKSet>;

  beforeAll(async () => {
    server = await startServer({ clients: [webClient(APP), webClient('other')] });
    jwks = createRemoteJWKSet(new URL(`${server.issuer}/jwks.json`));
  });
  afterAll(async () => server?.close());

  /** Verifies the `response` JWT against the published JWKS (JARM §2.4 steps): signature, iss, aud, exp. */
  async function verifyResponse(response: string | null, audience = APP): Promise<JWTPayload> {
    expect(response, 'a response parameter').toBeTruthy();
    const header = decodeProtectedHeader(response!);
    expect(header.alg).toBe('RS256');
    expect(header.kid).toBeTruthy();
    const { payload } = await jwtVerify(response!, jwks, { issuer: server.issuer, audience, algorithms: ['RS256'] });
    const now = Math.floor(Date.now() / 1000);
    expect(payload.exp).toBeGreaterThan(now);
    expect(payload.exp!).toBeLessThanOrEqual(now + 600 + 5); // JARM §2.1: at most 10 minutes
    return payload;
  }

  /** The only parameter of a query.jwt redirect is `response` (no separate iss: RFC 9207 §2.4). */
  function queryResponse(res: Step | HttpResult, redirectUri = redirectOf(APP)): string {
    expect([302, 303]).toContain(res.status);
    const loc = new URL(res.location!);
    expect(`${loc.origin}${loc.pathname}`).toBe(redirectUri);
    expect([...loc.searchParams.keys()]).toEqual(['response']);
    return loc.searchParams.get('response')!;
  }

  /** A form_post.jwt page: an auto-submitting form to the redirect URI with the single field `response`. */
  function formPostResponse(res: Step | HttpResult, redirectUri = redirectOf(APP)): string {
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    const html = 'html' in res ? res.html : res.text;
    expect(html).toContain(`action="${redirectUri}"`);
    expect(res.headers.get('content-security-policy')).toContain(new URL(redirectUri).origin);
    const fields = callbackParams({ status: res.status, url: '', html, headers: res.headers });
    expect([...fields.keys()]).toEqual(['response']);
    return fields.get('response')!;
  }

  it('discovery lists the JARM modes and RS256 (JARM §4)', async () => {
    const doc = (await http(`${server.issuer}/.well-known/openid-configuration`)).json;
    expect(doc.response_modes_supported).toEqual(['query', 'form_post', 'query.jwt', 'form_post.jwt', 'jwt']);
    expect(doc.authorization_signing_alg_values_supported).toEqual(['RS256']);
  });

  for (const mode of ['query.jwt', 'jwt'] as const) {
    it(`response_mode=${mode}: a signed response JWT with code, state, iss and aud, in the query; the code redeems`, async () => {
      const b = new CheckedBrowser(server.issuer);
      const pkce = newPkce();
      const step = await loginWithTestId(b, authorizeUrl(server.issuer, APP, { response_mode: mode, state: NASTY_STATE }, pkce.challenge));
      const payload = await verifyResponse(queryResponse(step));
      expect(payload.iss).toBe(server.issuer);
      expect(payload.aud).toBe(APP);
      expect(payload.state).toBe(NASTY_STATE);
      expect(typeof payload.code).toBe('string');
      expect(payload.error).toBeUndefined();
      const token = await redeem(server.issuer, APP, { code: payload.code as string, verifier: pkce.verifier, redirectUri: redirectOf(APP) });
      expect(token.status).toBe(200);
      expect(token.json.id_token).toBeTruthy();
    });
  }

  it('response_mode=form_post.jwt: a form post of the single response field; the code redeems', async () => {
    const b = new CheckedBrowser(server.issuer);
    const pkce = newPkce();
    const step = await loginWithTestId(b, authorizeUrl(server.issuer, APP, { response_mode: 'form_post.jwt', state: 'fp-state' }, pkce.challenge));
    const payload = await verifyResponse(formPostResponse(step));
    expect(payload).toMatchObject({ iss: server.issuer, aud: APP, state: 'fp-state' });
    const token = await redeem(server.issuer, APP, { code: payload.code as string, verifier: pkce.verifier, redirectUri: redirectOf(APP) });
    expect(token.status).toBe(200);
  });

  it('a response without state in the request has no state claim', async () => {
    const server2 = await startServer({ clients: [webClient(APP)], config: { policy: { require_state_and_nonce: false } } });
    try {
      const b = new CheckedBrowser(server2.issuer);
      const step = await loginWithTestId(b, authorizeUrl(server2.issuer, APP, { response_mode: 'query.jwt', state: undefined, nonce: undefined }));
      const jwks2 = createRemoteJWKSet(new URL(`${server2.issuer}/jwks.json`));
      const { payload } = await jwtVerify(queryResponse(step), jwks2, { issuer: server2.issuer, audience: APP });
      expect(payload.code).toBeTruthy();
      expect('state' in payload).toBe(false);
    } finally {
      await server2.close();
    }
  });

  describe('errors that may be redirected use the requested JARM mode (JARM §2.1, §2.3)', () => {
    for (const mode of ['query.jwt', 'jwt'] as const) {
      it(`a pipeline error with response_mode=${mode} (invalid_scope) comes back as a response JWT in the query`, async () => {
        const res = await http(authorizeUrl(server.issuer, APP, { response_mode: mode, scope: 'profile', state: NASTY_STATE }));
        const payload = await verifyResponse(queryResponse(res));
        expect(payload).toMatchObject({ iss: server.issuer, aud: APP, error: 'invalid_scope', state: NASTY_STATE });
        expect(payload.error_description).toBeTruthy();
        expect(payload.code).toBeUndefined();
      });
    }

    it('a pipeline error with response_mode=form_post.jwt comes back as a form post of a response JWT', async () => {
      const res = await http(authorizeUrl(server.issuer, APP, { response_mode: 'form_post.jwt', response_type: 'token', state: 'st' }));
      const payload = await verifyResponse(formPostResponse(res));
      expect(payload).toMatchObject({ iss: server.issuer, aud: APP, error: 'unsupported_response_type', state: 'st' });
    });

    it('POST /authorize errors answer 303 with the response JWT', async () => {
      const sp = new URL(authorizeUrl(server.issuer, APP, { response_mode: 'query.jwt', scope: 'profile' })).searchParams;
      const res = await http(`${server.issuer}/authorize`, { form: Object.fromEntries(sp) });
      expect(res.status).toBe(303);
      expect((await verifyResponse(queryResponse(res))).error).toBe('invalid_scope');
    });

    it('prompt=none without a session: login_required as a response JWT', async () => {
      const res = await http(authorizeUrl(server.issuer, APP, { response_mode: 'query.jwt', prompt: 'none', state: 'pn' }));
      expect(await verifyResponse(queryResponse(res))).toMatchObject({ error: 'login_required', state: 'pn', aud: APP });
    });

    it('the user cancelling at the eID selector: access_denied as a form_post.jwt response', async () => {
      const b = new Browser(server.issuer);
      const select = await b.go(authorizeUrl(server.issuer, APP, { response_mode: 'form_post.jwt', state: 'cx' }));
      expect(select.url).toContain('/login/select');
      const done = await b.submit(select, '/login/cancel');
      expect(await verifyResponse(formPostResponse(done))).toMatchObject({ error: 'access_denied', state: 'cx', aud: APP });
    });

    it('another client gets its own audience', async () => {
      const res = await http(authorizeUrl(server.issuer, 'other', { response_mode: 'query.jwt', scope: 'profile' }));
      const response = queryResponse(res, redirectOf('other'));
      await expect(jwtVerify(response, jwks, { audience: APP })).rejects.toThrow(/aud/);
      expect((await verifyResponse(response, 'other')).error).toBe('invalid_scope');
    });

    it('an unknown response_mode is refused in plain query mode with iss (the mode was never accepted)', async () => {
      const res = await http(authorizeUrl(server.issuer, APP, { response_mode: 'fragment.jwt', state: 'bad' }));
      const p = new URL(res.location!).searchParams;
      expect(p.get('error')).toBe('invalid_request');
      expect(p.get('state')).toBe('bad');
      expect(p.get('iss')).toBe(server.issuer);
      expect(p.has('response')).toBe(false);
    });

    it('an untrusted redirect_uri still gets an error page, never a response JWT', async () => {
      const res = await http(authorizeUrl(server.issuer, APP, { response_mode: 'query.jwt', redirect_uri: 'https://evil.example/cb' }));
      expect(res.status).toBe(400);
      expect(res.location).toBeUndefined();
      expect(res.text).not.toContain('response');
    });
  });

  it('PAR with response_mode=query.jwt: the response JWT comes back after the login', async () => {
    const pkce = newPkce();
    const body = new URL(authorizeUrl(server.issuer, APP, { response_mode: 'query.jwt', state: 'par-state' }, pkce.challenge)).searchParams;
    const par = await http(`${server.issuer}/par`, { form: Object.fromEntries(body), headers: { authorization: basicAuth(APP, secretOf(APP)) } });
    expect(par.status).toBe(201);
    const b = new CheckedBrowser(server.issuer);
    const step = await loginWithTestId(b, `${server.issuer}/authorize?client_id=${APP}&request_uri=${encodeURIComponent(par.json.request_uri)}`);
    const payload = await verifyResponse(queryResponse(step));
    expect(payload).toMatchObject({ iss: server.issuer, aud: APP, state: 'par-state' });
    expect((await redeem(server.issuer, APP, { code: payload.code as string, verifier: pkce.verifier, redirectUri: redirectOf(APP) })).status).toBe(200);
  });

  it('PAR with response_mode=form_post.jwt: a parameter differing from the pushed request comes back as a response JWT error', async () => {
    const body = new URL(authorizeUrl(server.issuer, APP, { response_mode: 'form_post.jwt', state: 'pushed' })).searchParams;
    const par = await http(`${server.issuer}/par`, { form: Object.fromEntries(body), headers: { authorization: basicAuth(APP, secretOf(APP)) } });
    expect(par.status).toBe(201);
    const res = await http(`${server.issuer}/authorize?client_id=${APP}&request_uri=${encodeURIComponent(par.json.request_uri)}&scope=openid`);
    const payload = await verifyResponse(formPostResponse(res));
    expect(payload).toMatchObject({ iss: server.issuer, aud: APP, error: 'invalid_request', state: 'pushed' });
    expect(payload.error_description).toMatch(/scope differs/);
  });

  describe('openid-client as relying party (oidc.useJwtResponseMode)', () => {
    async function login(mode: 'jwt' | 'query.jwt' | 'form_post.jwt') {
      const config = await oidc.discovery(new URL(server.issuer), APP, undefined, oidc.ClientSecretBasic(secretOf(APP)), { execute: [oidc.allowInsecureRequests] });
      oidc.useJwtResponseMode(config);
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectOf(APP), scope: 'openid profile', state, nonce, response_mode: mode,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      const step = await loginWithTestId(new Browser(server.issuer), url.href);
      const current: URL | Request = mode === 'form_post.jwt'
        ? new Request(redirectOf(APP), { method: 'POST', body: callbackParams(step), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
        : new URL(step.location!);
      return { config, tokens: await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }) };
    }

    for (const mode of ['jwt', 'query.jwt', 'form_post.jwt'] as const) {
      it(`validates the ${mode} response and redeems the code`, async () => {
        const { tokens } = await login(mode);
        expect(tokens.access_token).toBeTruthy();
        expect(tokens.claims()?.iss).toBe(server.issuer);
      });
    }

    it('refuses a tampered response JWT', async () => {
      const config = await oidc.discovery(new URL(server.issuer), APP, undefined, oidc.ClientSecretBasic(secretOf(APP)), { execute: [oidc.allowInsecureRequests] });
      oidc.useJwtResponseMode(config);
      const verifier = oidc.randomPKCECodeVerifier();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectOf(APP), scope: 'openid profile', state: 's', nonce: 'n', response_mode: 'jwt',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      const step = await loginWithTestId(new Browser(server.issuer), url.href);
      const jwt = new URL(step.location!).searchParams.get('response')!;
      const [h, p, sig] = jwt.split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, code: 'forged' })).toString('base64url')}.${sig}`;
      await expect(oidc.authorizationCodeGrant(config, new URL(`${redirectOf(APP)}?response=${forged}`), { pkceCodeVerifier: verifier, expectedState: 's', expectedNonce: 'n' })).rejects.toThrow();
    });
  });
});
