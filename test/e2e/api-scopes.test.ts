/**
 * API scopes end to end (spec §15.4, §13.2), over real HTTP with openid-client as the relying
 * party: an API provider registers a prefix and scopes with its trusted-issuer JWT, gives one
 * consumer organisation access, that consumer's client registers and uses the scope; every
 * scope property shapes the tokens; revocation applies to the next authorize and refresh;
 * introspection is for the token's client and the scope's owner only.
 */
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, ADMIN_TOKEN, startTrustedIssuer, type TrustedIssuer } from '../admin/admin-helpers.js';
import { Browser, callbackParams, loginWithTestId, startServer, type TestServer } from './harness.js';

const PID = '15895010046';
const PROVIDER = '310000248';
const CONSUMER = '310000256';
const OTHER = '310000264';
const SCOPES_WRITE = 'idporten:scopes.write';
const DCR = 'idporten:dcr.read idporten:dcr.write idporten:dcr.modify';

describe('API scopes: provider, consumer and tokens (e2e)', () => {
  let server: TestServer;
  let mp: TrustedIssuer;
  let provider: string;
  let consumer: string;
  let other: string;
  const secrets = new Map<string, string>();
  let doc: Record<string, unknown>;

  beforeAll(async () => {
    mp = await startTrustedIssuer();
    server = await startServer({ env: { ADMIN_TOKEN, ADMIN_TRUSTED_ISSUER: mp.issuer, ADMIN_TRUSTED_JWKS_URI: mp.jwksUri }, config: { logging: { level: 'silent' } } });
    provider = await mp.token({ orgno: PROVIDER, scope: `${SCOPES_WRITE} ${DCR}`, expSeconds: 3600 });
    consumer = await mp.token({ orgno: CONSUMER, scope: DCR, expSeconds: 3600 });
    other = await mp.token({ orgno: OTHER, scope: DCR, expSeconds: 3600 });
    doc = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  });
  afterAll(async () => {
    await server?.close();
    await mp?.close();
  });

  /** Registers a client through the admin API with an organisation's JWT (or the admin token and `client_orgno`); returns the response. */
  async function register(token: string, name: string, scopes: string[], clientOrgno?: string) {
    const r = await api(server, 'POST', '/clients', {
      token,
      body: {
        ...(clientOrgno ? { client_orgno: clientOrgno } : {}),
        integration_type: 'ansattporten', application_type: 'web', client_name: name, description: `${name} test client`,
        token_endpoint_auth_method: 'client_secret_basic', grant_types: ['authorization_code', 'refresh_token'], scopes,
        redirect_uris: [`https://${name}.example.test/callback`], access_token_lifetime: 120,
      },
    });
    if (r.status === 201) secrets.set(r.body.client_id, r.body.client_secret);
    return r;
  }

  async function configFor(clientId: string): Promise<oidc.Configuration> {
    return oidc.discovery(new URL(server.issuer), clientId, undefined, oidc.ClientSecretBasic(secrets.get(clientId)!), { execute: [oidc.allowInsecureRequests] });
  }

  async function authUrl(config: oidc.Configuration, name: string, scope: string) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `https://${name}.example.test/callback`, scope, state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    return { url, verifier, state, nonce };
  }

  async function login(clientId: string, name: string, scope: string, b = new Browser(server.issuer)) {
    const config = await configFor(clientId);
    const { url, verifier, state, nonce } = await authUrl(config, name, scope);
    const step = await loginWithTestId(b, url.href, { pid: PID });
    expect(step.location?.startsWith(`https://${name}.example.test/callback`), `no callback: ${step.status} ${step.url} ${step.html.slice(0, 500)}`).toBe(true);
    expect(new URL(step.location!).searchParams.get('error')).toBeNull();
    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.location!), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    return { config, tokens, browser: b };
  }

  // The API provider's organisation: a prefix and its scopes, created with its own JWT.
  let consumerClient: string;
  let providerIntrospector: string;
  let unrelatedIntrospector: string;

  it('the provider registers a prefix and scopes with its trusted-issuer JWT, and gives one consumer access', async () => {
    const p = await api(server, 'POST', '/scopes/prefix', { token: provider, body: { prefix: 'fjell' } });
    expect(p.status, p.text).toBe(201);
    expect(p.body).toMatchObject({ prefix: 'fjell', owner_orgno: PROVIDER });
    const create = async (body: Record<string, unknown>) => {
      const r = await api(server, 'POST', '/scopes', { token: provider, body });
      expect(r.status, r.text).toBe(201);
      expect(r.body.owner_orgno).toBe(PROVIDER);
      return r.body;
    };
    await create({ name: 'fjell:timer', description: 'Timesheets API' });
    await create({ prefix: 'fjell', subscope: 'statistikk', description: 'Pseudonymous statistics', accessible_for_all: true, requires_pseudonymous_tokens: true });
    await create({ name: 'fjell:kort', description: 'Short-lived tokens', accessible_for_all: true, at_max_age: 30, authorization_max_lifetime: 300 });
    await create({ name: 'fjell:referanse', description: 'By-reference tokens', accessible_for_all: true, token_type: 'OPAQUE', visibility: 'PRIVATE' });
    const g = await api(server, 'PUT', `/scopes/access/${CONSUMER}?scope=fjell:timer`, { token: provider });
    expect(g.status, g.text).toBe(201);
    expect(g.body).toMatchObject({ scope: 'fjell:timer', consumer_orgno: CONSUMER, owner_orgno: PROVIDER, state: 'APPROVED' });
  });

  it('discovery lists the active PUBLIC scopes (plus openid and profile), read at request time', async () => {
    const now = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as { scopes_supported: string[] };
    expect(now.scopes_supported.slice(0, 2)).toEqual(['openid', 'profile']);
    expect(now.scopes_supported).toEqual(expect.arrayContaining(['fjell:timer', 'fjell:statistikk', 'fjell:kort', 'example:api']));
    expect(now.scopes_supported).not.toContain('fjell:referanse'); // PRIVATE
    expect(doc.scopes_supported).not.toContain('fjell:timer'); // not yet created when first fetched
  });

  it("the consumer's client registers the scope; a client of another organisation is refused, naming the scope", async () => {
    const ok = await register(consumer, 'konsument', ['openid', 'profile', 'fjell:timer', 'fjell:statistikk', 'fjell:kort', 'fjell:referanse']);
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.client_orgno).toBe(CONSUMER);
    consumerClient = ok.body.client_id;
    const refused = await register(other, 'annen', ['openid', 'fjell:timer']);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_client_metadata');
    expect(refused.body.errors).toEqual([{ field: 'scopes[1]', message: `the scope "fjell:timer" is not accessible to organisation ${OTHER}` }]);
    const unknown = await register(other, 'annen', ['openid', 'fjell:finnes-ikke']);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error_description).toContain('"fjell:finnes-ikke" does not exist');
    // the same organisation may register the scopes that are accessible to all
    expect((await register(other, 'annen', ['openid', 'fjell:statistikk'])).status).toBe(201);

    // The introspection scope is granted by the provider's administrators only (src/clients/introspection-scope-rule.ts).
    expect((await register(provider, 'leverandor', ['openid', 'idporten:token.introspection'])).status).toBe(403);
    const pi = await register(ADMIN_TOKEN, 'leverandor', ['openid', 'idporten:token.introspection'], PROVIDER);
    expect(pi.status, pi.text).toBe(201);
    expect(pi.body.client_orgno).toBe(PROVIDER);
    providerIntrospector = pi.body.client_id;
    const ui = await register(ADMIN_TOKEN, 'uvedkommende', ['openid', 'idporten:token.introspection'], OTHER);
    expect(ui.status, ui.text).toBe(201);
    unrelatedIntrospector = ui.body.client_id;
  });

  async function introspect(callerId: string, token: string) {
    return oidc.tokenIntrospection(await configFor(callerId), token);
  }

  it('the consumer logs in with the scope; the scope owner introspects it as active, an unrelated client with the introspection scope as inactive', async () => {
    const { tokens } = await login(consumerClient, 'konsument', 'openid profile fjell:timer');
    expect(tokens.scope).toBe('openid profile fjell:timer');
    const at = decodeJwt(tokens.access_token);
    expect(at).toMatchObject({ scope: 'openid profile fjell:timer', pid: PID, consumer: { ID: `0192:${CONSUMER}` } });
    expect(tokens.expires_in).toBe(120);

    const byOwner = await introspect(providerIntrospector, tokens.access_token);
    expect(byOwner).toMatchObject({ active: true, scope: 'openid profile fjell:timer', client_id: consumerClient, pid: PID });
    expect(await introspect(unrelatedIntrospector, tokens.access_token)).toEqual({ active: false });
    expect(await introspect(unrelatedIntrospector, tokens.refresh_token!)).toEqual({ active: false });
    expect((await introspect(providerIntrospector, tokens.refresh_token!)).active).toBe(true);
  });

  it('a token without the owner\'s scopes is inactive for the scope owner too', async () => {
    const { tokens } = await login(consumerClient, 'konsument', 'openid profile');
    expect(await introspect(providerIntrospector, tokens.access_token)).toEqual({ active: false });
  });

  it('requires_pseudonymous_tokens: the access token and its introspection carry no pid', async () => {
    const { tokens } = await login(consumerClient, 'konsument', 'openid fjell:statistikk');
    const at = decodeJwt(tokens.access_token);
    expect(at.scope).toBe('openid fjell:statistikk');
    expect(at).not.toHaveProperty('pid');
    expect(at.sub).toBeTruthy();
    const r = await introspect(providerIntrospector, tokens.access_token);
    expect(r.active).toBe(true);
    expect(r).not.toHaveProperty('pid');
    // without that scope the same client gets pid as usual
    expect(decodeJwt((await login(consumerClient, 'konsument', 'openid fjell:timer')).tokens.access_token).pid).toBe(PID);
  });

  it('at_max_age shortens the access token; authorization_max_lifetime caps the refresh token', async () => {
    const { tokens } = await login(consumerClient, 'konsument', 'openid fjell:kort');
    expect(tokens.expires_in).toBe(30);
    const at = decodeJwt(tokens.access_token);
    expect(at.exp! - at.iat!).toBe(30);
    // the client's refresh_token_lifetime is 600 s; the scope's authorization_max_lifetime (300 s) ends the grant first
    expect((tokens as Record<string, unknown>).refresh_token_expires_in).toBeLessThanOrEqual(300);
    expect((tokens as Record<string, unknown>).refresh_token_expires_in).toBeGreaterThan(290);
  });

  it('an OPAQUE scope gives an opaque access token that works at userinfo and introspects', async () => {
    const { config, tokens } = await login(consumerClient, 'konsument', 'openid profile fjell:referanse');
    expect(tokens.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(() => decodeJwt(tokens.access_token)).toThrow();
    // the ID token is signed beside it all the same (the only JWT of this response)
    expect(decodeJwt(tokens.id_token!)).toMatchObject({ iss: server.issuer, aud: consumerClient });
    const ui = await fetch(doc.userinfo_endpoint as string, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(ui.status).toBe(200);
    expect(await ui.json()).toMatchObject({ pid: PID });
    const r = await introspect(providerIntrospector, tokens.access_token);
    expect(r).toMatchObject({ active: true, token_type: 'Bearer', scope: 'openid profile fjell:referanse', client_id: consumerClient, pid: PID, iss: server.issuer });
    expect(r.exp! - r.iat!).toBe(120);
    expect(await introspect(unrelatedIntrospector, tokens.access_token)).toEqual({ active: false });
    // a made-up token of the same shape is unknown
    expect(await introspect(providerIntrospector, 'A'.repeat(43))).toEqual({ active: false });
    // revoking the grant ends the opaque token too
    await oidc.tokenRevocation(config, tokens.access_token);
    expect(await introspect(providerIntrospector, tokens.access_token)).toEqual({ active: false });
    expect((await fetch(doc.userinfo_endpoint as string, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
  });

  it('revoking access: the next authorize is invalid_scope, the next refresh drops the scope; granting again restores it', async () => {
    const { config, tokens, browser } = await login(consumerClient, 'konsument', 'openid profile fjell:timer');
    const del = await api(server, 'DELETE', `/scopes/access/${CONSUMER}?scope=fjell:timer`, { token: provider });
    expect(del.status, del.text).toBe(200);
    expect(del.body.state).toBe('DENIED');

    const again = await authUrl(config, 'konsument', 'openid profile fjell:timer');
    const cb = callbackParams(await browser.go(again.url.href));
    expect(cb.get('error')).toBe('invalid_scope');
    expect(cb.get('error_description')).toContain('fjell:timer');
    expect(cb.get('state')).toBe(again.state);
    expect(cb.get('iss')).toBe(server.issuer);

    // the same at the PAR endpoint (RFC 9126 §2.3: the error as JSON)
    const par = await fetch(`${server.issuer}/par`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${consumerClient}:${secrets.get(consumerClient)}`).toString('base64')}` },
      body: new URLSearchParams({
        client_id: consumerClient, redirect_uri: 'https://konsument.example.test/callback', response_type: 'code', scope: 'openid fjell:timer',
        state: 's', nonce: 'n', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
      }),
    });
    expect(par.status).toBe(400);
    expect((await par.json()).error).toBe('invalid_scope');

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.scope).toBe('openid profile');
    expect(decodeJwt(refreshed.access_token).scope).toBe('openid profile');

    // the client itself is unchanged, but it can no longer be saved with the scope
    const saved = await api(server, 'GET', `/clients/${consumerClient}`, { token: consumer });
    expect(saved.body.scopes).toContain('fjell:timer');

    expect((await api(server, 'PUT', `/scopes/access/${CONSUMER}?scope=fjell:timer`, { token: provider })).status).toBe(200);
    const back = await login(consumerClient, 'konsument', 'openid profile fjell:timer');
    expect(back.tokens.scope).toBe('openid profile fjell:timer');
  });

  it('deactivating a scope: authorize is invalid_scope, discovery stops listing it', async () => {
    const { config, browser } = await login(consumerClient, 'konsument', 'openid fjell:kort');
    const del = await api(server, 'DELETE', '/scopes?scope=fjell:kort', { token: provider });
    expect(del.status, del.text).toBe(200);
    expect(del.body.active).toBe(false);
    const again = await authUrl(config, 'konsument', 'openid fjell:kort');
    const cb = callbackParams(await browser.go(again.url.href));
    expect(cb.get('error')).toBe('invalid_scope');
    expect(cb.get('error_description')).toContain('fjell:kort (is not active)');
    const d = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as { scopes_supported: string[] };
    expect(d.scopes_supported).not.toContain('fjell:kort');
    // other scopes of the same client still work
    expect((await login(consumerClient, 'konsument', 'openid fjell:statistikk')).tokens.scope).toBe('openid fjell:statistikk');
  });
});

describe('API scopes in the clients file', () => {
  it('the server refuses to start when a client lists a scope its organisation may not use, naming client and scope', async () => {
    const clients = [{
      client_id: 'uten-tilgang', client_name: 'x', client_orgno: '310000264', integration_type: 'ansattporten', application_type: 'web',
      token_endpoint_auth_method: 'client_secret_basic', scopes: ['openid', 'fiktiv:les', 'fiktiv:ukjent'],
      redirect_uris: ['https://x.example.test/cb'], client_secret: 'a-long-enough-secret-for-the-test-0123456789',
    }];
    await expect(startServer({ clients, config: { logging: { level: 'silent' } } })).rejects.toThrow(
      /\[0\] \(client_id "uten-tilgang"\): scopes\[1\]: the scope "fiktiv:les" is not accessible to organisation 310000264[\s\S]*scopes\[2\]: the scope "fiktiv:ukjent" does not exist/,
    );
    // the organisation on the fixtures' access list may
    const ok = await startServer({ clients: [{ ...clients[0], client_orgno: '310900001', scopes: ['openid', 'fiktiv:les'] }], config: { logging: { level: 'silent' } } });
    await ok.close();
  });
});
