/**
 * DPoP (RFC 9449) through real HTTP: binding at the token endpoint, refresh-token binding for
 * public clients (and not for confidential ones, §5), proof checks (replay, htm, htu, iat, one
 * header), bound tokens at userinfo (§7) and in introspection (§6.2). openid-client's DPoP handle
 * drives the public-client flow.
 */
import { request as httpRequest } from 'node:http';
import { calculateJwkThumbprint, decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenHash } from '../../src/oauth/dpop/dpop-proof.js';
import { dpopKey, makeProof, type DpopKey } from '../oauth/dpop/dpop-test-keys.js';
import { CheckedBrowser, basicAuth, http, obtainCode, type HttpResult } from './checks.js';
import { Browser, loginWithTestId, secretOf, startServer, webClient, type TestServer } from './harness.js';

const PID = '15895010046';
const nowS = () => Math.floor(Date.now() / 1000);

describe('DPoP (RFC 9449)', () => {
  let server: TestServer;
  let tokenUrl: string;
  let userinfoUrl: string;
  let keyA: DpopKey;
  let keyB: DpopKey;
  let jktA: string;
  let jktB: string;

  beforeAll(async () => {
    [keyA, keyB] = await Promise.all([dpopKey('ES256'), dpopKey('PS256')]);
    jktA = await calculateJwkThumbprint(keyA.publicJwk, 'sha256');
    jktB = await calculateJwkThumbprint(keyB.publicJwk, 'sha256');
    server = await startServer({
      clients: [
        webClient('conf'),
        webClient('spa', { application_type: 'browser', token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], client_secret: undefined }),
        webClient('introspector', { scopes: ['openid', 'idporten:token.introspection'] }),
      ],
    });
    tokenUrl = `${server.issuer}/token`;
    userinfoUrl = `${server.issuer}/userinfo`;
  });
  afterAll(async () => server?.close());

  const proof = (key: DpopKey, over: Partial<Parameters<typeof makeProof>[1]> = {}) => makeProof(key, { htm: 'POST', htu: tokenUrl, iat: nowS(), ...over });

  async function token(form: Record<string, string>, opts: { dpop?: string | string[]; basic?: string } = {}): Promise<HttpResult> {
    const headers: Record<string, string> = {};
    if (opts.basic) headers.authorization = basicAuth(opts.basic, secretOf(opts.basic));
    if (typeof opts.dpop === 'string') headers.dpop = opts.dpop;
    return http(tokenUrl, { form, headers });
  }
  const code = (client: string) => obtainCode(new CheckedBrowser(server.issuer), server.issuer, client);
  const codeForm = (c: { code: string; verifier: string; redirectUri: string }, extra: Record<string, string> = {}) =>
    ({ grant_type: 'authorization_code', code: c.code, redirect_uri: c.redirectUri, code_verifier: c.verifier, ...extra });

  function expectDpopError(res: HttpResult): void {
    expect(res.status, res.text).toBe(400);
    expect(res.json.error).toBe('invalid_dpop_proof');
    expect(typeof res.json.error_description).toBe('string');
    expect(res.headers.get('cache-control')).toBe('no-store');
  }

  it('discovery lists dpop_signing_alg_values_supported with ES256, RS256 and PS256', async () => {
    const doc = await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json();
    expect(doc.dpop_signing_alg_values_supported).toEqual(expect.arrayContaining(['ES256', 'RS256', 'PS256']));
    expect(doc.dpop_signing_alg_values_supported).not.toContain('none');
    expect(doc.dpop_signing_alg_values_supported.some((a: string) => a.startsWith('HS'))).toBe(false);
  });

  describe('public client with openid-client (getDPoPHandle)', () => {
    it('gets DPoP-bound access and refresh tokens, refreshes and calls userinfo with the handle', async () => {
      const config = await oidc.discovery(new URL(server.issuer), 'spa', undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
      const keyPair = await oidc.randomDPoPKeyPair('ES256');
      const dpop = oidc.getDPoPHandle(config, keyPair);
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: 'https://spa.example.test/callback', scope: 'openid profile', state, nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      const step = await loginWithTestId(new Browser(server.issuer), url.href);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(step.location!), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }, undefined, { DPoP: dpop });
      expect(tokens.token_type.toLowerCase()).toBe('dpop');
      const jkt = await calculateJwkThumbprint(await crypto.subtle.exportKey('jwk', keyPair.publicKey) as never, 'sha256');
      expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt });
      expect(tokens.refresh_token).toBeTruthy();

      const ui = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub, { DPoP: dpop });
      expect(ui).toMatchObject({ pid: PID });

      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP: dpop });
      expect(refreshed.token_type.toLowerCase()).toBe('dpop');
      expect(decodeJwt(refreshed.access_token).cnf).toEqual({ jkt });
      expect(refreshed.refresh_token).toBeTruthy();
    });
  });

  describe('binding at the token endpoint', () => {
    it('a confidential client with a proof gets a DPoP-bound access token (cnf.jkt, token_type DPoP)', async () => {
      const res = await token(codeForm(await code('conf')), { basic: 'conf', dpop: await proof(keyA) });
      expect(res.status, res.text).toBe(200);
      expect(res.json.token_type).toBe('DPoP');
      expect(decodeJwt(res.json.access_token).cnf).toEqual({ jkt: jktA });
    });

    it('without a proof the access token is a plain Bearer token without cnf', async () => {
      const res = await token(codeForm(await code('conf')), { basic: 'conf' });
      expect(res.json.token_type).toBe('Bearer');
      expect(decodeJwt(res.json.access_token).cnf).toBeUndefined();
    });

    it('a public client without DPoP gets no refresh token; with DPoP it does', async () => {
      const plain = await token(codeForm(await code('spa'), { client_id: 'spa' }));
      expect(plain.status, plain.text).toBe(200);
      expect(plain.json.token_type).toBe('Bearer');
      expect(plain.json.refresh_token).toBeUndefined();
      const bound = await token(codeForm(await code('spa'), { client_id: 'spa' }), { dpop: await proof(keyA) });
      expect(bound.json.refresh_token).toBeTruthy();
    });
  });

  describe('refresh-token binding (RFC 9449 §5)', () => {
    it('public client: refresh needs a proof of the same key (else invalid_grant, and the token survives)', async () => {
      const first = await token(codeForm(await code('spa'), { client_id: 'spa' }), { dpop: await proof(keyA) });
      const rt = first.json.refresh_token as string;
      const refresh = { grant_type: 'refresh_token', refresh_token: rt, client_id: 'spa' };
      const none = await token(refresh);
      expect(none.status).toBe(400);
      expect(none.json.error).toBe('invalid_grant');
      const wrongKey = await token(refresh, { dpop: await proof(keyB) });
      expect(wrongKey.status).toBe(400);
      expect(wrongKey.json.error).toBe('invalid_grant');
      const ok = await token(refresh, { dpop: await proof(keyA) });
      expect(ok.status, ok.text).toBe(200);
      expect(ok.json.token_type).toBe('DPoP');
      expect(decodeJwt(ok.json.access_token).cnf).toEqual({ jkt: jktA });
      // the rotated refresh token is bound to the same key
      const next = await token({ ...refresh, refresh_token: ok.json.refresh_token }, { dpop: await proof(keyB) });
      expect(next.json.error).toBe('invalid_grant');
      expect((await token({ ...refresh, refresh_token: ok.json.refresh_token }, { dpop: await proof(keyA) })).status).toBe(200);
    });

    it('confidential client: the refresh token is not bound; each refreshed access token is bound to the proof sent with the refresh', async () => {
      const first = await token(codeForm(await code('conf')), { basic: 'conf', dpop: await proof(keyA) });
      const withoutProof = await token({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token }, { basic: 'conf' });
      expect(withoutProof.status, withoutProof.text).toBe(200);
      expect(withoutProof.json.token_type).toBe('Bearer');
      expect(decodeJwt(withoutProof.json.access_token).cnf).toBeUndefined();
      const otherKey = await token({ grant_type: 'refresh_token', refresh_token: withoutProof.json.refresh_token }, { basic: 'conf', dpop: await proof(keyB) });
      expect(otherKey.status, otherKey.text).toBe(200);
      expect(otherKey.json.token_type).toBe('DPoP');
      expect(decodeJwt(otherKey.json.access_token).cnf).toEqual({ jkt: jktB });
    });
  });

  describe('invalid proofs at the token endpoint → 400 invalid_dpop_proof', () => {
    it('a replayed jti is refused, and the code survives the refused request', async () => {
      const c = await code('conf');
      const p = await proof(keyA);
      const first = await token(codeForm(await code('conf')), { basic: 'conf', dpop: p });
      expect(first.status).toBe(200);
      expectDpopError(await token(codeForm(c), { basic: 'conf', dpop: p }));
      expect((await token(codeForm(c), { basic: 'conf', dpop: await proof(keyA) })).status).toBe(200);
    });

    it('a wrong htu, a wrong htm, a stale or future iat', async () => {
      const c = await code('conf');
      for (const bad of [
        await proof(keyA, { htu: `${server.issuer}/userinfo` }),
        await proof(keyA, { htu: 'https://elsewhere.example.test/token' }),
        await proof(keyA, { htm: 'GET' }),
        await proof(keyA, { iat: nowS() - 300 }),
        await proof(keyA, { iat: nowS() + 300 }),
        await proof(keyA, { header: { typ: 'JWT' } }),
        await proof(keyA, { header: { jwk: keyA.privateJwk } }),
        'not-a-proof',
      ]) {
        expectDpopError(await token(codeForm(c), { basic: 'conf', dpop: bad }));
      }
      // htu with a query is the same URL (RFC 9449 §4.3)
      expect((await token(codeForm(c), { basic: 'conf', dpop: await proof(keyA, { htu: `${tokenUrl}?x=1` }) })).status).toBe(200);
    });

    it('two DPoP headers', async () => {
      const c = await code('conf');
      const body = new URLSearchParams(codeForm(c)).toString();
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const u = new URL(tokenUrl);
        const req = httpRequest({
          host: u.hostname, port: u.port, path: u.pathname, method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('conf', secretOf('conf')) },
        }, (r) => {
          let data = '';
          r.on('data', (d) => (data += d));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body: data }));
        });
        req.on('error', reject);
        void Promise.all([proof(keyA), proof(keyA)]).then(([a, b]) => {
          req.setHeader('DPoP', [a!, b!]);
          req.end(body);
        });
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error).toBe('invalid_dpop_proof');
    });
  });

  describe('userinfo and introspection (RFC 9449 §6.2, §7)', () => {
    async function boundToken(): Promise<string> {
      const res = await token(codeForm(await code('conf')), { basic: 'conf', dpop: await proof(keyA) });
      return res.json.access_token as string;
    }
    const ui = (authorization: string, dpop?: string, method = 'GET') =>
      http(userinfoUrl, { method, headers: { authorization, ...(dpop ? { dpop } : {}) } });

    it('a bound token presented as Bearer → 401 with WWW-Authenticate: DPoP error="invalid_token"', async () => {
      const at = await boundToken();
      const res = await ui(`Bearer ${at}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^DPoP .*error="invalid_token"/);
    });

    it('the DPoP scheme with a proof carrying ath → 200; GET and POST', async () => {
      const at = await boundToken();
      const res = await ui(`DPoP ${at}`, await proof(keyA, { htm: 'GET', htu: userinfoUrl, ath: accessTokenHash(at) }));
      expect(res.status, res.text).toBe(200);
      expect(res.json.pid).toBe(PID);
      const post = await ui(`DPoP ${at}`, await proof(keyA, { htm: 'POST', htu: userinfoUrl, ath: accessTokenHash(at) }), 'POST');
      expect(post.status, post.text).toBe(200);
    });

    it('refuses a proof without ath, with a wrong ath, of another key, replayed, or none → 401 DPoP invalid_dpop_proof', async () => {
      const at = await boundToken();
      const good = await proof(keyA, { htm: 'GET', htu: userinfoUrl, ath: accessTokenHash(at) });
      expect((await ui(`DPoP ${at}`, good)).status).toBe(200);
      for (const p of [
        await proof(keyA, { htm: 'GET', htu: userinfoUrl }),
        await proof(keyA, { htm: 'GET', htu: userinfoUrl, ath: accessTokenHash(`${at}x`) }),
        await proof(keyB, { htm: 'GET', htu: userinfoUrl, ath: accessTokenHash(at) }),
        await proof(keyA, { htm: 'GET', htu: tokenUrl, ath: accessTokenHash(at) }),
        good,
        undefined,
      ]) {
        const res = await ui(`DPoP ${at}`, p);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^DPoP .*error="invalid_dpop_proof"/);
        expect(res.json.error).toBe('invalid_dpop_proof');
      }
    });

    it('an unbound token with the DPoP scheme → 401 invalid_token; no credentials → both challenges', async () => {
      const plain = await token(codeForm(await code('conf')), { basic: 'conf' });
      const at = plain.json.access_token as string;
      const res = await ui(`DPoP ${at}`, await proof(keyA, { htm: 'GET', htu: userinfoUrl, ath: accessTokenHash(at) }));
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^DPoP .*error="invalid_token"/);
      expect((await ui(`Bearer ${at}`)).status).toBe(200);
      const none = await http(userinfoUrl);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer .*DPoP algs="/);
    });

    it('introspection shows cnf and token_type DPoP for a bound token, Bearer without cnf otherwise', async () => {
      const at = await boundToken();
      const res = await http(`${server.issuer}/token/introspect`, { form: { token: at }, headers: { authorization: basicAuth('introspector', secretOf('introspector')) } });
      expect(res.json).toMatchObject({ active: true, token_type: 'DPoP', cnf: { jkt: jktA } });
      const plain = await token(codeForm(await code('conf')), { basic: 'conf' });
      const res2 = await http(`${server.issuer}/token/introspect`, { form: { token: plain.json.access_token }, headers: { authorization: basicAuth('introspector', secretOf('introspector')) } });
      expect(res2.json.token_type).toBe('Bearer');
      expect(res2.json.cnf).toBeUndefined();
    });
  });
});
