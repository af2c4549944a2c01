/**
 * Clients authenticating with a business certificate (virksomhetssertifikat) in the client
 * assertion's x5c header (spec §7.4), through HTTP against a provider configured with a test
 * CA and its CRL (made fresh here).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBusinessCert, makeCa, makeCrl, type TestCert } from '../oauth/client-auth/test-pki.js';
import { CheckedBrowser, http, newPkce, obtainCode, redirectOf, type HttpResult } from './checks.js';
import { startServer, webClient, type TestServer } from './harness.js';

const A = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const ORGNO = '310900001';
const DAY = 24 * 3600_000;

describe('business certificates in client assertions (x5c)', () => {
  let server: TestServer;
  let dir: string;
  let ca: TestCert;
  let good: TestCert;
  let expired: TestCert;
  let revoked: TestCert;
  let wrongOrg: TestCert;
  let untrusted: TestCert;

  beforeAll(async () => {
    ca = await makeCa('E2E Business CA');
    const otherCa = await makeCa('E2E Untrusted CA');
    [good, expired, revoked, wrongOrg, untrusted] = await Promise.all([
      makeBusinessCert(ca, ORGNO, 10),
      makeBusinessCert(ca, ORGNO, 11, { notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) }),
      makeBusinessCert(ca, ORGNO, 12),
      makeBusinessCert(ca, '999888777', 13),
      makeBusinessCert(otherCa, ORGNO, 14),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'ap-pki-'));
    writeFileSync(join(dir, 'ca.pem'), ca.pem);
    writeFileSync(join(dir, 'ca.crl'), (await makeCrl(ca, [12])).der);
    server = await startServer({
      config: { client_certificates: { trusted_cas: [join(dir, 'ca.pem')], crls: [join(dir, 'ca.crl')] } },
      clients: [webClient('biz', { token_endpoint_auth_method: 'private_key_jwt', client_secret: undefined, client_orgno: ORGNO, scopes: ['openid', 'profile', 'idporten:token.introspection'] })],
    });
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const assertion = (cert: TestCert) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: 'biz', sub: 'biz', aud: server.issuer, iat: now, exp: now + 60, jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256', x5c: [cert.x5c] }).sign(cert.privateKey);
  };
  async function redeem(cert: TestCert, withClientId = true): Promise<HttpResult> {
    const c = await obtainCode(new CheckedBrowser(server.issuer), server.issuer, 'biz');
    return http(`${server.issuer}/token`, {
      form: {
        ...(withClientId ? { client_id: 'biz' } : {}), client_assertion_type: A, client_assertion: await assertion(cert),
        grant_type: 'authorization_code', code: c.code, redirect_uri: c.redirectUri, code_verifier: c.verifier,
      },
    });
  }
  function expectInvalidClient(res: HttpResult, why: RegExp): void {
    expect(res.status, res.text).toBe(401);
    expect(res.json.error).toBe('invalid_client');
    expect(res.json.error_description).toMatch(why);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
  }

  it('a valid certificate of the organisation: tokens with client_amr virksomhetssertifikat (also without client_id)', async () => {
    const res = await redeem(good);
    expect(res.status, res.text).toBe(200);
    expect(decodeJwt(res.json.access_token)).toMatchObject({ client_id: 'biz', client_amr: 'virksomhetssertifikat', consumer: { ID: `0192:${ORGNO}` } });
    const refreshed = await http(`${server.issuer}/token`, { form: { client_assertion_type: A, client_assertion: await assertion(good), grant_type: 'refresh_token', refresh_token: res.json.refresh_token } });
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(decodeJwt(refreshed.json.access_token).client_amr).toBe('virksomhetssertifikat');
    expect((await redeem(good, false)).status).toBe(200);
  });

  it('PAR and introspection accept the certificate too; a revoked one is refused at PAR', async () => {
    const pkce = newPkce();
    const par = (cert: TestCert) => assertion(cert).then((a) => http(`${server.issuer}/par`, {
      form: {
        client_assertion_type: A, client_assertion: a, response_type: 'code', redirect_uri: redirectOf('biz'), scope: 'openid profile',
        state: 's', nonce: 'n', code_challenge: pkce.challenge, code_challenge_method: 'S256',
      },
    }));
    const ok = await par(good);
    expect(ok.status, ok.text).toBe(201);
    expectInvalidClient(await par(revoked), /revoked/);
    const tokens = await redeem(good);
    const intro = await http(`${server.issuer}/token/introspect`, { form: { client_assertion_type: A, client_assertion: await assertion(good), token: tokens.json.access_token } });
    expect(intro.status, intro.text).toBe(200);
    expect(intro.json).toMatchObject({ active: true, client_amr: 'virksomhetssertifikat' });
  });

  it('an expired certificate → invalid_client', async () => {
    expectInvalidClient(await redeem(expired), /expired/);
  });

  it('a revoked certificate (on the CRL) → invalid_client', async () => {
    expectInvalidClient(await redeem(revoked), /revoked/);
  });

  it('another organisation\'s certificate → invalid_client', async () => {
    expectInvalidClient(await redeem(wrongOrg), /organisation/);
  });

  it('a certificate of an untrusted CA → invalid_client', async () => {
    expectInvalidClient(await redeem(untrusted), /trusted CA/);
  });

  it('an unreadable trust-store file stops the start with a client_certificates error', async () => {
    await expect(startServer({ config: { client_certificates: { trusted_cas: [join(dir, 'missing.pem')], crls: [] } } })).rejects.toThrow(/client_certificates/);
  });
});
