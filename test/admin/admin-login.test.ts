import * as oidc from 'openid-client';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, loginWithTestId, startServer, type TestServer } from '../e2e/harness.js';
import { startCodeFlow } from '../e2e/openid-client-flow.js';
import { ADMIN_TOKEN, api, clientBody } from './admin-helpers.js';

/** Starts an authorization request for the client and returns what is needed to finish it. */
async function authorization(server: TestServer, clientId: string, secret: string, redirectUri: string) {
  return startCodeFlow(server.issuer, clientId, oidc.ClientSecretBasic(secret), redirectUri);
}

async function tokenRequest(server: TestServer, clientId: string, secret: string, form: Record<string, string>) {
  const res = await fetch(`${server.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('a client created through the admin API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { ADMIN_TOKEN } });
  });
  afterAll(async () => server?.close());

  it('logs in immediately, and once deleted can neither log in, use the token endpoint nor use its earlier tokens', async () => {
    const created = await api(server, 'POST', '/clients', { body: clientBody('fresh') });
    expect(created.status, created.text).toBe(201);
    const { client_id: clientId, client_secret: secret } = created.body as { client_id: string; client_secret: string };
    const redirectUri = 'https://fresh.example.test/callback';

    // logs in right away: authorize, TestID, code exchange, userinfo
    const a = await authorization(server, clientId, secret, redirectUri);
    const b = new Browser(server.issuer);
    const step = await loginWithTestId(b, a.url.href);
    expect(step.location?.startsWith(redirectUri)).toBe(true);
    const tokens = await oidc.authorizationCodeGrant(a.config, new URL(step.location!), { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.claims()?.aud).toBe(clientId);
    const userinfo = await fetch(`${server.issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(userinfo.status).toBe(200);

    // a second login, stopped just before the code exchange
    const pending = await authorization(server, clientId, secret, redirectUri);
    const pendingStep = await loginWithTestId(new Browser(server.issuer), pending.url.href);
    const pendingCode = new URL(pendingStep.location!).searchParams.get('code')!;
    expect(pendingCode).toBeTruthy();

    // delete
    expect((await api(server, 'DELETE', `/clients/${clientId}`)).status).toBe(204);

    // authorize → the provider's error page, never a redirect to the client
    const again = await new Browser(server.issuer).go(a.url.href);
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.location).toBeUndefined();
    expect(again.headers.get('content-type')).toMatch(/text\/html/);
    // the same browser with its SSO session does not get through either
    const sso = await b.go((await authorization(server, clientId, secret, redirectUri)).url.href);
    expect(sso.status).toBeGreaterThanOrEqual(400);
    expect(sso.location).toBeUndefined();

    // token endpoint → invalid_client, for the pending code and for the refresh token
    const code = await tokenRequest(server, clientId, secret, { grant_type: 'authorization_code', code: pendingCode, redirect_uri: redirectUri, code_verifier: pending.verifier });
    expect(code.status).toBe(401);
    expect(code.body.error).toBe('invalid_client');
    const refresh = await tokenRequest(server, clientId, secret, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    expect(refresh.body.error).toBe('invalid_client');

    // the access token issued before the deletion → userinfo 401
    const after = await fetch(`${server.issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });
});

describe('admin changes on one instance', () => {
  let one: TestServer;
  let two: TestServer;
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ap-admin-shared-'));
    one = await startServer({ env: { ADMIN_TOKEN }, dataDir, keepData: true });
    two = await startServer({ env: { ADMIN_TOKEN }, dataDir });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  it('take effect on the next request on another instance sharing the store', async () => {
    const created = await api(one, 'POST', '/clients', { body: clientBody('shared', { redirect_uris: ['https://shared.example.test/callback'] }) });
    const { client_id: clientId, client_secret: secret } = created.body as { client_id: string; client_secret: string };
    // instance two knows it at once
    expect((await api(two, 'GET', `/clients/${clientId}`)).status).toBe(200);
    const a = await authorization(two, clientId, secret, 'https://shared.example.test/callback');
    const select = await new Browser(two.issuer).go(a.url.href);
    expect(select.status).toBe(200);
    expect(select.url).toContain('/login/select');
    // and no longer once instance one deleted it
    expect((await api(one, 'DELETE', `/clients/${clientId}`)).status).toBe(204);
    const refused = await new Browser(two.issuer).go(a.url.href);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.location).toBeUndefined();
  });
});
