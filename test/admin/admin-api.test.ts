import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../../src/config/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { DOCUMENTED_EXAMPLE_ADMIN_TOKEN } from '../../src/admin/admin-config.js';
import { startServer, type TestServer } from '../e2e/harness.js';
import {
  ADMIN_TOKEN, ORG_A, ORG_B, api, clientAssertion, clientBody, rsaJwk, startTrustedIssuer, tokenProbe, type TrustedIssuer,
} from './admin-helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY = 24 * 3600_000;
const READ = 'idporten:dcr.read';
const WRITE = 'idporten:dcr.write';
const MODIFY = 'idporten:dcr.modify';
const ALL = `${READ} ${WRITE} ${MODIFY}`;

/** The field names of a 400 answer, after checking its shape. */
function fieldsOf(r: { status: number; body: any }): string[] {
  expect(r.status).toBe(400);
  expect(r.body.error).toBe('invalid_client_metadata');
  expect(typeof r.body.error_description).toBe('string');
  expect(Array.isArray(r.body.errors)).toBe(true);
  return r.body.errors.map((e: { field: string; message: string }) => {
    expect(typeof e.message).toBe('string');
    return e.field;
  });
}

describe('admin API', () => {
  let server: TestServer;
  let mp: TrustedIssuer;

  beforeAll(async () => {
    mp = await startTrustedIssuer();
    server = await startServer({
      env: { ADMIN_TOKEN, ADMIN_TRUSTED_ISSUER: mp.issuer, ADMIN_TRUSTED_JWKS_URI: mp.jwksUri },
    });
  });
  afterAll(async () => {
    await server?.close();
    await mp?.close();
  });

  const create = async (name: string, extra: Record<string, unknown> = {}, token?: string) => {
    const r = await api(server, 'POST', '/clients', { body: clientBody(name, extra), ...(token ? { token } : {}) });
    expect(r.status, r.text).toBe(201);
    return r.body;
  };

  describe('operations', () => {
    it('POST /clients creates a client with a UUID client_id, the §15.2 defaults and its secret in clear once', async () => {
      const before = Date.now();
      const r = await api(server, 'POST', '/clients', {
        body: { client_id: 'my-chosen-id', client_name: 'Minimal', client_orgno: ORG_A, redirect_uris: ['https://min.example.test/cb'] },
      });
      expect(r.status, r.text).toBe(201);
      const c = r.body;
      expect(c.client_id).toMatch(UUID);
      expect(c.client_id).not.toBe('my-chosen-id');
      expect(r.headers.get('location')).toBe(`/admin/api/clients/${c.client_id}`);
      expect(c).toMatchObject({
        client_name: 'Minimal', description: '', client_orgno: ORG_A, integration_type: 'ansattporten', application_type: 'web',
        token_endpoint_auth_method: 'client_secret_basic', grant_types: ['authorization_code'], scopes: ['openid', 'profile'],
        post_logout_redirect_uris: [], sso_disabled: true, code_challenge_method: 'S256', access_token_lifetime: 120,
        authorization_lifetime: 7200, refresh_token_lifetime: 600, refresh_token_usage: 'ONETIME', active: true,
        frontchannel_logout_session_required: false, backchannel_logout_session_required: false,
      });
      expect(typeof c.client_secret).toBe('string');
      expect(c.client_secret.length).toBeGreaterThanOrEqual(43);
      expect(c.client_secret_expires_at * 1000).toBeGreaterThanOrEqual(before + 360 * DAY - 2000);
      expect(r.text).not.toMatch(/secret_hash|sha256\$/);
      expect(await tokenProbe(server, c.client_id, { secret: c.client_secret })).toBe('invalid_grant');
      expect(await tokenProbe(server, c.client_id, { secret: 'wrong' })).toBe('invalid_client');
      // the secret is never shown again
      const again = await api(server, 'GET', `/clients/${c.client_id}`);
      expect(again.body.client_secret).toBeUndefined();
      expect(again.text).not.toContain(c.client_secret);
    });

    it('GET /clients answers a JSON array without secrets; GET /clients/{id} one client', async () => {
      const c = await create('listed');
      const list = await api(server, 'GET', '/clients');
      expect(list.status).toBe(200);
      expect(list.headers.get('content-type')).toMatch(/^application\/json/);
      expect(list.headers.get('cache-control')).toBe('no-store');
      expect(Array.isArray(list.body)).toBe(true);
      const found = list.body.find((x: any) => x.client_id === c.client_id);
      expect(found).toMatchObject({ client_name: 'Client listed', active: true });
      expect(list.text).not.toMatch(/secret_hash|sha256\$/);
      expect(list.text).not.toContain(c.client_secret);
      for (const x of list.body) expect(x.client_secret).toBeUndefined();
      const one = await api(server, 'GET', `/clients/${c.client_id}`);
      expect(one.status).toBe(200);
      const { client_secret: _s, ...withoutSecret } = c;
      expect(one.body).toEqual(withoutSecret);
    });

    it('GET of an unknown client is 404', async () => {
      const r = await api(server, 'GET', '/clients/00000000-0000-4000-8000-000000000000');
      expect(r.status).toBe(404);
      expect(r.body.error).toBe('not_found');
    });

    it('PUT /clients/{id} replaces the client, keeps client_id, created and the secret', async () => {
      const c = await create('updated');
      const { client_secret: secret, ...model } = c;
      const r = await api(server, 'PUT', `/clients/${c.client_id}`, {
        body: { ...model, client_name: 'Renamed', access_token_lifetime: 300, redirect_uris: ['https://updated.example.test/other'] },
      });
      expect(r.status, r.text).toBe(200);
      expect(r.body).toMatchObject({ client_id: c.client_id, client_name: 'Renamed', access_token_lifetime: 300, created: c.created, redirect_uris: ['https://updated.example.test/other'] });
      expect(r.body.client_secret).toBeUndefined();
      expect((await api(server, 'GET', `/clients/${c.client_id}`)).body.client_name).toBe('Renamed');
      expect(await tokenProbe(server, c.client_id, { secret })).toBe('invalid_grant');
    });

    it('PUT changing to private_key_jwt deletes the secret; back to a secret method generates a new one, shown once', async () => {
      const c = await create('switcher');
      const { client_secret: secret, ...model } = c;
      const toJwt = await api(server, 'PUT', `/clients/${c.client_id}`, { body: { ...model, token_endpoint_auth_method: 'private_key_jwt' } });
      expect(toJwt.status, toJwt.text).toBe(200);
      expect(toJwt.body.client_secret).toBeUndefined();
      expect(toJwt.body.client_secret_expires_at).toBeUndefined();
      expect(await tokenProbe(server, c.client_id, { secret })).toBe('invalid_client');
      const back = await api(server, 'PUT', `/clients/${c.client_id}`, { body: { ...model, token_endpoint_auth_method: 'client_secret_basic' } });
      expect(back.status).toBe(200);
      expect(typeof back.body.client_secret).toBe('string');
      expect(back.body.client_secret).not.toBe(secret);
      expect(await tokenProbe(server, c.client_id, { secret: back.body.client_secret })).toBe('invalid_grant');
    });

    it('POST /clients/{id}/secret rotates: the new secret is returned once, the old one stops working', async () => {
      const c = await create('rotated');
      const r = await api(server, 'POST', `/clients/${c.client_id}/secret`);
      expect(r.status, r.text).toBe(200);
      expect(r.body.client_id).toBe(c.client_id);
      expect(typeof r.body.client_secret).toBe('string');
      expect(r.body.client_secret).not.toBe(c.client_secret);
      expect(r.text).not.toMatch(/secret_hash|sha256\$/);
      expect(await tokenProbe(server, c.client_id, { secret: c.client_secret })).toBe('invalid_client');
      expect(await tokenProbe(server, c.client_id, { secret: r.body.client_secret })).toBe('invalid_grant');
      expect((await api(server, 'GET', `/clients/${c.client_id}`)).text).not.toContain(r.body.client_secret);
    });

    it('POST /clients/{id}/secret refuses a client without a secret method', async () => {
      const c = await create('nosecret', { token_endpoint_auth_method: 'private_key_jwt' });
      expect(fieldsOf(await api(server, 'POST', `/clients/${c.client_id}/secret`))).toEqual(['token_endpoint_auth_method']);
    });

    it('GET/POST/PUT /clients/{id}/jwks read and replace the whole key set', async () => {
      const c = await create('keyed', { token_endpoint_auth_method: 'private_key_jwt' });
      const empty = await api(server, 'GET', `/clients/${c.client_id}/jwks`);
      expect(empty.status).toBe(200);
      expect(empty.body).toEqual({ keys: [] });
      const put = await api(server, 'PUT', `/clients/${c.client_id}/jwks`, { body: { keys: [await rsaJwk('keyed-1'), await rsaJwk('keyed-2')] } });
      expect(put.status, put.text).toBe(200);
      expect(Object.keys(put.body).sort()).toEqual(['created', 'keys', 'last_updated']);
      expect(put.body.keys.map((k: any) => k.kid)).toEqual(['keyed-1', 'keyed-2']);
      expect((await api(server, 'GET', `/clients/${c.client_id}/jwks`)).body).toEqual(put.body);
      const post = await api(server, 'POST', `/clients/${c.client_id}/jwks`, { body: { keys: [await rsaJwk('keyed-3')] } });
      expect(post.status, post.text).toBe(200);
      expect(post.body.keys.map((k: any) => k.kid)).toEqual(['keyed-3']);
      expect(post.body.created).toBe(put.body.created);
      expect((await api(server, 'GET', `/clients/${c.client_id}`)).body.jwks.keys.map((k: any) => k.kid)).toEqual(['keyed-3']);
      // the registered key authenticates the client, a replaced one no longer does
      const now = Math.floor(Date.now() / 1000);
      expect(await tokenProbe(server, c.client_id, { assertion: await clientAssertion(server, c.client_id, 'keyed-3', now) })).toBe('invalid_grant');
      expect(await tokenProbe(server, c.client_id, { assertion: await clientAssertion(server, c.client_id, 'keyed-1', now) })).toBe('invalid_client');
    });

    it('DELETE deactivates: hidden unless inactive=true, no longer usable, not modifiable, and a re-POST of its client_id is 409', async () => {
      const c = await create('deleted');
      const del = await api(server, 'DELETE', `/clients/${c.client_id}`);
      expect(del.status).toBe(204);
      expect((await api(server, 'GET', `/clients/${c.client_id}`)).status).toBe(404);
      expect((await api(server, 'GET', '/clients')).body.some((x: any) => x.client_id === c.client_id)).toBe(false);
      const inactive = await api(server, 'GET', '/clients?inactive=true');
      expect(inactive.body.find((x: any) => x.client_id === c.client_id)).toMatchObject({ active: false });
      expect((await api(server, 'GET', `/clients/${c.client_id}?inactive=true`)).body).toMatchObject({ client_id: c.client_id, active: false });
      expect(await tokenProbe(server, c.client_id, { secret: c.client_secret })).toBe('invalid_client');
      expect((await api(server, 'PUT', `/clients/${c.client_id}`, { body: clientBody('deleted') })).status).toBe(404);
      expect((await api(server, 'DELETE', `/clients/${c.client_id}`)).status).toBe(404);
      expect((await api(server, 'POST', `/clients/${c.client_id}/secret`)).status).toBe(404);
      const again = await api(server, 'POST', '/clients', { body: { ...clientBody('deleted'), client_id: c.client_id } });
      expect(again.status).toBe(409);
      expect(again.body.error).toBe('conflict');
    });

    it('refuses a body that is not JSON, or not an object', async () => {
      const bad = await api(server, 'POST', '/clients', { rawBody: '{"client_name": ', contentType: 'application/json' });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toBe('invalid_request');
      const form = await api(server, 'POST', '/clients', { rawBody: 'client_name=x', contentType: 'application/x-www-form-urlencoded' });
      expect(form.status).toBe(400);
      expect(form.body.error).toBe('invalid_request');
      expect(fieldsOf(await api(server, 'POST', '/clients', { body: ['not', 'an', 'object'] }))).toEqual(['']);
    });
  });

  describe('validation (one test per rule)', () => {
    it('integration_type must be "ansattporten" on create', async () => {
      expect(fieldsOf(await api(server, 'POST', '/clients', { body: clientBody('it', { integration_type: 'idporten' }) }))).toEqual(['integration_type']);
    });

    it('integration_type can never change (PUT with another → 400, stored value unchanged)', async () => {
      const c = await create('it-change');
      const { client_secret: _s, ...model } = c;
      for (const other of ['idporten', 'maskinporten', 'api_klient']) {
        expect(fieldsOf(await api(server, 'PUT', `/clients/${c.client_id}`, { body: { ...model, integration_type: other } }))).toEqual(['integration_type']);
      }
      expect((await api(server, 'GET', `/clients/${c.client_id}`)).body.integration_type).toBe('ansattporten');
    });

    it('application_type web allows client_secret_basic, client_secret_post and private_key_jwt, not none', async () => {
      for (const m of ['client_secret_basic', 'client_secret_post', 'private_key_jwt']) {
        const c = await create(`web-${m.replace(/_/g, '-')}`, { token_endpoint_auth_method: m });
        expect(c.token_endpoint_auth_method).toBe(m);
        expect(typeof c.client_secret === 'string').toBe(m !== 'private_key_jwt');
      }
      expect(fieldsOf(await api(server, 'POST', '/clients', { body: clientBody('webnone', { token_endpoint_auth_method: 'none' }) }))).toEqual(['token_endpoint_auth_method']);
    });

    it('application_type browser and native only allow none (the default for them), without a secret', async () => {
      for (const t of ['browser', 'native']) {
        for (const m of ['client_secret_basic', 'client_secret_post', 'private_key_jwt']) {
          const r = await api(server, 'POST', '/clients', { body: clientBody(`${t}x`, { application_type: t, token_endpoint_auth_method: m }) });
          expect(fieldsOf(r)).toEqual(['token_endpoint_auth_method']);
        }
        const body = clientBody(`${t}-ok`, { application_type: t });
        delete body.token_endpoint_auth_method;
        const ok = await api(server, 'POST', '/clients', { body });
        expect(ok.status, ok.text).toBe(201);
        expect(ok.body.token_endpoint_auth_method).toBe('none');
        expect(ok.body.client_secret).toBeUndefined();
        expect(ok.body.grant_types).toEqual(['authorization_code', 'refresh_token']);
      }
    });

    it('application_type must be web, browser or native', async () => {
      expect(fieldsOf(await api(server, 'POST', '/clients', { body: clientBody('apptype', { application_type: 'service' }) }))).toEqual(['application_type']);
    });

    it('grant_types: only authorization_code and refresh_token, and authorization_code is required', async () => {
      expect(fieldsOf(await api(server, 'POST', '/clients', { body: clientBody('g1', { grant_types: ['refresh_token'] }) }))).toEqual(['grant_types']);
      expect(fieldsOf(await api(server, 'POST', '/clients', {
        body: clientBody('g2', { grant_types: ['authorization_code', 'urn:ietf:params:oauth:grant-type:jwt-bearer'] }),
      }))).toEqual(['grant_types[1]']);
      expect(fieldsOf(await api(server, 'POST', '/clients', { body: clientBody('g3', { grant_types: ['authorization_code', 'client_credentials'] }) }))).toEqual(['grant_types[1]']);
      expect((await create('g4', { grant_types: ['authorization_code'] })).grant_types).toEqual(['authorization_code']);
    });

    it('redirect_uris and post_logout_redirect_uris must be absolute URLs', async () => {
      expect(fieldsOf(await api(server, 'POST', '/clients', { body: clientBody('rel', { redirect_uris: ['/callback'] }) }))).toEqual(['redirect_uris[0]']);
      expect(fieldsOf(await api(server, 'POST', '/clients', { body: clientBody('rel2', { post_logout_redirect_uris: ['logged-out'] }) }))).toEqual(['post_logout_redirect_uris[0]']);
      expect(fieldsOf(await api(server, 'POST', '/clients', { body: clientBody('rel3', { redirect_uris: [] }) }))).toEqual(['redirect_uris']);
    });

    it('redirect_uris and post_logout_redirect_uris must not contain a fragment', async () => {
      expect(fieldsOf(await api(server, 'POST', '/clients', { body: clientBody('frag', { redirect_uris: ['https://frag.example.test/cb#x'] }) }))).toEqual(['redirect_uris[0]']);
      expect(fieldsOf(await api(server, 'POST', '/clients', {
        body: clientBody('frag2', { post_logout_redirect_uris: ['https://frag2.example.test/ok', 'https://frag2.example.test/out#y'] }),
      }))).toEqual(['post_logout_redirect_uris[1]']);
    });

    it('test mode allows http and localhost redirect URIs', async () => {
      const c = await create('httpok', { redirect_uris: ['http://localhost:3000/cb', 'http://app.example.test/cb'], post_logout_redirect_uris: ['http://localhost:3000/'] });
      expect(c.redirect_uris).toEqual(['http://localhost:3000/cb', 'http://app.example.test/cb']);
    });

    it('frontchannel_logout_uri must be in the registrable domain (eTLD+1) of a registered redirect URI', async () => {
      expect(fieldsOf(await api(server, 'POST', '/clients', {
        body: clientBody('fcl', { frontchannel_logout_uri: 'https://fcl.elsewhere.test/fcl' }),
      }))).toEqual(['frontchannel_logout_uri']);
      const ok = await create('fclok', { frontchannel_logout_uri: 'https://fclok.example.test/fcl', frontchannel_logout_session_required: true });
      expect(ok).toMatchObject({ frontchannel_logout_uri: 'https://fclok.example.test/fcl', frontchannel_logout_session_required: true });
      const sibling = await create('fclsib', { frontchannel_logout_uri: 'https://logout.example.test/fcl' });
      expect(sibling).toMatchObject({ frontchannel_logout_uri: 'https://logout.example.test/fcl' });
    });

    it('backchannel_logout_uri must be in the registrable domain (eTLD+1) of a registered redirect URI; backchannel_logout_session_required is set automatically', async () => {
      expect(fieldsOf(await api(server, 'POST', '/clients', {
        body: clientBody('bcl', { backchannel_logout_uri: 'https://bcl.elsewhere.test/bcl' }),
      }))).toEqual(['backchannel_logout_uri']);
      const ok = await create('bclok', { backchannel_logout_uri: 'https://bclok.example.test/bcl', backchannel_logout_session_required: false });
      expect(ok).toMatchObject({ backchannel_logout_uri: 'https://bclok.example.test/bcl', backchannel_logout_session_required: true });
      const sibling = await create('bclsib', { backchannel_logout_uri: 'https://api.example.test:8443/bcl' });
      expect(sibling).toMatchObject({ backchannel_logout_uri: 'https://api.example.test:8443/bcl', backchannel_logout_session_required: true });
    });

    it('sso_disabled is accepted but always stored as true (create and update)', async () => {
      const c = await create('sso', { sso_disabled: false });
      expect(c.sso_disabled).toBe(true);
      const { client_secret: _s, ...model } = c;
      const put = await api(server, 'PUT', `/clients/${c.client_id}`, { body: { ...model, sso_disabled: false } });
      expect(put.status).toBe(200);
      expect(put.body.sso_disabled).toBe(true);
      expect((await api(server, 'GET', `/clients/${c.client_id}`)).body.sso_disabled).toBe(true);
    });

    it('a client key set holds at most 5 keys', async () => {
      const c = await create('five', { token_endpoint_auth_method: 'private_key_jwt' });
      const six = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => rsaJwk(`five-${i}`)));
      expect(fieldsOf(await api(server, 'PUT', `/clients/${c.client_id}/jwks`, { body: { keys: six } }))).toEqual(['jwks.keys']);
      expect(fieldsOf(await api(server, 'POST', '/clients', { body: clientBody('six', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: six } }) }))).toEqual(['jwks.keys']);
      const ok = await api(server, 'PUT', `/clients/${c.client_id}/jwks`, { body: { keys: six.slice(0, 5) } });
      expect(ok.status, ok.text).toBe(200);
      expect(ok.body.keys).toHaveLength(5);
    });

    it('each key is an RSA key with kty, alg, use, e, n and kid', async () => {
      const c = await create('fields', { token_endpoint_auth_method: 'private_key_jwt' });
      for (const m of ['kty', 'alg', 'use', 'e', 'n', 'kid']) {
        const key = await rsaJwk(`fields-${m}`);
        delete key[m];
        expect(fieldsOf(await api(server, 'PUT', `/clients/${c.client_id}/jwks`, { body: { keys: [key] } }))).toEqual([`jwks.keys[0].${m}`]);
      }
      const ec = { kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: 'ec-1', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
      expect(fieldsOf(await api(server, 'PUT', `/clients/${c.client_id}/jwks`, { body: { keys: [ec] } }))).toEqual(expect.arrayContaining(['jwks.keys[0].kty']));
      const priv = await rsaJwk('fields-private', { d: 'AAAA' });
      expect(fieldsOf(await api(server, 'PUT', `/clients/${c.client_id}/jwks`, { body: { keys: [priv] } }))).toEqual(['jwks.keys[0].d']);
    });

    it('a kid must be unique across all clients (jwks endpoint and client body)', async () => {
      const a = await create('kid-a', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [await rsaJwk('shared-kid')] } });
      expect(a.jwks.keys[0].kid).toBe('shared-kid');
      const b = await create('kid-b', { token_endpoint_auth_method: 'private_key_jwt' });
      expect(fieldsOf(await api(server, 'PUT', `/clients/${b.client_id}/jwks`, { body: { keys: [await rsaJwk('own-kid'), await rsaJwk('shared-kid')] } }))).toEqual(['jwks.keys[1].kid']);
      expect(fieldsOf(await api(server, 'POST', '/clients', {
        body: clientBody('kid-c', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [await rsaJwk('shared-kid')] } }),
      }))).toEqual(['jwks.keys[0].kid']);
      const { client_secret: _s, ...bModel } = b;
      expect(fieldsOf(await api(server, 'PUT', `/clients/${b.client_id}`, { body: { ...bModel, jwks: { keys: [await rsaJwk('shared-kid')] } } }))).toEqual(['jwks.keys[0].kid']);
      // a deleted client's kids stay taken; the owner may re-upload its own kid
      await api(server, 'DELETE', `/clients/${a.client_id}`);
      expect(fieldsOf(await api(server, 'PUT', `/clients/${b.client_id}/jwks`, { body: { keys: [await rsaJwk('shared-kid')] } }))).toEqual(['jwks.keys[0].kid']);
      const c = await create('kid-d', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [await rsaJwk('own-kid-d')] } });
      expect((await api(server, 'PUT', `/clients/${c.client_id}/jwks`, { body: { keys: [await rsaJwk('own-kid-d')] } })).status).toBe(200);
    });

    it('lifetimes are positive integers, and access/refresh lifetimes do not exceed the authorization lifetime', async () => {
      expect(fieldsOf(await api(server, 'POST', '/clients', { body: clientBody('lt1', { access_token_lifetime: 0 }) }))).toEqual(['access_token_lifetime']);
      expect(fieldsOf(await api(server, 'POST', '/clients', { body: clientBody('lt2', { refresh_token_lifetime: 9000 }) }))).toEqual(['refresh_token_lifetime']);
    });

    it('reports every problem at once, each naming its field', async () => {
      const r = await api(server, 'POST', '/clients', {
        body: { integration_type: 'idporten', application_type: 'browser', token_endpoint_auth_method: 'client_secret_basic', redirect_uris: ['nope'], client_orgno: ORG_A, bogus: 1 },
      });
      expect(fieldsOf(r).sort()).toEqual(['bogus', 'client_name', 'integration_type', 'redirect_uris[0]', 'token_endpoint_auth_method']);
      expect(r.body.error_description).toContain('integration_type');
    });
  });

  describe('callers', () => {
    it('no token → 401 with WWW-Authenticate: Bearer; an invalid static token → 401', async () => {
      const none = await api(server, 'GET', '/clients', { token: null });
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      const wrong = await api(server, 'GET', '/clients', { token: `${ADMIN_TOKEN}x` });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer\b.*error="invalid_token"/);
      const basic = await fetch(`${server.issuer}/admin/api/clients`, { headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` } });
      expect(basic.status).toBe(401);
      expect(basic.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    });

    it('every operation requires a token', async () => {
      const id = (await create('guarded')).client_id;
      const calls: [string, string][] = [
        ['GET', '/clients'], ['POST', '/clients'], ['GET', `/clients/${id}`], ['PUT', `/clients/${id}`], ['DELETE', `/clients/${id}`],
        ['POST', `/clients/${id}/secret`], ['GET', `/clients/${id}/jwks`], ['POST', `/clients/${id}/jwks`], ['PUT', `/clients/${id}/jwks`],
      ];
      for (const [method, path] of calls) {
        const r = await api(server, method, path, { token: null, ...(method === 'POST' || method === 'PUT' ? { body: {} } : {}) });
        expect(r.status, `${method} ${path}`).toBe(401);
        expect(r.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      }
      expect((await api(server, 'GET', `/clients/${id}`)).body.active).toBe(true);
    });

    it('JWTs from the trusted issuer: rejected when forged, expired, from another issuer or without a consumer', async () => {
      const bad = [
        await mp.forgedToken({ orgno: ORG_A, scope: ALL }),
        await mp.token({ orgno: ORG_A, scope: ALL, nowS: Math.floor(Date.now() / 1000) - 3600 }),
        await mp.token({ orgno: ORG_A, scope: ALL, iss: 'https://evil.example/' }),
        await mp.token({ scope: ALL, consumer: null }),
        await mp.token({ scope: ALL, consumer: { authority: 'iso6523-actorid-upis', ID: '0192:12345' } }),
      ];
      for (const token of bad) {
        const r = await api(server, 'GET', '/clients', { token });
        expect(r.status).toBe(401);
        expect(r.headers.get('www-authenticate')).toMatch(/^Bearer\b.*error="invalid_token"/);
      }
    });

    it('a JWT without the needed scope → 403 insufficient_scope (read, write and modify separately)', async () => {
      const readOnly = await mp.token({ orgno: ORG_A, scope: READ });
      const writeOnly = await mp.token({ orgno: ORG_A, scope: WRITE });
      const modifyOnly = await mp.token({ orgno: ORG_A, scope: MODIFY });
      const mine = await create('scoped', {}, await mp.token({ orgno: ORG_A, scope: WRITE }));
      const { client_secret: _s, ...model } = mine;
      const expect403 = async (r: Promise<{ status: number; body: any; headers: Headers }>, scope: string) => {
        const res = await r;
        expect(res.status).toBe(403);
        expect(res.body.error).toBe('insufficient_scope');
        expect(res.headers.get('www-authenticate')).toContain(`scope="${scope}"`);
      };
      // read
      expect((await api(server, 'GET', '/clients', { token: readOnly })).status).toBe(200);
      expect((await api(server, 'GET', `/clients/${mine.client_id}/jwks`, { token: readOnly })).status).toBe(200);
      await expect403(api(server, 'GET', '/clients', { token: writeOnly }), READ);
      await expect403(api(server, 'GET', `/clients/${mine.client_id}`, { token: modifyOnly }), READ);
      // write (create)
      await expect403(api(server, 'POST', '/clients', { token: readOnly, body: clientBody('x', { client_orgno: ORG_A }) }), WRITE);
      await expect403(api(server, 'POST', '/clients', { token: modifyOnly, body: clientBody('x', { client_orgno: ORG_A }) }), WRITE);
      // modify
      await expect403(api(server, 'PUT', `/clients/${mine.client_id}`, { token: writeOnly, body: model }), MODIFY);
      await expect403(api(server, 'DELETE', `/clients/${mine.client_id}`, { token: readOnly }), MODIFY);
      await expect403(api(server, 'POST', `/clients/${mine.client_id}/secret`, { token: writeOnly }), MODIFY);
      await expect403(api(server, 'PUT', `/clients/${mine.client_id}/jwks`, { token: readOnly, body: { keys: [] } }), MODIFY);
      const put = await api(server, 'PUT', `/clients/${mine.client_id}`, { token: modifyOnly, body: { ...model, client_name: 'By modify' } });
      expect(put.status, put.text).toBe(200);
      expect(put.body.client_name).toBe('By modify');
    });

    it('an organisation caller creates clients for its own organisation only', async () => {
      const token = await mp.token({ orgno: ORG_A, scope: ALL });
      const body = clientBody('org-created');
      delete body.client_orgno;
      const r = await api(server, 'POST', '/clients', { token, body });
      expect(r.status, r.text).toBe(201);
      expect(r.body.client_orgno).toBe(ORG_A);
      expect(fieldsOf(await api(server, 'POST', '/clients', { token, body: clientBody('org-other', { client_orgno: ORG_B }) }))).toEqual(['client_orgno']);
    });

    it('the organisation boundary: one organisation cannot read or change another\'s clients (404), the admin token sees all', async () => {
      const tokenA = await mp.token({ orgno: ORG_A, scope: ALL });
      const tokenB = await mp.token({ orgno: ORG_B, scope: ALL });
      const a = await create('org-a', {}, tokenA);
      const b = await create('org-b', { client_orgno: ORG_B }, tokenB);
      expect(b.client_orgno).toBe(ORG_B);

      const listB = await api(server, 'GET', '/clients', { token: tokenB });
      expect(listB.status).toBe(200);
      expect(listB.body.map((c: any) => c.client_orgno).every((o: string) => o === ORG_B)).toBe(true);
      expect(listB.body.some((c: any) => c.client_id === a.client_id)).toBe(false);
      expect(listB.body.some((c: any) => c.client_id === b.client_id)).toBe(true);
      expect((await api(server, 'GET', '/clients?inactive=true', { token: tokenB })).body.some((c: any) => c.client_id === a.client_id)).toBe(false);

      const { client_secret: _s, ...aModel } = a;
      const attempts: [string, string, unknown?][] = [
        ['GET', `/clients/${a.client_id}`], ['GET', `/clients/${a.client_id}?inactive=true`], ['PUT', `/clients/${a.client_id}`, { ...aModel, client_orgno: ORG_B }],
        ['PUT', `/clients/${a.client_id}`, aModel], ['DELETE', `/clients/${a.client_id}`], ['POST', `/clients/${a.client_id}/secret`],
        ['GET', `/clients/${a.client_id}/jwks`], ['PUT', `/clients/${a.client_id}/jwks`, { keys: [] }], ['POST', `/clients/${a.client_id}/jwks`, { keys: [] }],
      ];
      for (const [method, path, body] of attempts) {
        const r = await api(server, method, path, { token: tokenB, ...(body !== undefined ? { body } : {}) });
        expect(r.status, `${method} ${path}`).toBe(404);
      }
      // nothing changed, and A's secret still works
      const still = await api(server, 'GET', `/clients/${a.client_id}`, { token: tokenA });
      expect(still.body).toMatchObject({ active: true, client_orgno: ORG_A, client_name: 'Client org-a', last_updated: a.last_updated });
      expect(await tokenProbe(server, a.client_id, { secret: a.client_secret })).toBe('invalid_grant');
      // an organisation cannot move its client to another organisation
      expect(fieldsOf(await api(server, 'PUT', `/clients/${a.client_id}`, { token: tokenA, body: { ...aModel, client_orgno: ORG_B } }))).toEqual(['client_orgno']);
      // the admin token sees both
      const all = (await api(server, 'GET', '/clients')).body.map((c: any) => c.client_id);
      expect(all).toEqual(expect.arrayContaining([a.client_id, b.client_id]));
    });
  });

  describe('audit log', () => {
    it('records who, what, when, before and after for every change, without secrets', async () => {
      const t0 = Date.now();
      const tokenA = await mp.token({ orgno: ORG_A, scope: ALL });
      const c = await create('audited', {}, tokenA);
      const { client_secret: firstSecret, ...model } = c;
      await api(server, 'PUT', `/clients/${c.client_id}`, { body: { ...model, client_name: 'Audited v2' } });
      const rotated = (await api(server, 'POST', `/clients/${c.client_id}/secret`, { token: tokenA })).body.client_secret;
      await api(server, 'PUT', `/clients/${c.client_id}/jwks`, { body: { keys: [await rsaJwk('audited-1')] } });
      await api(server, 'DELETE', `/clients/${c.client_id}`);

      const r = await api(server, 'GET', '/audit?limit=200');
      expect(r.status).toBe(200);
      const mine = (r.body as any[]).filter((e) => e.target === c.client_id).reverse();
      expect(mine.map((e) => e.action)).toEqual(['client.create', 'client.update', 'client.secret.rotate', 'client.jwks.replace', 'client.deactivate']);
      expect(mine.map((e) => e.actor)).toEqual([`org:${ORG_A}/selfservice-${ORG_A}`, 'admin-token', `org:${ORG_A}/selfservice-${ORG_A}`, 'admin-token', 'admin-token']);
      for (const e of mine) {
        expect(e.at).toBeGreaterThanOrEqual(t0 - 1000);
        expect(e.at).toBeLessThanOrEqual(Date.now());
        expect(e.after).toBeTruthy();
      }
      expect(mine[0].before).toBeUndefined();
      expect(mine[0].after).toMatchObject({ client_id: c.client_id, client_name: 'Client audited' });
      expect(mine[1].before).toMatchObject({ client_name: 'Client audited' });
      expect(mine[1].after).toMatchObject({ client_name: 'Audited v2' });
      expect(mine[2].after.client_secret_expires_at).toBeGreaterThanOrEqual(mine[2].before.client_secret_expires_at);
      expect(mine[3].before.jwks).toBeUndefined();
      expect(mine[3].after.jwks.keys[0].kid).toBe('audited-1');
      expect(mine[4].before.active).toBe(true);
      expect(mine[4].after.active).toBe(false);
      const text = JSON.stringify(mine);
      expect(text).not.toContain(firstSecret);
      expect(text).not.toContain(rotated);
      expect(text).not.toMatch(/client_secret"|secret_hash|sha256\$/);
    });

    it('the audit log is only readable with the admin token', async () => {
      const r = await api(server, 'GET', '/audit', { token: await mp.token({ orgno: ORG_A, scope: ALL }) });
      expect(r.status).toBe(403);
      expect((await api(server, 'GET', '/audit', { token: null })).status).toBe(401);
    });
  });

  describe('OpenAPI document', () => {
    it('is served at {base}/openapi.json, describes every operation, and every described operation exists', async () => {
      const res = await fetch(`${server.issuer}/admin/api/openapi.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const doc = await res.json();
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.servers[0].url).toBe(`${server.issuer}/admin/api`);
      const ops = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, item]) =>
        Object.keys(item).filter((m) => ['get', 'post', 'put', 'delete'].includes(m)).map((m) => `${m.toUpperCase()} ${p}`));
      expect(ops).toEqual(expect.arrayContaining([
        'GET /clients', 'POST /clients', 'GET /clients/{client_id}', 'PUT /clients/{client_id}', 'DELETE /clients/{client_id}',
        'POST /clients/{client_id}/secret', 'GET /clients/{client_id}/jwks', 'POST /clients/{client_id}/jwks', 'PUT /clients/{client_id}/jwks',
      ]));
      expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Client', 'ClientInput', 'Jwks', 'Error']));
      expect(doc.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
      // every documented operation is routed (401 without a token, not 404)
      for (const op of ops) {
        const [method, p] = op.split(' ') as [string, string];
        const r = await api(server, method, p.replace('{client_id}', 'some-id'), { token: null });
        expect(r.status, op).toBe(401);
      }
      // the refs resolve
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([A-Za-z]+)"/g)].map((m) => m[1]!);
      for (const name of refs) expect(doc.components.schemas[name], name).toBeDefined();
    });
  });
});

