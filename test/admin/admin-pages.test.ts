import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, formFields, startServer, type TestServer } from '../e2e/harness.js';
import { ADMIN_TOKEN, ORG_A, ORG_B, api, clientBody, rsaJwk, startTrustedIssuer, tokenProbe, type TrustedIssuer } from './admin-helpers.js';

function secretOnPage(html: string): string {
  const m = /<output id="new-secret" class="secret-box">([^<]+)<\/output>/.exec(html);
  if (!m) throw new Error(`no secret on the page:\n${html.slice(0, 2000)}`);
  return m[1]!;
}

describe('self-service pages', () => {
  let server: TestServer;
  let mp: TrustedIssuer;
  beforeAll(async () => {
    mp = await startTrustedIssuer();
    server = await startServer({ env: { ADMIN_TOKEN, ADMIN_TRUSTED_ISSUER: mp.issuer, ADMIN_TRUSTED_JWKS_URI: mp.jwksUri } });
  });
  afterAll(async () => {
    await server?.close();
    await mp?.close();
  });

  async function loggedIn(token = ADMIN_TOKEN): Promise<Browser> {
    const b = new Browser(server.issuer);
    const login = await b.go(`${server.issuer}/admin/login`);
    const list = await b.submit(login, '/admin/login', { token });
    expect(list.status, list.html.slice(0, 500)).toBe(200);
    expect(list.url).toBe(`${server.issuer}/admin/clients`);
    return b;
  }

  it('send a visitor without a session to the login form', async () => {
    const b = new Browser(server.issuer);
    const r = await b.request(`${server.issuer}/admin/clients`);
    expect(r.status).toBe(303);
    expect(r.location).toBe(`${server.issuer}/admin/login`);
    const login = await b.go(`${server.issuer}/admin`);
    expect(login.url).toBe(`${server.issuer}/admin/login`);
    expect(login.status).toBe(200);
    expect(login.html).toContain('name="token"');
    expect(login.html).not.toMatch(/<script/i);
    expect(login.headers.get('content-security-policy')).toMatch(/script-src 'none'/);
  });

  it('log in with the admin token: CSRF-protected form, HttpOnly SameSite=Strict cookie with a session id, never the token', async () => {
    const b = new Browser(server.issuer);
    const login = await b.go(`${server.issuer}/admin/login`);
    const csrf = formFields(login.html, '/admin/login').csrf;
    expect(csrf).toBeTruthy();
    // without the CSRF token, or with another browser's, the login is refused
    const noCsrf = await b.request(`${server.issuer}/admin/login`, { form: { token: ADMIN_TOKEN } });
    expect(noCsrf.status).toBe(403);
    const stranger = new Browser(server.issuer);
    const cross = await stranger.request(`${server.issuer}/admin/login`, { form: { token: ADMIN_TOKEN, csrf: csrf! } });
    expect(cross.status).toBe(403);
    // a wrong token is refused
    const page = await b.go(`${server.issuer}/admin/login`);
    const wrong = await b.submit(page, '/admin/login', { token: 'not-the-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('not accepted');
    // the right one
    const ok = await b.request(`${server.issuer}/admin/login`, { form: { ...formFields(wrong.html, '/admin/login'), token: ADMIN_TOKEN } });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe(`${server.issuer}/admin/clients`);
    const cookies = ok.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('ansattporten_admin='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    const value = session.split(';')[0]!.split('=')[1]!;
    expect(value.length).toBeGreaterThanOrEqual(40);
    for (const c of cookies) expect(c).not.toContain(ADMIN_TOKEN);
    expect((await b.go(`${server.issuer}/admin/clients`)).status).toBe(200);
  });

  it('list, create (secret shown once), edit, replace keys, rotate the secret and delete a client', async () => {
    const fromApi = (await api(server, 'POST', '/clients', { body: clientBody('api-made') })).body;
    const b = await loggedIn();
    const list = await b.go(`${server.issuer}/admin/clients`);
    expect(list.html).toContain(fromApi.client_id);
    expect(list.html).toContain('Client api-made');

    // create
    const form = await b.go(`${server.issuer}/admin/clients/new`);
    expect(form.status).toBe(200);
    const created = await b.submit(form, '/admin/clients/new', {
      client_name: 'Made by hand', description: 'Created in the pages', client_orgno: ORG_A, application_type: 'web',
      token_endpoint_auth_method: 'client_secret_post', refresh_token: 'true', scopes: 'openid profile',
      redirect_uris: 'https://hand.example.test/callback\nhttps://hand.example.test/cb2', post_logout_redirect_uris: 'https://hand.example.test/',
      code_challenge_method: 'S256', access_token_lifetime: '120', authorization_lifetime: '7200', refresh_token_lifetime: '600', refresh_token_usage: 'ONETIME',
    });
    expect(created.status, created.html.slice(0, 3000)).toBe(201);
    const secret = secretOnPage(created.html);
    const clientId = /<dt>client_id<\/dt><dd><code>([^<]+)<\/code>/.exec(created.html)![1]!;
    const stored = (await api(server, 'GET', `/clients/${clientId}`)).body;
    expect(stored).toMatchObject({
      client_name: 'Made by hand', token_endpoint_auth_method: 'client_secret_post', grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: ['https://hand.example.test/callback', 'https://hand.example.test/cb2'], sso_disabled: true,
    });
    const probe = await fetch(`${server.issuer}/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://hand.example.test/callback', code_verifier: 'v'.repeat(43), client_id: clientId, client_secret: secret }),
    });
    expect(((await probe.json()) as { error: string }).error).toBe('invalid_grant');
    const detail = await b.go(`${server.issuer}/admin/clients/${clientId}`);
    expect(detail.status).toBe(200);
    expect(detail.html).not.toContain(secret);

    // edit
    const edited = await b.submit(detail, `/admin/clients/${clientId}`, {
      client_name: 'Renamed by hand', description: '', client_orgno: ORG_A, application_type: 'web', token_endpoint_auth_method: 'client_secret_post',
      scopes: 'openid profile', redirect_uris: 'https://hand.example.test/callback', post_logout_redirect_uris: '',
      code_challenge_method: 'S256', access_token_lifetime: '60', authorization_lifetime: '7200', refresh_token_lifetime: '600', refresh_token_usage: 'REUSE',
    });
    expect(edited.status).toBe(200);
    expect(edited.html).toContain('The client was saved.');
    expect((await api(server, 'GET', `/clients/${clientId}`)).body).toMatchObject({
      client_name: 'Renamed by hand', grant_types: ['authorization_code'], access_token_lifetime: 60, refresh_token_usage: 'REUSE', redirect_uris: ['https://hand.example.test/callback'],
    });

    // replace keys
    const keysPage = await b.go(`${server.issuer}/admin/clients/${clientId}`);
    const keyed = await b.submit(keysPage, `/admin/clients/${clientId}/jwks`, { jwks: JSON.stringify({ keys: [await rsaJwk('hand-key-1')] }) });
    expect(keyed.status).toBe(200);
    expect(keyed.html).toContain('The keys were replaced.');
    expect((await api(server, 'GET', `/clients/${clientId}/jwks`)).body.keys[0].kid).toBe('hand-key-1');

    // rotate the secret
    const rotated = await b.submit(keyed, `/admin/clients/${clientId}/secret`);
    expect(rotated.status).toBe(200);
    const newSecret = secretOnPage(rotated.html);
    expect(newSecret).not.toBe(secret);
    expect((await b.go(`${server.issuer}/admin/clients/${clientId}`)).html).not.toContain(newSecret);

    // delete
    const before = await b.go(`${server.issuer}/admin/clients/${clientId}`);
    const deleted = await b.submit(before, `/admin/clients/${clientId}/delete`);
    expect(deleted.status).toBe(200);
    expect(deleted.html).toContain('was deleted');
    expect((await api(server, 'GET', `/clients/${clientId}`)).status).toBe(404);
    expect((await api(server, 'GET', `/clients/${clientId}?inactive=true`)).body.active).toBe(false);
    expect((await b.go(`${server.issuer}/admin/clients?inactive=true`)).html).toContain(clientId);
  });

  it('show validation errors next to the form, naming the fields, and keep what was typed', async () => {
    const b = await loggedIn();
    const form = await b.go(`${server.issuer}/admin/clients/new`);
    const r = await b.submit(form, '/admin/clients/new', {
      client_name: 'Broken', client_orgno: ORG_A, application_type: 'browser', token_endpoint_auth_method: 'client_secret_basic',
      scopes: 'openid', redirect_uris: 'https://broken.example.test/cb#frag', access_token_lifetime: 'soon',
    });
    expect(r.status).toBe(400);
    expect(r.html).toContain('token_endpoint_auth_method');
    expect(r.html).toContain('redirect_uris[0]');
    expect(r.html).toContain('access_token_lifetime');
    expect(r.html).toContain('https://broken.example.test/cb#frag');
    expect(r.html).toMatch(/aria-invalid="true"/);
  });

  it('refuse a change without the session\'s CSRF token', async () => {
    const c = (await api(server, 'POST', '/clients', { body: clientBody('csrf-target') })).body;
    const b = await loggedIn();
    for (const path of [`/admin/clients/${c.client_id}/delete`, `/admin/clients/${c.client_id}/secret`, '/admin/clients/new']) {
      const r = await b.request(`${server.issuer}${path}`, { form: { csrf: 'forged', client_name: 'x' } });
      expect(r.status, path).toBe(403);
      const none = await b.request(`${server.issuer}${path}`, { form: { client_name: 'x' } });
      expect(none.status, path).toBe(403);
    }
    expect(await tokenProbe(server, c.client_id, { secret: c.client_secret })).toBe('invalid_grant');
    expect((await api(server, 'GET', `/clients/${c.client_id}`)).body.active).toBe(true);
  });

  it('log out ends the session', async () => {
    const b = await loggedIn();
    const list = await b.go(`${server.issuer}/admin/clients`);
    const out = await b.submit(list, '/admin/logout');
    expect(out.url).toBe(`${server.issuer}/admin/login`);
    const r = await b.request(`${server.issuer}/admin/clients`);
    expect(r.status).toBe(303);
  });

  it('an organisation token sees and creates only its own organisation\'s clients', async () => {
    const other = (await api(server, 'POST', '/clients', { body: clientBody('org-b-page', { client_orgno: ORG_B }) })).body;
    const b = await loggedIn(await mp.token({ orgno: ORG_A, scope: 'idporten:dcr.read idporten:dcr.write idporten:dcr.modify' }));
    const list = await b.go(`${server.issuer}/admin/clients`);
    expect(list.html).toContain(`organisation ${ORG_A}`);
    expect(list.html).not.toContain(other.client_id);
    expect((await b.go(`${server.issuer}/admin/clients/${other.client_id}`)).status).toBe(404);
    const form = await b.go(`${server.issuer}/admin/clients/new`);
    expect(form.html).toMatch(new RegExp(`name="client_orgno" value="${ORG_A}"[^>]*readonly`));
  });

  it('a read-only token cannot open the create form', async () => {
    const b = await loggedIn(await mp.token({ orgno: ORG_A, scope: 'idporten:dcr.read' }));
    expect((await b.go(`${server.issuer}/admin/clients`)).status).toBe(200);
    expect((await b.go(`${server.issuer}/admin/clients/new`)).status).toBe(403);
  });
});
