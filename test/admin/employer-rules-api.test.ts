/**
 * Admin API for stored employer rules (issue 7, spec §9.8): every operation, every validation
 * rule (the same as the fixtures file's `employer_rules`), the scopes, the organisation boundary
 * of trusted-JWT callers, and the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../e2e/harness.js';
import { ADMIN_TOKEN, ORG_A, ORG_B, api, startTrustedIssuer, type TrustedIssuer } from './admin-helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const READ = 'idporten:dcr.read';
const WRITE = 'idporten:dcr.write';
const MODIFY = 'idporten:dcr.modify';
const ALL = `${READ} ${WRITE} ${MODIFY}`;
const GROUP = '6F1C2A9E-3B4D-4E5F-8A7B-9C0D1E2F3A4B';

/** The field names of a 400 answer, after checking its shape. */
function fieldsOf(r: { status: number; body: any; text: string }): string[] {
  expect(r.status, r.text).toBe(400);
  expect(r.body.error).toBe('invalid_request');
  expect(typeof r.body.error_description).toBe('string');
  expect(Array.isArray(r.body.errors)).toBe(true);
  return r.body.errors.map((e: { field: string; message: string }) => {
    expect(typeof e.message).toBe('string');
    expect(r.body.error_description).toContain(e.message);
    return e.field;
  });
}

const domainRule = (extra: Record<string, unknown> = {}) => ({ orgno: ORG_A, match: { domain: 'alfa.example.no' }, filter: null, ...extra });