describe('admin API in production mode', () => {
  let prod: TestServer;
  beforeAll(async () => {
    prod = await startServer({ env: { NODE_ENV: 'production', ISSUER: 'https://login.example.test', ADMIN_TOKEN } });
    // the issuer is https but the test server listens on plain http on loopback
    (prod as { issuer: string }).issuer = `http://127.0.0.1:${(prod.app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => prod?.close());

  it('requires https redirect URIs (http and localhost refused for web clients)', async () => {
    expect(fieldsOf(await api(prod, 'POST', '/clients', { body: clientBody('p1', { redirect_uris: ['http://p1.example.test/cb'] }) }))).toEqual(['redirect_uris[0]']);
    expect(fieldsOf(await api(prod, 'POST', '/clients', { body: clientBody('p2', { post_logout_redirect_uris: ['http://p2.example.test/out'] }) }))).toEqual(['post_logout_redirect_uris[0]']);
    expect(fieldsOf(await api(prod, 'POST', '/clients', { body: clientBody('p3', { redirect_uris: ['https://localhost/cb'] }) }))).toEqual(['redirect_uris[0]']);
    expect(fieldsOf(await api(prod, 'POST', '/clients', {
      body: clientBody('p4', { redirect_uris: ['https://p4.example.test/cb'], frontchannel_logout_uri: 'http://p4.example.test/fcl' }),
    }))).toEqual(['frontchannel_logout_uri']);
    const ok = await api(prod, 'POST', '/clients', { body: clientBody('p5') });
    expect(ok.status, ok.text).toBe(201);
  });

  it('allows http loopback redirect URIs for native clients only', async () => {
    const body = clientBody('nat', { application_type: 'native', token_endpoint_auth_method: 'none', redirect_uris: ['http://127.0.0.1:51000/cb'], post_logout_redirect_uris: [] });
    const ok = await api(prod, 'POST', '/clients', { body });
    expect(ok.status, ok.text).toBe(201);
    expect(fieldsOf(await api(prod, 'POST', '/clients', { body: { ...body, application_type: 'browser' } }))).toEqual(['redirect_uris[0]']);
  });
});

describe('admin API configuration', () => {
  const prodEnv = { NODE_ENV: 'production', ISSUER: 'https://login.example.test' };

  it('production mode refuses to start with the admin API enabled but no ADMIN_TOKEN (and no trusted issuer)', async () => {
    expect(() => loadConfig(prodEnv, { admin: { enabled: true, base_path: '/admin/api', pages_path: '/admin', pages_enabled: true, session_minutes: 30 } })).toThrow(ConfigError);
    await expect(startServer({ env: prodEnv, config: { admin: { enabled: true, base_path: '/admin/api', pages_path: '/admin', pages_enabled: true, session_minutes: 30 } } }))
      .rejects.toThrow(/ADMIN_TOKEN/);
  });

  it('production mode refuses an ADMIN_TOKEN shorter than 32 characters', async () => {
    expect(() => loadConfig({ ...prodEnv, ADMIN_TOKEN: 'x'.repeat(31) })).toThrow(/shorter than 32/);
    await expect(startServer({ env: { ...prodEnv, ADMIN_TOKEN: 'short-token' } })).rejects.toThrow(ConfigError);
  });

  it('production mode refuses the documented example ADMIN_TOKEN', () => {
    expect(() => loadConfig({ ...prodEnv, ADMIN_TOKEN: DOCUMENTED_EXAMPLE_ADMIN_TOKEN })).toThrow(/example/);
    expect(() => loadConfig({ ...prodEnv, ADMIN_TOKEN: `${DOCUMENTED_EXAMPLE_ADMIN_TOKEN}-2` })).toThrow(/example/);
    expect(loadConfig({ ...prodEnv, ADMIN_TOKEN }).admin).toMatchObject({ enabled: true, token: ADMIN_TOKEN });
  });

  it('production mode without admin credentials starts with the admin API disabled', async () => {
    const s = await startServer({ env: prodEnv });
    try {
      const url = `http://127.0.0.1:${(s.app.server.address() as { port: number }).port}`;
      expect((await api({ issuer: url }, 'GET', '/clients')).status).toBe(404);
    } finally {
      await s.close();
    }
  });

  it('the base path is configurable', async () => {
    const s = await startServer({ env: { ADMIN_TOKEN }, config: { admin: { base_path: '/selfservice/v1', pages_path: '/admin', pages_enabled: true, session_minutes: 30 } } });
    try {
      const created = await api(s, 'POST', '/clients', { base: '/selfservice/v1', body: clientBody('based') });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe(`/selfservice/v1/clients/${created.body.client_id}`);
      expect((await api(s, 'GET', `/clients/${created.body.client_id}`, { base: '/selfservice/v1' })).status).toBe(200);
      expect((await fetch(`${s.issuer}/selfservice/v1/openapi.json`).then((r) => r.json())).servers[0].url).toBe(`${s.issuer}/selfservice/v1`);
      expect((await api(s, 'GET', '/clients')).status).toBe(404);
    } finally {
      await s.close();
    }
  });
});

