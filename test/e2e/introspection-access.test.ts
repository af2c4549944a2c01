/**
 * Introspection only for confidential clients, and nobody grants it to themselves (RFC 7662 §2.1,
 * §4: the endpoint must be protected; spec §13.2). Every attack goes through real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, ORG_A, api, clientBody, startTrustedIssuer, type TrustedIssuer } from '../admin/admin-helpers.js';
import { makeClient } from '../oauth/endpoint-fixtures.js';
import { Browser, loginWithTestId, secretOf, startServer, webClient, type TestServer } from './harness.js';

const SCOPE = 'idporten:token.introspection';
const WRITE = 'idporten:dcr.read idporten:dcr.write idporten:dcr.modify';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

describe('introspection access', () => {
  let server: TestServer;
  let mp: TrustedIssuer;
  let doc: Record<string, unknown>;

  beforeAll(async () => {
    mp = await startTrustedIssuer();
    server = await startServer({
      env: { ADMIN_TOKEN, ADMIN_TRUSTED_ISSUER: mp.issuer, ADMIN_TRUSTED_JWKS_URI: mp.jwksUri },
      clients: [
        webClient('app'),
        // A client of ORG_A: a caller sees only tokens of its own organisation or API (src/scopes/introspection-visibility.ts).
        webClient('app-a', { client_orgno: ORG_A }),
        webClient('introspector', { scopes: ['openid', SCOPE] }),
        webClient('spa', { application_type: 'browser', token_endpoint_auth_method: 'none', client_secret: null }),
      ],
    });
    doc = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  });
  afterAll(async () => {
    await server?.close();
    await mp?.close();
  });

  async function introspect(form: Record<string, string>, authorization?: string) {
    const res = await fetch(doc.introspection_endpoint as string, {
      method: 'POST', body: new URLSearchParams(form),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
  }

  async function accessToken(clientId = 'app'): Promise<string> {
    const verifier = 'v'.repeat(43);
    const { createHash } = await import('node:crypto');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const q = new URLSearchParams({
      client_id: clientId, redirect_uri: `https://${clientId}.example.test/callback`, response_type: 'code', scope: 'openid profile',
      state: 'st', nonce: 'nn', code_challenge: challenge, code_challenge_method: 'S256',
    });
    const step = await loginWithTestId(new Browser(server.issuer), `${server.issuer}/authorize?${q}`);
    const code = new URL(step.location!).searchParams.get('code')!;
    const res = await fetch(`${server.issuer}/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(clientId, secretOf(clientId)) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `https://${clientId}.example.test/callback`, code_verifier: verifier }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  }

  it('discovery lists exactly the methods introspection accepts (no none)', () => {
    expect(doc.introspection_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'private_key_jwt']);
  });

  it('a public client (none) is refused with 401 invalid_client, also when it holds the scope', async () => {
    const token = await accessToken();
    const plain = await introspect({ client_id: 'spa', token });
    expect(plain.status).toBe(401);
    expect(plain.body.error).toBe('invalid_client');
    expect(plain.headers.get('www-authenticate')).toMatch(/^Basic /);
    // A public client stored with the scope before the rule existed gets no further.
    await server.services.registry.put(makeClient({ client_id: 'legacy-spa', application_type: 'browser', token_endpoint_auth_method: 'none', scopes: ['openid', SCOPE] }));
    const legacy = await introspect({ client_id: 'legacy-spa', token });
    expect(legacy.status).toBe(401);
    expect(legacy.body.error).toBe('invalid_client');
    expect(legacy.body.active).toBeUndefined();
    // A confidential introspector that leaves out its secret is refused as well.
    const noSecret = await introspect({ client_id: 'introspector', token });
    expect(noSecret.status).toBe(401);
    // The genuine introspector sees the token.
    const ok = await introspect({ token }, basic('introspector', secretOf('introspector')));
    expect(ok.status).toBe(200);
    expect(ok.body.active).toBe(true);
  });

  describe('who may register the scope', () => {
    it("an organisation's token cannot grant it to its own client (403), neither on create nor on update", async () => {
      const org = await mp.token({ orgno: ORG_A, scope: WRITE });
      const create = await api(server, 'POST', '/clients', { token: org, body: clientBody('selfgrant', { scopes: ['openid', SCOPE] }) });
      expect(create.status, create.text).toBe(403);
      expect(create.body.error).toBe('access_denied');
      expect(create.body.error_description).toContain(SCOPE);
      const own = await api(server, 'POST', '/clients', { token: org, body: clientBody('ownclient') });
      expect(own.status, own.text).toBe(201);
      const update = await api(server, 'PUT', `/clients/${own.body.client_id}`, { token: org, body: { ...own.body, client_secret: undefined, scopes: ['openid', SCOPE] } });
      expect(update.status, update.text).toBe(403);
      const after = await api(server, 'GET', `/clients/${own.body.client_id}`);
      expect(after.body.scopes).not.toContain(SCOPE);
      // …and so the client cannot introspect.
      const res = await introspect({ token: 'x' }, basic(own.body.client_id, own.body.client_secret));
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('insufficient_scope');
    });

    it('the static admin token can grant it to a confidential client, which can then introspect; the organisation may keep it', async () => {
      const created = await api(server, 'POST', '/clients', { body: clientBody('granted', { scopes: ['openid', SCOPE] }) });
      expect(created.status, created.text).toBe(201);
      expect(created.body.client_orgno).toBe(ORG_A);
      const token = await accessToken('app-a');
      const res = await introspect({ token }, basic(created.body.client_id, created.body.client_secret));
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(true);
      // Another organisation's token stays hidden from it (RFC 7662 §2.2).
      const foreign = await introspect({ token: await accessToken('app') }, basic(created.body.client_id, created.body.client_secret));
      expect(foreign.body).toEqual({ active: false });
      const org = await mp.token({ orgno: ORG_A, scope: WRITE });
      const keep = await api(server, 'PUT', `/clients/${created.body.client_id}`, { token: org, body: { ...created.body, client_secret: undefined, client_name: 'Renamed' } });
      expect(keep.status, keep.text).toBe(200);
      expect(keep.body.scopes).toContain(SCOPE);
    });

    it('not even the admin can give it to a public client (400)', async () => {
      const r = await api(server, 'POST', '/clients', { body: clientBody('spa2', { application_type: 'browser', token_endpoint_auth_method: 'none', scopes: ['openid', SCOPE] }) });
      expect(r.status, r.text).toBe(400);
      expect(r.body.error).toBe('invalid_client_metadata');
      expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['scopes']);
    });
  });

  it('a clients file that gives it to a public client is refused at start', async () => {
    await expect(startServer({ clients: [webClient('spa3', { application_type: 'browser', token_endpoint_auth_method: 'none', client_secret: null, scopes: ['openid', SCOPE] })] }))
      .rejects.toThrow(/scopes: idporten:token\.introspection requires a confidential client/);
  });
});
