/**
 * Admin API for API scopes, prefixes and access lists (spec §15.3, §15.4): every route, the
 * scopes idporten:scopes.read / idporten:scopes.write, the organisation boundary of trusted-JWT
 * callers (own prefixes, own scopes, access to own scopes), validation and the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../e2e/harness.js';
import { ADMIN_TOKEN, ORG_A, ORG_B, api, startTrustedIssuer, type TrustedIssuer } from './admin-helpers.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const READ = 'idporten:scopes.read';
const WRITE = 'idporten:scopes.write';
const ORG_C = '310000124';

function fieldsOf(r: { status: number; body: any; text: string }): string[] {
  expect(r.status, r.text).toBe(400);
  expect(r.body.error).toBe('invalid_request');
  return r.body.errors.map((e: { field: string; message: string }) => {
    expect(r.body.error_description).toContain(e.message);
    return e.field;
  });
}

describe('admin API: API scopes', () => {
  let server: TestServer;
  let mp: TrustedIssuer;
  let writeA: string;
  let writeB: string;
  let readA: string;
  let dcrOnlyA: string;

  beforeAll(async () => {
    mp = await startTrustedIssuer();
    server = await startServer({ env: { ADMIN_TOKEN, ADMIN_TRUSTED_ISSUER: mp.issuer, ADMIN_TRUSTED_JWKS_URI: mp.jwksUri }, config: { logging: { level: 'silent' } } });
    writeA = await mp.token({ orgno: ORG_A, scope: WRITE, expSeconds: 3600 });
    writeB = await mp.token({ orgno: ORG_B, scope: WRITE, expSeconds: 3600 });
    readA = await mp.token({ orgno: ORG_A, scope: READ, expSeconds: 3600 });
    dcrOnlyA = await mp.token({ orgno: ORG_A, scope: 'idporten:dcr.read idporten:dcr.write idporten:dcr.modify', expSeconds: 3600 });
    expect((await api(server, 'POST', '/scopes/prefix', { token: writeA, body: { prefix: 'alfa' } })).status).toBe(201);
    expect((await api(server, 'POST', '/scopes/prefix', { token: writeB, body: { prefix: 'beta' } })).status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
    await mp?.close();
  });

  describe('authentication and scopes', () => {
    it('no token → 401 with WWW-Authenticate; a forged token → 401 invalid_token', async () => {
      for (const [m, p] of [['GET', '/scopes'], ['POST', '/scopes'], ['PUT', '/scopes?scope=alfa:x'], ['DELETE', '/scopes?scope=alfa:x'], ['GET', '/scopes/prefix'], ['POST', '/scopes/prefix'],
        ['GET', `/scopes/access/${ORG_B}`], ['PUT', `/scopes/access/${ORG_B}?scope=alfa:x`], ['DELETE', `/scopes/access/${ORG_B}?scope=alfa:x`]] as const) {
        const r = await api(server, m, p, { token: null, ...(m === 'POST' || m === 'PUT' ? { body: {} } : {}) });
        expect(r.status, `${m} ${p}`).toBe(401);
        expect(r.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
      }
      const forged = await api(server, 'GET', '/scopes', { token: await mp.forgedToken({ orgno: ORG_A, scope: WRITE }) });
      expect(forged.status).toBe(401);
      expect(forged.body.error).toBe('invalid_token');
    });

    it('a JWT with only idporten:dcr.* scopes → 403 insufficient_scope, for reading and writing', async () => {
      const r = await api(server, 'GET', '/scopes', { token: dcrOnlyA });
      expect(r.status).toBe(403);
      expect(r.body.error).toBe('insufficient_scope');
      expect(r.headers.get('www-authenticate')).toContain('insufficient_scope');
      expect((await api(server, 'POST', '/scopes', { token: dcrOnlyA, body: { name: 'alfa:x', description: 'x' } })).status).toBe(403);
    });

    it('idporten:scopes.read may read but not write; idporten:scopes.write may both', async () => {
      expect((await api(server, 'GET', '/scopes', { token: readA })).status).toBe(200);
      expect((await api(server, 'GET', '/scopes/prefix', { token: readA })).status).toBe(200);
      expect((await api(server, 'GET', `/scopes/access/${ORG_B}`, { token: readA })).status).toBe(200);
      const w = await api(server, 'POST', '/scopes', { token: readA, body: { name: 'alfa:lesing', description: 'x' } });
      expect(w.status).toBe(403);
      expect(w.body.error_description).toContain(WRITE);
      expect((await api(server, 'POST', '/scopes/prefix', { token: readA, body: { prefix: 'alfa2' } })).status).toBe(403);
      expect((await api(server, 'PUT', `/scopes/access/${ORG_B}?scope=alfa:x`, { token: readA })).status).toBe(403);
      expect((await api(server, 'DELETE', '/scopes?scope=alfa:x', { token: readA })).status).toBe(403);
      expect((await api(server, 'GET', '/scopes', { token: writeA })).status).toBe(200);
    });
  });

  describe('prefixes', () => {
    it('POST registers a prefix for the caller\'s organisation; first come, first served (409)', async () => {
      const r = await api(server, 'POST', '/scopes/prefix', { token: writeA, body: { prefix: 'alfa-api' } });
      expect(r.status, r.text).toBe(201);
      expect(r.body).toEqual({ prefix: 'alfa-api', owner_orgno: ORG_A, created: expect.stringMatching(ISO) });
      const taken = await api(server, 'POST', '/scopes/prefix', { token: writeB, body: { prefix: 'alfa-api' } });
      expect(taken.status).toBe(409);
      expect(taken.body.error).toBe('conflict');
    });

    it('an organisation cannot register a prefix for another organisation, nor a reserved one', async () => {
      const r = await api(server, 'POST', '/scopes/prefix', { token: writeA, body: { prefix: 'gamma', owner_orgno: ORG_B } });
      expect(r.status).toBe(403);
      expect(r.body.error).toBe('access_denied');
      expect((await api(server, 'POST', '/scopes/prefix', { token: writeA, body: { prefix: 'idporten' } })).status).toBe(403);
    });

    it('validation: bad prefix, bad owner, unknown field; the static token must name the owner', async () => {
      expect(fieldsOf(await api(server, 'POST', '/scopes/prefix', { token: writeA, body: { prefix: 'Alfa Stor' } }))).toEqual(['prefix']);
      expect(fieldsOf(await api(server, 'POST', '/scopes/prefix', { body: { prefix: 'delta', owner_orgno: '310000109' } }))).toEqual(['owner_orgno']);
      expect(fieldsOf(await api(server, 'POST', '/scopes/prefix', { token: writeA, body: { prefix: 'delta', extra: 1 } }))).toEqual(['extra']);
      expect(fieldsOf(await api(server, 'POST', '/scopes/prefix', { body: { prefix: 'delta' } }))).toEqual(['owner_orgno']);
      const json = await api(server, 'POST', '/scopes/prefix', { token: writeA, rawBody: 'prefix=delta', contentType: 'application/x-www-form-urlencoded' });
      expect(json.status).toBe(400);
      const s = await api(server, 'POST', '/scopes/prefix', { body: { prefix: 'delta', owner_orgno: ORG_C } });
      expect(s.status, s.text).toBe(201);
    });

    it('GET lists the caller\'s prefixes; the static token sees every prefix', async () => {
      const a = await api(server, 'GET', '/scopes/prefix', { token: writeA });
      expect(a.body.map((p: { prefix: string }) => p.prefix)).toEqual(['alfa', 'alfa-api']);
      const all = await api(server, 'GET', '/scopes/prefix');
      expect(all.body.map((p: { prefix: string }) => p.prefix)).toEqual(expect.arrayContaining(['alfa', 'alfa-api', 'beta', 'delta', 'example', 'fiktiv']));
    });
  });

  describe('scopes', () => {
    it('POST creates a scope under an own prefix with the defaults, a Location, and an audit entry', async () => {
      const r = await api(server, 'POST', '/scopes', { token: writeA, body: { name: 'alfa:les', description: 'Read', created: 'x' } });
      expect(r.status, r.text).toBe(201);
      expect(r.headers.get('location')).toBe('/admin/api/scopes?scope=alfa%3Ales');
      expect(r.body).toEqual({
        name: 'alfa:les', prefix: 'alfa', subscope: 'les', description: 'Read', active: true, owner_orgno: ORG_A,
        allowed_integration_types: ['ansattporten'], accessible_for_all: false, requires_pseudonymous_tokens: false,
        token_type: 'SELF_CONTAINED', visibility: 'PUBLIC', created: expect.stringMatching(ISO), last_updated: r.body.created,
      });
      const audit = await api(server, 'GET', '/audit?limit=5');
      expect(audit.body.find((e: { action: string; target: string }) => e.action === 'scope.create' && e.target === 'alfa:les')).toMatchObject({ actor: `org:${ORG_A}/selfservice-${ORG_A}`, after: { name: 'alfa:les' } });
    });

    it('POST: another organisation\'s prefix → 403; unregistered prefix → 400; existing name → 409; owner_orgno must match', async () => {
      const b = await api(server, 'POST', '/scopes', { token: writeB, body: { name: 'alfa:stjal', description: 'x' } });
      expect(b.status).toBe(403);
      expect(b.body.error_description).toContain('"alfa"');
      expect(fieldsOf(await api(server, 'POST', '/scopes', { token: writeA, body: { name: 'ukjent:x', description: 'x' } }))).toEqual(['prefix']);
      expect((await api(server, 'POST', '/scopes', { token: writeA, body: { name: 'alfa:les', description: 'again' } })).status).toBe(409);
      expect(fieldsOf(await api(server, 'POST', '/scopes', { body: { name: 'alfa:eier', description: 'x', owner_orgno: ORG_B } }))).toEqual(['owner_orgno']);
      // the static token may create under any prefix; the owner is the prefix's
      const s = await api(server, 'POST', '/scopes', { body: { name: 'beta:admin-laget', description: 'x' } });
      expect(s.status).toBe(201);
      expect(s.body.owner_orgno).toBe(ORG_B);
    });

    it('POST validation: every field', async () => {
      const bad = await api(server, 'POST', '/scopes', {
        token: writeA,
        body: { name: 'alfa:ok', description: '', at_max_age: 0, authorization_max_lifetime: 1.5, token_type: 'JWT', visibility: 'INTERNAL', accessible_for_all: 'yes', allowed_integration_types: ['x'], extra: 1 },
      });
      expect(fieldsOf(bad).sort()).toEqual(['accessible_for_all', 'allowed_integration_types[0]', 'at_max_age', 'authorization_max_lifetime', 'description', 'extra', 'token_type', 'visibility']);
      expect(fieldsOf(await api(server, 'POST', '/scopes', { token: writeA, body: { name: 'alfa', description: 'x' } }))).toEqual(['name']);
      expect(fieldsOf(await api(server, 'POST', '/scopes', { token: writeA, body: { description: 'x' } }))).toEqual(['name']);
      expect(fieldsOf(await api(server, 'POST', '/scopes', { token: writeA, body: { name: 'alfa:x', prefix: 'beta', description: 'x' } }))).toEqual(['prefix']);
      expect(fieldsOf(await api(server, 'POST', '/scopes', { token: writeA, body: { name: 'openid', description: 'x' } }))).toEqual(['name']);
      expect(fieldsOf(await api(server, 'POST', '/scopes', { token: writeA, body: [] }))).toEqual(['']);
    });

    it('GET lists the caller\'s active scopes (inactive=true adds deactivated ones), GET ?scope= shows one of its own', async () => {
      await api(server, 'POST', '/scopes', { token: writeA, body: { name: 'alfa:gammel', description: 'old' } });
      expect((await api(server, 'DELETE', '/scopes?scope=alfa:gammel', { token: writeA })).status).toBe(200);
      const list = await api(server, 'GET', '/scopes', { token: readA });
      const names = list.body.map((s: { name: string }) => s.name);
      expect(names).toContain('alfa:les');
      expect(names).not.toContain('alfa:gammel');
      expect(names.every((n: string) => n.startsWith('alfa:'))).toBe(true);
      const withInactive = await api(server, 'GET', '/scopes?inactive=true', { token: readA });
      expect(withInactive.body.map((s: { name: string }) => s.name)).toContain('alfa:gammel');
      expect((await api(server, 'GET', '/scopes?scope=alfa:les', { token: readA })).body.name).toBe('alfa:les');
      expect((await api(server, 'GET', '/scopes?scope=alfa:gammel', { token: readA })).status).toBe(404);
      expect((await api(server, 'GET', '/scopes?scope=alfa:gammel&inactive=true', { token: readA })).body.active).toBe(false);
      // another organisation's scope is not visible
      expect((await api(server, 'GET', '/scopes?scope=alfa:les', { token: writeB })).status).toBe(404);
      expect((await api(server, 'GET', '/scopes', { token: writeB })).body.map((s: { name: string }) => s.name)).not.toContain('alfa:les');
      // the static token sees every scope, the fixtures' too
      const all = (await api(server, 'GET', '/scopes')).body.map((s: { name: string }) => s.name);
      expect(all).toEqual(expect.arrayContaining(['alfa:les', 'beta:admin-laget', 'example:api', 'fiktiv:les']));
    });

    it('PUT replaces a scope (created kept); name cannot change; another organisation\'s scope → 404; scope parameter required', async () => {
      const before = (await api(server, 'GET', '/scopes?scope=alfa:les', { token: readA })).body;
      const r = await api(server, 'PUT', '/scopes?scope=alfa:les', { token: writeA, body: { description: 'Read v2', accessible_for_all: true, at_max_age: 60, visibility: 'PRIVATE' } });
      expect(r.status, r.text).toBe(200);
      expect(r.body).toMatchObject({ name: 'alfa:les', description: 'Read v2', accessible_for_all: true, at_max_age: 60, visibility: 'PRIVATE', created: before.created });
      expect(fieldsOf(await api(server, 'PUT', '/scopes?scope=alfa:les', { token: writeA, body: { name: 'alfa:annet', description: 'x' } }))).toEqual(['name']);
      expect((await api(server, 'PUT', '/scopes?scope=alfa:les', { token: writeB, body: { description: 'hijack' } })).status).toBe(404);
      expect(fieldsOf(await api(server, 'PUT', '/scopes', { token: writeA, body: { description: 'x' } }))).toEqual(['scope']);
      expect((await api(server, 'PUT', '/scopes?scope=alfa:finnes-ikke', { token: writeA, body: { description: 'x' } })).status).toBe(404);
      // reactivating a deactivated scope
      const re = await api(server, 'PUT', '/scopes?scope=alfa:gammel', { token: writeA, body: { description: 'back', active: true } });
      expect(re.body.active).toBe(true);
      const audit = await api(server, 'GET', '/audit?limit=10');
      expect(audit.body.find((e: { action: string; target: string }) => e.action === 'scope.update' && e.target === 'alfa:les')).toMatchObject({ before: { description: 'Read' }, after: { description: 'Read v2' } });
    });

    it('DELETE deactivates (audited); again → 404; another organisation → 404', async () => {
      await api(server, 'POST', '/scopes', { token: writeA, body: { name: 'alfa:slett', description: 'x' } });
      expect((await api(server, 'DELETE', '/scopes?scope=alfa:slett', { token: writeB })).status).toBe(404);
      const r = await api(server, 'DELETE', '/scopes?scope=alfa:slett', { token: writeA });
      expect(r.status).toBe(200);
      expect(r.body.active).toBe(false);
      expect((await api(server, 'DELETE', '/scopes?scope=alfa:slett', { token: writeA })).status).toBe(404);
      expect(fieldsOf(await api(server, 'DELETE', '/scopes', { token: writeA }))).toEqual(['scope']);
      const audit = await api(server, 'GET', '/audit?limit=10');
      expect(audit.body.some((e: { action: string; target: string }) => e.action === 'scope.deactivate' && e.target === 'alfa:slett')).toBe(true);
    });
  });

  describe('access lists', () => {
    it('PUT gives access (201, APPROVED), PUT again with a state changes it (200); audited', async () => {
      await api(server, 'POST', '/scopes', { token: writeA, body: { name: 'alfa:privat', description: 'x' } });
      const r = await api(server, 'PUT', `/scopes/access/${ORG_C}?scope=alfa:privat`, { token: writeA });
      expect(r.status, r.text).toBe(201);
      expect(r.body).toEqual({ scope: 'alfa:privat', consumer_orgno: ORG_C, owner_orgno: ORG_A, state: 'APPROVED', created: expect.stringMatching(ISO), last_updated: expect.stringMatching(ISO) });
      const req = await api(server, 'PUT', `/scopes/access/${ORG_B}?scope=alfa:privat`, { token: writeA, body: { state: 'REQUESTED' } });
      expect(req.status).toBe(201);
      expect(req.body.state).toBe('REQUESTED');
      const upd = await api(server, 'PUT', `/scopes/access/${ORG_B}?scope=alfa:privat`, { token: writeA, body: { state: 'APPROVED' } });
      expect(upd.status).toBe(200);
      expect(upd.body).toMatchObject({ state: 'APPROVED', created: req.body.created });
      const audit = await api(server, 'GET', '/audit?limit=10');
      expect(audit.body.find((e: { action: string; target: string }) => e.action === 'scope_access.put' && e.target === `alfa:privat ${ORG_B}`)).toMatchObject({ before: { state: 'REQUESTED' }, after: { state: 'APPROVED' } });
    });

    it('PUT/DELETE: another organisation\'s scope → 403; unknown scope → 404; bad input → 400', async () => {
      const r = await api(server, 'PUT', `/scopes/access/${ORG_B}?scope=alfa:privat`, { token: writeB });
      expect(r.status).toBe(403);
      expect(r.body.error).toBe('access_denied');
      expect((await api(server, 'DELETE', `/scopes/access/${ORG_B}?scope=alfa:privat`, { token: writeB })).status).toBe(403);
      expect((await api(server, 'PUT', `/scopes/access/${ORG_B}?scope=alfa:ingen`, { token: writeA })).status).toBe(404);
      expect(fieldsOf(await api(server, 'PUT', `/scopes/access/${ORG_B}?scope=alfa:privat`, { token: writeA, body: { state: 'MAYBE' } }))).toEqual(['state']);
      expect(fieldsOf(await api(server, 'PUT', `/scopes/access/310000109?scope=alfa:privat`, { token: writeA }))).toEqual(['consumer_orgno']);
      expect(fieldsOf(await api(server, 'PUT', `/scopes/access/${ORG_B}`, { token: writeA }))).toEqual(['scope']);
    });

    it('GET /scopes/access/{consumer}: the owner sees entries for its scopes, the consumer its own, an unrelated organisation nothing', async () => {
      const owner = await api(server, 'GET', `/scopes/access/${ORG_B}`, { token: readA });
      expect(owner.body.map((a: { scope: string }) => a.scope)).toEqual(['alfa:privat']);
      const self = await api(server, 'GET', `/scopes/access/${ORG_B}`, { token: writeB });
      expect(self.body.map((a: { scope: string }) => a.scope)).toEqual(['alfa:privat']);
      const stranger = await mp.token({ orgno: ORG_C, scope: READ, expSeconds: 600 });
      expect((await api(server, 'GET', `/scopes/access/${ORG_B}`, { token: stranger })).body).toEqual([]);
      expect((await api(server, 'GET', `/scopes/access/${ORG_C}`, { token: stranger })).body.map((a: { scope: string }) => a.scope)).toEqual(['alfa:privat']);
      expect(fieldsOf(await api(server, 'GET', '/scopes/access/12345', { token: readA }))).toEqual(['consumer_orgno']);
    });

    it('DELETE revokes (state DENIED, kept for the record); no entry → 404', async () => {
      const r = await api(server, 'DELETE', `/scopes/access/${ORG_C}?scope=alfa:privat`, { token: writeA });
      expect(r.status).toBe(200);
      expect(r.body.state).toBe('DENIED');
      expect((await api(server, 'GET', `/scopes/access/${ORG_C}`, { token: readA })).body[0].state).toBe('DENIED');
      expect((await api(server, 'DELETE', `/scopes/access/310000132?scope=alfa:privat`, { token: writeA })).status).toBe(404);
      const audit = await api(server, 'GET', '/audit?limit=10');
      expect(audit.body.find((e: { action: string; target: string }) => e.action === 'scope_access.revoke')).toMatchObject({ target: `alfa:privat ${ORG_C}`, after: { state: 'DENIED' } });
    });
  });

  it('the OpenAPI document describes every scope route, with the query parameter', async () => {
    const r = await api(server, 'GET', '/openapi.json', { token: null });
    const paths = r.body.paths as Record<string, Record<string, { parameters?: { name: string; in: string; required?: boolean }[] }>>;
    expect(Object.keys(paths['/scopes']!).sort()).toEqual(['delete', 'get', 'post', 'put']);
    expect(paths['/scopes']!.put!.parameters).toContainEqual(expect.objectContaining({ name: 'scope', in: 'query', required: true }));
    expect(paths['/scopes']!.delete!.parameters).toContainEqual(expect.objectContaining({ name: 'scope', in: 'query', required: true }));
    expect(paths['/scopes']!.get!.parameters).toContainEqual(expect.objectContaining({ name: 'scope', in: 'query', required: false }));
    expect(Object.keys(paths['/scopes/prefix']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/scopes/access/{consumer_orgno}']!).filter((k) => k !== 'parameters').sort()).toEqual(['delete', 'get', 'put']);
    expect(r.body.components.schemas.Scope).toBeDefined();
  });
});