describe('admin API: expiry of secrets and keys', () => {
  const T0 = Date.UTC(2030, 0, 15, 12, 0, 0);
  const clock = new ManualClock(T0);
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ clock, env: { ADMIN_TOKEN } });
  });
  afterAll(async () => server?.close());

  it('a client secret expires 360 days after it is set', async () => {
    clock.set(T0);
    const c = (await api(server, 'POST', '/clients', { body: clientBody('exp-secret') })).body;
    expect(c.client_secret_expires_at).toBe((T0 + 360 * DAY) / 1000);
    clock.set(T0 + 360 * DAY - 60_000);
    expect(await tokenProbe(server, c.client_id, { secret: c.client_secret })).toBe('invalid_grant');
    clock.set(T0 + 360 * DAY);
    expect(await tokenProbe(server, c.client_id, { secret: c.client_secret })).toBe('invalid_client');
    // a rotation gives a fresh 360 days
    const r = await api(server, 'POST', `/clients/${c.client_id}/secret`);
    expect(r.body.client_secret_expires_at).toBe((T0 + 720 * DAY) / 1000);
    expect(await tokenProbe(server, c.client_id, { secret: r.body.client_secret })).toBe('invalid_grant');
  });

  it('each client key expires one year after upload', async () => {
    clock.set(T0);
    const c = (await api(server, 'POST', '/clients', {
      body: clientBody('exp-key', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [await rsaJwk('exp-key-1')] } }),
    })).body;
    const oneYear = Date.UTC(2031, 0, 15, 12, 0, 0) / 1000;
    expect(c.jwks.keys[0].exp).toBe(oneYear);
    clock.set(T0 + 100 * DAY);
    const put = await api(server, 'PUT', `/clients/${c.client_id}/jwks`, { body: { keys: [await rsaJwk('exp-key-1'), await rsaJwk('exp-key-2')] } });
    const laterYear = Date.UTC(2031, 3, 25, 12, 0, 0) / 1000; // uploaded 2030-04-25, + 1 year
    expect(put.body.keys.map((k: any) => k.exp)).toEqual([laterYear, laterYear]);
    expect(put.body.created).toBe(new Date(T0).toISOString());
    expect(put.body.last_updated).toBe(new Date(T0 + 100 * DAY).toISOString());
    clock.set(laterYear * 1000 - 3600_000);
    expect(await tokenProbe(server, c.client_id, { assertion: await clientAssertion(server, c.client_id, 'exp-key-2', Math.floor(clock.now() / 1000)) })).toBe('invalid_grant');
    clock.set(laterYear * 1000 + 1000);
    expect(await tokenProbe(server, c.client_id, { assertion: await clientAssertion(server, c.client_id, 'exp-key-2', Math.floor(clock.now() / 1000)) })).toBe('invalid_client');
  });
});