describe('admin API: employer rules', () => {
  let server: TestServer;
  let mp: TrustedIssuer;
  let tokenA: string;
  let tokenB: string;

  beforeAll(async () => {
    mp = await startTrustedIssuer();
    server = await startServer({ env: { ADMIN_TOKEN, ADMIN_TRUSTED_ISSUER: mp.issuer, ADMIN_TRUSTED_JWKS_URI: mp.jwksUri }, config: { logging: { level: 'silent' } } });
    tokenA = await mp.token({ orgno: ORG_A, scope: ALL, expSeconds: 3600 });
    tokenB = await mp.token({ orgno: ORG_B, scope: ALL, expSeconds: 3600 });
  });
  afterAll(async () => {
    await server?.close();
    await mp?.close();
  });

  const create = async (body: Record<string, unknown>, token?: string) => {
    const r = await api(server, 'POST', '/employer-rules', { body, ...(token ? { token } : {}) });
    expect(r.status, r.text).toBe(201);
    return r.body;
  };

  describe('operations', () => {
    it('POST creates: a UUID id, created = last_updated, the normal form (lower-case match, filter null by default), Location', async () => {
      const before = Date.now();
      const r = await api(server, 'POST', '/employer-rules', {
        body: { orgno: ORG_A, match: { group: GROUP }, filter: { allow: ['app'] }, rights: ['rapporter', 'les'], id: 'mine', created: 'x', last_updated: 'y' },
      });
      expect(r.status, r.text).toBe(201);
      const rule = r.body;
      expect(rule.id).toMatch(UUID);
      expect(rule.id).not.toBe('mine');
      expect(r.headers.get('location')).toBe(`/admin/api/employer-rules/${rule.id}`);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(rule).toEqual({
        id: rule.id, orgno: ORG_A, match: { group: GROUP.toLowerCase() }, filter: { allow: ['app'] }, rights: ['rapporter', 'les'],
        created: rule.created, last_updated: rule.created,
      });
      expect(rule.created).toMatch(ISO);
      expect(Date.parse(rule.created)).toBeGreaterThanOrEqual(before - 1000);

      const minimal = await create({ orgno: ORG_A, match: { email: 'Kari@Alfa.Example.NO' } });
      expect(minimal).toEqual({ id: minimal.id, orgno: ORG_A, match: { email: 'kari@alfa.example.no' }, filter: null, created: minimal.created, last_updated: minimal.created });

      const named = await create({ orgno: ORG_B, match: { domain: 'BETA.example.no' }, filter: { deny: ['x', 'y'] }, name: ' BETA AS ', unit_type: 'AS' });
      expect(named).toMatchObject({ match: { domain: 'beta.example.no' }, filter: { deny: ['x', 'y'] }, name: 'BETA AS', unit_type: 'AS' });
    });

    it('GET /employer-rules lists every rule (by orgno, then creation); ?orgno= filters', async () => {
      const a = await create(domainRule({ match: { domain: 'list-a.example.no' } }));
      const b = await create({ orgno: ORG_B, match: { domain: 'list-b.example.no' } });
      const all = await api(server, 'GET', '/employer-rules');
      expect(all.status).toBe(200);
      expect(all.headers.get('content-type')).toMatch(/^application\/json/);
      const ids = all.body.map((r: { id: string }) => r.id);
      expect(ids).toContain(a.id);
      expect(ids).toContain(b.id);
      const orgnos = all.body.map((r: { orgno: string }) => r.orgno);
      expect(orgnos).toEqual([...orgnos].sort());
      const onlyB = await api(server, 'GET', `/employer-rules?orgno=${ORG_B}`);
      expect(onlyB.status).toBe(200);
      expect(onlyB.body.length).toBeGreaterThan(0);
      expect(onlyB.body.every((r: { orgno: string }) => r.orgno === ORG_B)).toBe(true);
      expect(onlyB.body.map((r: { id: string }) => r.id)).toContain(b.id);
      expect((await api(server, 'GET', '/employer-rules?orgno=399999999')).body).toEqual([]);
      expect(fieldsOf(await api(server, 'GET', '/employer-rules?orgno=12345'))).toEqual(['orgno']);
    });

    it('GET /employer-rules/{id} reads one; an unknown id is 404', async () => {
      const a = await create(domainRule());
      const r = await api(server, 'GET', `/employer-rules/${a.id}`);
      expect(r.status).toBe(200);
      expect(r.body).toEqual(a);
      const missing = await api(server, 'GET', '/employer-rules/00000000-0000-4000-8000-000000000000');
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ error: 'not_found' });
    });

    it('PUT replaces the whole rule, keeps id and created, sets last_updated; an absent orgno keeps the rule\'s; unknown id is 404', async () => {
      const a = await create(domainRule({ filter: { allow: ['app'] }, rights: ['r1'] }));
      await new Promise((r) => setTimeout(r, 5));
      const r = await api(server, 'PUT', `/employer-rules/${a.id}`, { body: { match: { email: 'ola@alfa.example.no' }, filter: { deny: ['app'] }, id: 'other', created: '2000-01-01T00:00:00.000Z' } });
      expect(r.status, r.text).toBe(200);
      expect(r.body).toEqual({ id: a.id, orgno: ORG_A, match: { email: 'ola@alfa.example.no' }, filter: { deny: ['app'] }, created: a.created, last_updated: r.body.last_updated });
      expect(r.body.last_updated > a.last_updated).toBe(true);
      expect((await api(server, 'GET', `/employer-rules/${a.id}`)).body).toEqual(r.body);
      // the admin token may move a rule to another organisation
      const moved = await api(server, 'PUT', `/employer-rules/${a.id}`, { body: { orgno: ORG_B, match: { domain: 'x.example.no' } } });
      expect(moved.status, moved.text).toBe(200);
      expect(moved.body.orgno).toBe(ORG_B);
      expect((await api(server, 'PUT', '/employer-rules/no-such-rule', { body: domainRule() })).status).toBe(404);
      // a failed validation changes nothing
      expect(fieldsOf(await api(server, 'PUT', `/employer-rules/${a.id}`, { body: { match: {} } }))).toEqual(['match']);
      expect((await api(server, 'GET', `/employer-rules/${a.id}`)).body).toEqual(moved.body);
    });

    it('DELETE removes the rule (204); again or unknown is 404', async () => {
      const a = await create(domainRule());
      const r = await api(server, 'DELETE', `/employer-rules/${a.id}`);
      expect(r.status).toBe(204);
      expect(r.text).toBe('');
      expect((await api(server, 'GET', `/employer-rules/${a.id}`)).status).toBe(404);
      expect((await api(server, 'DELETE', `/employer-rules/${a.id}`)).status).toBe(404);
    });
  });

  describe('validation (the rules of the fixtures file), 400 naming the field', () => {
    const post = (body: unknown) => api(server, 'POST', '/employer-rules', { body });
    const cases: [string, unknown, string[]][] = [
      ['no match', { orgno: ORG_A }, ['match']],
      ['match with no key', domainRule({ match: {} }), ['match']],
      ['match with two keys', domainRule({ match: { domain: 'a.no', email: 'k@a.no' } }), ['match']],
      ['match with all three keys', domainRule({ match: { domain: 'a.no', email: 'k@a.no', group: GROUP } }), ['match']],
      ['match with an unknown key', domainRule({ match: { upn: 'k@a.no' } }), ['match.upn', 'match']],
      ['a domain that is not one', domainRule({ match: { domain: 'not a domain' } }), ['match.domain']],
      ['a domain given as an address', domainRule({ match: { domain: 'kari@alfa.no' } }), ['match.domain']],
      ['a group that is not a GUID', domainRule({ match: { group: 'admins' } }), ['match.group']],
      ['an e-mail address without @', domainRule({ match: { email: 'kari.alfa.no' } }), ['match.email']],
      ['an e-mail address with a bad domain', domainRule({ match: { email: 'kari@alfa' } }), ['match.email']],
      ['a match that is not an object', domainRule({ match: 'alfa.no' }), ['match']],
      ['a filter with allow and deny', domainRule({ filter: { allow: ['a'], deny: ['b'] } }), ['filter']],
      ['an empty filter object', domainRule({ filter: {} }), ['filter']],
      ['an empty allow list', domainRule({ filter: { allow: [] } }), ['filter.allow']],
      ['an empty deny list', domainRule({ filter: { deny: [] } }), ['filter.deny']],
      ['an empty client id', domainRule({ filter: { deny: [' '] } }), ['filter.deny[0]']],
      ['a filter with an unknown key', domainRule({ filter: { only: ['a'] } }), ['filter.only', 'filter']],
      ['a filter that is a string', domainRule({ filter: 'allow' }), ['filter']],
      ['rights without a filter', domainRule({ rights: ['les'] }), ['rights']],
      ['rights with a deny filter', domainRule({ filter: { deny: ['app'] }, rights: ['les'] }), ['rights']],
      ['rights with an allow filter of two clients', domainRule({ filter: { allow: ['app', 'other'] }, rights: ['les'] }), ['rights']],
      ['an empty right', domainRule({ filter: { allow: ['app'] }, rights: [''] }), ['rights[0]']],
      ['rights that are not a list', domainRule({ filter: { allow: ['app'] }, rights: 'les' }), ['rights']],
      ['an orgno with a wrong check digit', domainRule({ orgno: '310000109' }), ['orgno']],
      ['an orgno that is not 9 digits', domainRule({ orgno: '31000010' }), ['orgno']],
      ['an orgno as a number', domainRule({ orgno: 310000108 }), ['orgno']],
      ['no orgno (admin token)', { match: { domain: 'alfa.no' } }, ['orgno']],
      ['an unknown field', domainRule({ enabled: true }), ['enabled']],
      ['an empty name', domainRule({ name: '  ' }), ['name']],
      ['a unit type that is not a code', domainRule({ unit_type: 'aksjeselskap' }), ['unit_type']],
      ['a body that is an array', [domainRule()], ['']],
      ['a body that is a string', 'rule', ['']],
      ['tenants that are not GUIDs', domainRule({ match: { domain: 'alfa.no', tenants: ['alfa.onmicrosoft.com'] } }), ['match.tenants[0]']],
      ['an empty tenants list', domainRule({ match: { domain: 'alfa.no', tenants: [] } }), ['match.tenants']],
      ['tenants that are not a list', domainRule({ match: { domain: 'alfa.no', tenants: GROUP } }), ['match.tenants']],
      ['tenants without a rule key', domainRule({ match: { tenants: [GROUP] } }), ['match']],
    ];
    for (const [name, body, fields] of cases) {
      it(`refuses ${name}`, async () => {
        expect(fieldsOf(await post(body))).toEqual(fields);
      });
    }

    it('stores match.tenants lower-cased and deduplicated, and returns them', async () => {
      const r = await api(server, 'POST', '/employer-rules', { body: domainRule({ match: { domain: 'alfa.example.no', tenants: [GROUP, GROUP.toLowerCase()] } }) });
      expect(r.status, r.text).toBe(201);
      expect(r.body.match).toEqual({ domain: 'alfa.example.no', tenants: [GROUP.toLowerCase()] });
      expect((await api(server, 'GET', `/employer-rules/${r.body.id}`)).body.match.tenants).toEqual([GROUP.toLowerCase()]);
    });

    it('reports several problems at once', async () => {
      const fields = fieldsOf(await post({ orgno: '123', match: { group: 'x' }, filter: { allow: [] } }));
      expect(fields.sort()).toEqual(['filter.allow', 'match.group', 'orgno']);
    });

    it('accepts each rule key with each filter, and rights with an allow filter of exactly one client', async () => {
      for (const match of [{ domain: 'alfa.example.no' }, { group: GROUP }, { email: 'kari@alfa.example.no' }]) {
        for (const filter of [null, { allow: ['app'] }, { deny: ['app', 'other'] }]) await create({ orgno: ORG_A, match, filter });
        await create({ orgno: ORG_A, match, filter: { allow: ['app'] }, rights: ['rapporter'] });
        await create({ orgno: ORG_A, match, filter: null, rights: [] });
      }
    });

    it('a body that is not JSON is 400', async () => {
      const r = await api(server, 'POST', '/employer-rules', { rawBody: 'orgno=310000108', contentType: 'application/x-www-form-urlencoded' });
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('invalid_request');
      const broken = await api(server, 'POST', '/employer-rules', { rawBody: '{"orgno":', contentType: 'application/json' });
      expect(broken.status).toBe(400);
    });
  });

  describe('scopes', () => {
    it('no token or a bad token is 401', async () => {
      const r = await api(server, 'GET', '/employer-rules', { token: null });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await api(server, 'POST', '/employer-rules', { token: 'wrong', body: domainRule() })).status).toBe(401);
      expect((await api(server, 'GET', '/employer-rules', { token: await mp.forgedToken({ orgno: ORG_A, scope: ALL }) })).status).toBe(401);
    });

    it('read needs idporten:dcr.read, create idporten:dcr.write, change and delete idporten:dcr.modify', async () => {
      const rule = await create(domainRule());
      const only = async (scope: string) => mp.token({ orgno: ORG_A, scope });
      const readT = await only(READ);
      const writeT = await only(WRITE);
      const modifyT = await only(MODIFY);
      const status = async (method: string, path: string, token: string, body?: unknown) =>
        (await api(server, method, path, { token, ...(body !== undefined ? { body } : {}) })).status;

      expect(await status('GET', '/employer-rules', readT)).toBe(200);
      expect(await status('GET', `/employer-rules/${rule.id}`, readT)).toBe(200);
      expect(await status('POST', '/employer-rules', readT, domainRule())).toBe(403);
      expect(await status('PUT', `/employer-rules/${rule.id}`, readT, domainRule())).toBe(403);
      expect(await status('DELETE', `/employer-rules/${rule.id}`, readT)).toBe(403);

      expect(await status('GET', '/employer-rules', writeT)).toBe(403);
      expect(await status('GET', `/employer-rules/${rule.id}`, writeT)).toBe(403);
      expect(await status('PUT', `/employer-rules/${rule.id}`, writeT, domainRule())).toBe(403);
      expect(await status('DELETE', `/employer-rules/${rule.id}`, writeT)).toBe(403);
      expect(await status('POST', '/employer-rules', writeT, domainRule())).toBe(201);

      expect(await status('GET', '/employer-rules', modifyT)).toBe(403);
      expect(await status('POST', '/employer-rules', modifyT, domainRule())).toBe(403);
      expect(await status('PUT', `/employer-rules/${rule.id}`, modifyT, domainRule({ filter: { allow: ['x'] } }))).toBe(200);
      expect(await status('DELETE', `/employer-rules/${rule.id}`, modifyT)).toBe(204);

      const denied = await api(server, 'POST', '/employer-rules', { token: readT, body: domainRule() });
      expect(denied.body.error).toBe('insufficient_scope');
      expect(denied.headers.get('www-authenticate')).toContain(`scope="${WRITE}"`);
    });
  });

  describe('organisation boundary', () => {
    let ruleA: any;
    let ruleB: any;
    beforeAll(async () => {
      ruleA = await create(domainRule({ match: { domain: 'boundary-a.example.no' } }));
      ruleB = await create({ orgno: ORG_B, match: { domain: 'boundary-b.example.no' } });
    });

    it('an organisation lists only its own rules (another orgno in ?orgno= gives an empty list)', async () => {
      const r = await api(server, 'GET', '/employer-rules', { token: tokenA });
      expect(r.status).toBe(200);
      expect(r.body.length).toBeGreaterThan(0);
      expect(r.body.every((x: { orgno: string }) => x.orgno === ORG_A)).toBe(true);
      expect(r.body.map((x: { id: string }) => x.id)).toContain(ruleA.id);
      expect((await api(server, 'GET', `/employer-rules?orgno=${ORG_B}`, { token: tokenA })).body).toEqual([]);
      expect((await api(server, 'GET', `/employer-rules?orgno=${ORG_A}`, { token: tokenA })).body).toEqual(r.body);
      const asB = await api(server, 'GET', '/employer-rules', { token: tokenB });
      expect(asB.body.every((x: { orgno: string }) => x.orgno === ORG_B)).toBe(true);
      expect(asB.body.map((x: { id: string }) => x.id)).toContain(ruleB.id);
    });

    it('another organisation\'s rule is 404 for GET, PUT and DELETE, and stays unchanged', async () => {
      expect((await api(server, 'GET', `/employer-rules/${ruleB.id}`, { token: tokenA })).status).toBe(404);
      expect((await api(server, 'PUT', `/employer-rules/${ruleB.id}`, { token: tokenA, body: domainRule() })).status).toBe(404);
      expect((await api(server, 'DELETE', `/employer-rules/${ruleB.id}`, { token: tokenA })).status).toBe(404);
      expect((await api(server, 'GET', `/employer-rules/${ruleB.id}`)).body).toEqual(ruleB);
      expect((await api(server, 'GET', `/employer-rules/${ruleA.id}`, { token: tokenA })).body).toEqual(ruleA);
    });

    it('creating a rule for another orgno is 403 naming orgno; without orgno the caller\'s own is used', async () => {
      const r = await api(server, 'POST', '/employer-rules', { token: tokenA, body: { orgno: ORG_B, match: { domain: 'sneaky.example.no' } } });
      expect(r.status).toBe(403);
      expect(r.body.error).toBe('access_denied');
      expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['orgno']);
      expect((await api(server, 'GET', `/employer-rules?orgno=${ORG_B}`)).body.some((x: { match: { domain?: string } }) => x.match.domain === 'sneaky.example.no')).toBe(false);
      const own = await create({ match: { domain: 'own.example.no' } }, tokenA);
      expect(own.orgno).toBe(ORG_A);
      // an invalid orgno of one's own kind is still a 400
      expect(fieldsOf(await api(server, 'POST', '/employer-rules', { token: tokenA, body: { orgno: ORG_A, match: { domain: 'x' } } }))).toEqual(['match.domain']);
    });

    it('an organisation may change and delete its own rule but not move it to another organisation (403)', async () => {
      const own = await create({ match: { domain: 'mine.example.no' } }, tokenA);
      const moved = await api(server, 'PUT', `/employer-rules/${own.id}`, { token: tokenA, body: { orgno: ORG_B, match: { domain: 'mine.example.no' } } });
      expect(moved.status).toBe(403);
      expect((await api(server, 'GET', `/employer-rules/${own.id}`)).body.orgno).toBe(ORG_A);
      const changed = await api(server, 'PUT', `/employer-rules/${own.id}`, { token: tokenA, body: { match: { domain: 'mine.example.no' }, filter: { allow: ['app'] }, rights: ['x'] } });
      expect(changed.status, changed.text).toBe(200);
      expect(changed.body).toMatchObject({ orgno: ORG_A, filter: { allow: ['app'] }, rights: ['x'] });
      expect((await api(server, 'DELETE', `/employer-rules/${own.id}`, { token: tokenA })).status).toBe(204);
    });
  });

  describe('audit log', () => {
    it('records create, update and delete with who, the rule id and the rule before and after', async () => {
      const rule = await create({ match: { domain: 'audited.example.no' } }, tokenA);
      const updated = (await api(server, 'PUT', `/employer-rules/${rule.id}`, { body: { match: { domain: 'audited.example.no' }, filter: { deny: ['app'] } } })).body;
      expect((await api(server, 'DELETE', `/employer-rules/${rule.id}`)).status).toBe(204);
      // refused changes are not recorded
      await api(server, 'PUT', `/employer-rules/${rule.id}`, { body: domainRule() });
      await api(server, 'POST', '/employer-rules', { body: { orgno: ORG_A } });

      const log = await api(server, 'GET', '/audit?limit=1000');
      expect(log.status).toBe(200);
      const mine = log.body.filter((e: { target: string }) => e.target === rule.id).reverse();
      expect(mine.map((e: { action: string }) => e.action)).toEqual(['employer_rule.create', 'employer_rule.update', 'employer_rule.delete']);
      expect(mine[0]).toMatchObject({ actor: `org:${ORG_A}/selfservice-${ORG_A}`, after: rule });
      expect(mine[0].before).toBeUndefined();
      expect(mine[1]).toMatchObject({ actor: 'admin-token', before: rule, after: updated });
      expect(mine[2]).toMatchObject({ actor: 'admin-token', before: updated });
      expect(mine[2].after).toBeUndefined();
      for (const e of mine) expect(typeof e.at).toBe('number');
    });
  });

  describe('OpenAPI document', () => {
    it('describes the employer-rule operations and their schemas; each is routed', async () => {
      const doc = await (await fetch(`${server.issuer}/admin/api/openapi.json`)).json();
      expect(Object.keys(doc.paths['/employer-rules']).filter((k) => k !== 'parameters').sort()).toEqual(['get', 'post']);
      expect(Object.keys(doc.paths['/employer-rules/{id}']).filter((k) => k !== 'parameters').sort()).toEqual(['delete', 'get', 'put']);
      expect(doc.paths['/employer-rules'].post.security).toEqual([{ adminToken: [] }, { trustedJwt: [WRITE] }]);
      expect(doc.paths['/employer-rules/{id}'].put.security).toEqual([{ adminToken: [] }, { trustedJwt: [MODIFY] }]);
      expect(doc.paths['/employer-rules/{id}'].get.security).toEqual([{ adminToken: [] }, { trustedJwt: [READ] }]);
      expect(doc.components.schemas.EmployerRule).toBeDefined();
      expect(doc.components.schemas.EmployerRuleInput).toBeDefined();
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([A-Za-z]+)"/g)].map((m) => m[1]!);
      for (const name of refs) expect(doc.components.schemas[name], name).toBeDefined();
      for (const [method, path] of [['GET', '/employer-rules'], ['POST', '/employer-rules'], ['GET', '/employer-rules/x'], ['PUT', '/employer-rules/x'], ['DELETE', '/employer-rules/x']] as const) {
        expect((await api(server, method, path, { token: null })).status, `${method} ${path}`).toBe(401);
      }
    });
  });
});
