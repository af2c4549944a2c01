import { generateKeyPair, exportJWK, decodeJwt, decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, callbackParams, formFields, loginWithTestId, secretOf, startServer, webClient, type TestServer } from './harness.js';

const PID = '15895010046';

describe('core login with openid-client', () => {
  let server: TestServer;
  let pkjwtKey: CryptoKey;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    pkjwtKey = privateKey;
    const jwk = { ...(await exportJWK(publicKey)), kid: 'e2e-key-1', alg: 'RS256', use: 'sig' };
    server = await startServer({
      clients: [
        webClient('basic', { frontchannel_logout_uri: 'https://basic.example.test/fcl', frontchannel_logout_session_required: true }),
        webClient('post', { token_endpoint_auth_method: 'client_secret_post' }),
        webClient('pkjwt', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] }, client_secret: undefined }),
        webClient('public', { application_type: 'browser', token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], client_secret: undefined }),
        webClient('reuse', { refresh_token_usage: 'REUSE' }),
        webClient('other'),
      ],
    });
  });
  afterAll(async () => server?.close());

  async function configFor(id: string, auth: oidc.ClientAuth): Promise<oidc.Configuration> {
    return oidc.discovery(new URL(server.issuer), id, undefined, auth, { execute: [oidc.allowInsecureRequests] });
  }

  const authFor: Record<string, () => oidc.ClientAuth> = {
    basic: () => oidc.ClientSecretBasic(secretOf('basic')),
    post: () => oidc.ClientSecretPost(secretOf('post')),
    pkjwt: () => oidc.PrivateKeyJwt({ key: pkjwtKey, kid: 'e2e-key-1' }),
    public: () => oidc.None(),
    reuse: () => oidc.ClientSecretBasic(secretOf('reuse')),
    other: () => oidc.ClientSecretBasic(secretOf('other')),
  };

  async function login(id: string, b: Browser, opts: { par?: boolean; formPost?: boolean; extra?: Record<string, string>; pid?: string; acr?: string } = {}) {
    const config = await configFor(id, authFor[id]!());
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const params: Record<string, string> = {
      redirect_uri: `https://${id}.example.test/callback`, scope: 'openid profile', state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...opts.extra,
    };
    if (opts.formPost) params.response_mode = 'form_post';
    const url = opts.par ? await oidc.buildAuthorizationUrlWithPAR(config, params) : oidc.buildAuthorizationUrl(config, params);
    const step = await loginWithTestId(b, url.href, { pid: opts.pid, acr: opts.acr });
    const cb = callbackParams(step);
    let current: URL | Request;
    if (opts.formPost) {
      current = new Request(`https://${id}.example.test/callback`, { method: 'POST', body: cb, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    } else {
      current = new URL(step.location!);
    }
    const tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    return { config, tokens, step, cb };
  }

  it('publishes the discovery document and a cacheable JWKS with kid', async () => {
    const res = await fetch(`${server.issuer}/.well-known/openid-configuration`);
    expect(res.headers.get('cache-control')).toMatch(/max-age/);
    const doc = await res.json();
    expect(doc.issuer).toBe(server.issuer);
    expect(doc.issuer.endsWith('/')).toBe(false);
    expect(doc.authorization_response_iss_parameter_supported).toBe(true);
    expect(doc.code_challenge_methods_supported).toEqual(['S256']);
    expect(doc.acr_values_supported).toEqual(expect.arrayContaining(['substantial', 'high']));
    expect(doc.ui_locales_supported).toEqual(['nb', 'nn', 'en', 'se']);
    expect(doc.pushed_authorization_request_endpoint).toBe(`${server.issuer}/par`);
    expect(doc.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none']);
    const jwks = await (await fetch(doc.jwks_uri)).json();
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0].kid).toBeTruthy();
    expect(jwks.keys[0].d).toBeUndefined();
  });

  for (const id of ['basic', 'post', 'pkjwt', 'public']) {
    it(`logs in with ${id === 'public' ? 'none (public client)' : id} and issues the Ansattporten tokens`, async () => {
      const b = new Browser(server.issuer);
      const { tokens, step, config } = await login(id, b);
      expect(new URL(step.location!).searchParams.get('iss')).toBe(server.issuer);
      const claims = tokens.claims()!;
      expect(claims).toMatchObject({ iss: server.issuer, aud: id, pid: PID, acr: 'substantial', amr: ['TestID'], locale: 'nb' });
      expect(claims.exp! - claims.iat).toBe(120);
      expect(claims.jti).toBeTruthy();
      expect(claims.given_name).toBe('FIKTIV');
      expect(claims.family_name).toBe('TESTPERSON');
      if (id === 'basic') expect(claims.sid).toBeTruthy();
      else expect(claims.sid).toBeUndefined();
      const header = decodeProtectedHeader(tokens.access_token);
      expect(header.typ).toBe('at+jwt');
      expect(header.kid).toBeTruthy();
      const at = decodeJwt(tokens.access_token);
      expect(at).toMatchObject({
        iss: server.issuer, client_id: id, client_amr: id === 'public' ? 'none' : ({ basic: 'client_secret_basic', post: 'client_secret_post', pkjwt: 'private_key_jwt' } as Record<string, string>)[id],
        consumer: { authority: 'iso6523-actorid-upis', ID: '0192:310900001' }, scope: 'openid profile', acr: 'substantial', amr: ['TestID'], pid: PID, sub: claims.sub,
      });
      expect(at.aud).toBeUndefined();
      expect(at.exp! - at.iat!).toBe(120);
      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      expect(userinfo).toMatchObject({ sub: claims.sub, pid: PID, locale: 'nb', given_name: 'FIKTIV', family_name: 'TESTPERSON' });
      if (id === 'public') expect(tokens.refresh_token).toBeUndefined();
      else {
        expect(tokens.refresh_token).toBeTruthy();
        expect((tokens as Record<string, unknown>).refresh_token_expires_in).toBe(600);
      }
    });
  }

  it('logs in with PAR, and the request_uri is single use', async () => {
    const b = new Browser(server.issuer);
    const { tokens, step } = await login('basic', b, { par: true });
    expect(tokens.claims()!.pid).toBe(PID);
    expect(step.location).toContain('code=');
  });

  it('answers with form_post when asked', async () => {
    const b = new Browser(server.issuer);
    const { tokens, step, cb } = await login('post', b, { formPost: true });
    expect(step.location).toBeUndefined();
    expect(step.html).toContain('action="https://post.example.test/callback"');
    expect(cb.get('iss')).toBe(server.issuer);
    expect(tokens.claims()!.pid).toBe(PID);
  });

  it('puts the resource in the access token aud and the chosen level in acr', async () => {
    const b = new Browser(server.issuer);
    const { tokens } = await login('basic', b, { extra: { resource: 'https://api.example.test/', acr_values: 'idporten-loa-high' }, acr: 'high' });
    expect(decodeJwt(tokens.access_token).aud).toBe('https://api.example.test/');
    expect(tokens.claims()!.acr).toBe('high');
  });

  it('gives a silent re-login to the same client and requires authentication for another client', async () => {
    const b = new Browser(server.issuer);
    const first = await login('basic', b);
    const second = await login('basic', b); // loginWithTestId returns at once on a silent redirect
    expect(second.step.url).toContain('/authorize');
    expect(second.tokens.claims()!.auth_time).toBe(first.tokens.claims()!.auth_time);
    expect(second.tokens.claims()!.sid).toBe(first.tokens.claims()!.sid);
    // another client must authenticate: the scripted login has to pass the eID selector
    const config = await configFor('other', authFor.other!());
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'https://other.example.test/callback', scope: 'openid', state: 's1', nonce: 'n1',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
    });
    const step = await b.go(url.href);
    expect(step.url).toContain('/login/select');
    // different pairwise subject for the same person at another client
    const other = await login('other', b);
    expect(other.tokens.claims()!.sub).not.toBe(first.tokens.claims()!.sub);
    expect(other.tokens.claims()!.pid).toBe(PID);
  });

  it('the selector\'s TestID button opens the TestID page with one GET (no POST, no redirect) and the login completes', async () => {
    const b = new Browser(server.issuer);
    const config = await configFor('basic', authFor.basic!());
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'https://basic.example.test/callback', scope: 'openid', state: 'st-get', nonce: 'no-get',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const select = await b.go(url.href);
    expect(select.url).toContain('/login/select');
    const button = /<button\b[^>]*value="testid"[^>]*>/.exec(select.html)?.[0] ?? '';
    expect(button).toContain('form="open-testid"');
    expect(select.html).toMatch(/<form method="get" action="\/login\/testid" id="open-testid">/);
    // What a browser sends for that button: its GET form's one field (the flow, no CSRF token) and the button's value.
    const fields = formFields(select.html, '/login/testid');
    expect(Object.keys(fields)).toEqual(['flow']);
    const query = new URLSearchParams({ ...fields, eid: 'testid' });
    const page = await b.request(`${server.issuer}/login/testid?${query}`);
    expect(page.status).toBe(200);
    expect(page.location).toBeUndefined();
    expect(page.html).toContain('id="testid-form"');
    // The same GET from another browser (no binding cookie) is refused with an error page.
    const stranger = await new Browser(server.issuer).request(`${server.issuer}/login/testid?${query}`);
    expect(stranger.status).toBe(403);
    expect(stranger.location).toBeUndefined();
    const done = await b.submit(page, '/login/testid', { pid: PID, acr: 'substantial' });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(done.location!), { pkceCodeVerifier: verifier, expectedState: 'st-get', expectedNonce: 'no-get' });
    expect(tokens.claims()!.pid).toBe(PID);
  });

  it('refresh_token ONETIME rotates and detects reuse; REUSE keeps the token', async () => {
    const b = new Browser(server.issuer);
    const { tokens, config } = await login('basic', b);
    const r1 = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(r1.refresh_token).toBeTruthy();
    expect(r1.refresh_token).not.toBe(tokens.refresh_token);
    expect((r1 as Record<string, unknown>).refresh_token_expires_in).toBeGreaterThan(0);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // reuse revoked the whole family: the rotated token is dead too
    await expect(oidc.refreshTokenGrant(config, r1.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

    const reuse = await login('reuse', new Browser(server.issuer));
    const a = await oidc.refreshTokenGrant(reuse.config, reuse.tokens.refresh_token!);
    expect(a.refresh_token).toBe(reuse.tokens.refresh_token);
    const c = await oidc.refreshTokenGrant(reuse.config, reuse.tokens.refresh_token!);
    expect(c.access_token).toBeTruthy();
  });
});
