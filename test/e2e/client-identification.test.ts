/**
 * A private_key_jwt client identified by its assertion alone, without client_id in the body
 * (RFC 7521 §4.2, RFC 7523 §3), as mod_auth_openidc sends it: token, PAR, revocation and
 * introspection. A client_id that names another client is still refused.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, loginWithTestId, startServer, webClient, type TestServer } from './harness.js';
import { CheckedBrowser, http, newPkce, obtainCode, redirectOf } from './checks.js';

const A = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

describe('client identified by its assertion (no client_id)', () => {
  let server: TestServer;
  let key: CryptoKey;

  beforeAll(async () => {
    const kp = await generateKeyPair('RS256', { extractable: true });
    key = kp.privateKey;
    const jwk = { ...(await exportJWK(kp.publicKey)), kid: 'cid-e2e-key', alg: 'RS256', use: 'sig' };
    server = await startServer({
      clients: [
        webClient('pkjwt', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] }, client_secret: undefined, scopes: ['openid', 'profile', 'idporten:token.introspection'] }),
        webClient('pkjwt2', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ ...jwk, kid: 'cid-e2e-key-2' }] }, client_secret: undefined }),
      ],
    });
  });
  afterAll(async () => server?.close());

  const assertion = (iss = 'pkjwt', kid = 'cid-e2e-key') => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss, sub: iss, aud: server.issuer, iat: now, exp: now + 60, jti: randomUUID() }).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
  };
  const post = async (path: string, form: Record<string, string>) => http(`${server.issuer}${path}`, { form: { client_assertion_type: A, client_assertion: await assertion(), ...form } });

  it('token request without client_id: code exchange and refresh succeed', async () => {
    const c = await obtainCode(new CheckedBrowser(server.issuer), server.issuer, 'pkjwt');
    const res = await post('/token', { grant_type: 'authorization_code', code: c.code, redirect_uri: c.redirectUri, code_verifier: c.verifier });
    expect(res.status, res.text).toBe(200);
    expect(decodeJwt(res.json.access_token)).toMatchObject({ client_id: 'pkjwt', client_amr: 'private_key_jwt' });
    const refreshed = await post('/token', { grant_type: 'refresh_token', refresh_token: res.json.refresh_token });
    expect(refreshed.status, refreshed.text).toBe(200);

    // introspection and revocation without client_id
    const intro = await post('/token/introspect', { token: refreshed.json.access_token });
    expect(intro.status, intro.text).toBe(200);
    expect(intro.json).toMatchObject({ active: true, client_id: 'pkjwt' });
    const rev = await post('/token/revoke', { token: refreshed.json.refresh_token });
    expect(rev.status).toBe(200);
    expect((await post('/token/introspect', { token: refreshed.json.access_token })).json.active).toBe(false);
  });

  it('PAR without client_id', async () => {
    const pkce = newPkce();
    const res = await post('/par', {
      response_type: 'code', redirect_uri: redirectOf('pkjwt'), scope: 'openid profile', state: 's1', nonce: 'n1',
      code_challenge: pkce.challenge, code_challenge_method: 'S256',
    });
    expect(res.status, res.text).toBe(201);
    const step = await loginWithTestId(new Browser(server.issuer), `${server.issuer}/authorize?client_id=pkjwt&request_uri=${encodeURIComponent(res.json.request_uri)}`);
    expect(step.location).toMatch(/^https:\/\/pkjwt\.example\.test\/callback\?code=/);
  });

  it('a client_id that disagrees with the assertion → 401 invalid_client', async () => {
    const c = await obtainCode(new CheckedBrowser(server.issuer), server.issuer, 'pkjwt');
    const res = await post('/token', { client_id: 'pkjwt2', grant_type: 'authorization_code', code: c.code, redirect_uri: c.redirectUri, code_verifier: c.verifier });
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('invalid_client');
    // the code survives and the right client redeems it without client_id
    expect((await post('/token', { grant_type: 'authorization_code', code: c.code, redirect_uri: c.redirectUri, code_verifier: c.verifier })).status).toBe(200);
  });

  it('an assertion naming a client whose key did not sign it → invalid_client', async () => {
    const res = await http(`${server.issuer}/token`, { form: { client_assertion_type: A, client_assertion: await assertion('pkjwt2', 'cid-e2e-key'), grant_type: 'refresh_token', refresh_token: 'x' } });
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('invalid_client');
  });
});
