/**
 * Admin API for test data: list, add, remove for every kind; validation; static admin token only;
 * absent in production; the audit log. (The two-instance login test is test/e2e/testdata-store.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../e2e/harness.js';
import { ADMIN_TOKEN, api, startTrustedIssuer, type TrustedIssuer } from './admin-helpers.js';

const NEW_PID = '12869010071';
const NEW_ORG = '310900028';
const GUID = '0b7e5c1a-2f3d-4a6b-9c8d-1e2f3a4b5c6d';

describe('admin API: test data', () => {
  let server: TestServer;
  let mp: TrustedIssuer;
  beforeAll(async () => {
    mp = await startTrustedIssuer();
    server = await startServer({ env: { ADMIN_TOKEN, ADMIN_TRUSTED_ISSUER: mp.issuer, ADMIN_TRUSTED_JWKS_URI: mp.jwksUri }, config: { logging: { level: 'silent' } } });
  });
  afterAll(async () => {
    await server?.close();
    await mp?.close();
  });

  it('lists the fixtures\' entries (source "fixtures")', async () => {
    const r = await api(server, 'GET', '/testdata/persons');
    expect(r.status, r.text).toBe(200);
    expect((r.body as { source: string; key: string }[])[0]).toEqual({ source: 'fixtures', key: '15895010046', data: { pid: '15895010046', given_name: 'FIKTIV', family_name: 'TESTPERSON' } });
    const roles = (await api(server, 'GET', '/testdata/roles')).body as { data: { role: string } }[];
    expect(roles.some((e) => e.data.role === 'DAGL')).toBe(true);
    for (const kind of ['organizations', 'rights', 'access-packages', 'work-accounts']) expect((await api(server, 'GET', `/testdata/${kind}`)).status).toBe(200);
    expect((await api(server, 'GET', '/testdata/nope')).status).toBe(404);
  });

  it('adds and removes every kind; removal order does not matter; entries are validated', async () => {
    const add = async (kind: string, body: unknown) => {
      const r = await api(server, 'POST', `/testdata/${kind}`, { body });
      expect(r.status, r.text).toBe(201);
      return r.body as { key: string; source: string; created: string };
    };
    expect(await add('organizations', { orgno: NEW_ORG, name: 'NY TEST AS', unit_type: 'AS' })).toMatchObject({ key: NEW_ORG, source: 'store' });
    await add('persons', { pid: NEW_PID, given_name: 'NY', family_name: 'PERSON' });
    expect((await add('roles', { pid: NEW_PID, orgno: NEW_ORG, role: 'DAGL' })).key).toBe(`${NEW_PID} ${NEW_ORG} DAGL`);
    await add('rights', { pid: NEW_PID, orgno: NEW_ORG, resource: 'min-egen-tjeneste', actions: ['read'] });
    await add('access-packages', { pid: NEW_PID, orgno: NEW_ORG, package: 'regnskapsforer-lonn' });
    expect((await add('work-accounts', { email: 'Ny.Person+test@Example.no', given_name: 'NY', family_name: 'PERSON', tenant_id: GUID })).key).toBe('ny.person+test@example.no');

    const listed = (await api(server, 'GET', '/testdata/roles')).body as { source: string; key: string }[];
    expect(listed.at(-1)).toMatchObject({ source: 'store', key: `${NEW_PID} ${NEW_ORG} DAGL` });

    for (const path of [
      `/testdata/roles/${NEW_PID}/${NEW_ORG}/DAGL`, `/testdata/rights/${NEW_PID}/${NEW_ORG}/min-egen-tjeneste`,
      `/testdata/access-packages/${NEW_PID}/${NEW_ORG}/regnskapsforer-lonn`, `/testdata/work-accounts/${encodeURIComponent('ny.person+test@example.no')}`,
      `/testdata/persons/${NEW_PID}`, `/testdata/organizations/${NEW_ORG}`,
    ]) {
      const r = await api(server, 'DELETE', path);
      expect(r.status, `${path} ${r.text}`).toBe(204);
      expect((await api(server, 'DELETE', path)).status, path).toBe(404);
    }
  });

  it('refuses invalid entries with the fields at fault, unknown organisations, and fixture entries on removal', async () => {
    const bad = await api(server, 'POST', '/testdata/roles', { body: { pid: '15895010047', orgno: NEW_ORG, role: 'SJEF', extra: 1 } });
    expect(bad.status).toBe(400);
    expect((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['extra', 'pid', 'role']);
    const unknownOrg = await api(server, 'POST', '/testdata/roles', { body: { pid: NEW_PID, orgno: NEW_ORG, role: 'DAGL' } });
    expect(unknownOrg.status).toBe(400);
    expect(unknownOrg.body).toMatchObject({ errors: [{ field: 'orgno' }] });
    expect((await api(server, 'POST', '/testdata/roles', { rawBody: 'pid=1', contentType: 'application/x-www-form-urlencoded' })).status).toBe(400);
    expect((await api(server, 'POST', '/testdata/roles', { rawBody: '{', contentType: 'application/json' })).status).toBe(400);
    const fixtureEntry = await api(server, 'DELETE', '/testdata/persons/15895010046');
    expect(fixtureEntry.status).toBe(409);
    expect((await api(server, 'DELETE', `/testdata/roles/${NEW_PID}/${NEW_ORG}`)).status).toBe(404);
  });

  it('accepts only the static admin token', async () => {
    expect((await api(server, 'GET', '/testdata/persons', { token: null })).status).toBe(401);
    expect((await api(server, 'GET', '/testdata/persons', { token: 'wrong-token' })).status).toBe(401);
    const orgToken = await mp.token({ orgno: '310000108', scope: 'idporten:dcr.read idporten:dcr.write idporten:dcr.modify', expSeconds: 600 });
    const r = await api(server, 'POST', '/testdata/persons', { token: orgToken, body: { pid: NEW_PID, given_name: 'A', family_name: 'B' } });
    expect(r.status).toBe(403);
    expect((await api(server, 'GET', '/testdata/persons', { token: orgToken })).status).toBe(403);
  });

  it('records additions and removals in the audit log', async () => {
    await api(server, 'POST', '/testdata/persons', { body: { pid: NEW_PID, given_name: 'A', family_name: 'B' } });
    await api(server, 'DELETE', `/testdata/persons/${NEW_PID}`);
    const log = (await api(server, 'GET', '/audit?limit=5')).body as { action: string; target: string; actor: string }[];
    expect(log.slice(0, 2).map((e) => [e.action, e.target, e.actor])).toEqual([['testdata.persons.remove', NEW_PID, 'admin-token'], ['testdata.persons.add', NEW_PID, 'admin-token']]);
  });
});

describe('admin API: test data in production mode', () => {
  let prod: TestServer;
  beforeAll(async () => {
    prod = await startServer({ env: { NODE_ENV: 'production', ISSUER: 'https://login.example.test', ADMIN_TOKEN }, config: { logging: { level: 'silent' } } });
    (prod as { issuer: string }).issuer = `http://127.0.0.1:${(prod.app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => prod?.close());

  it('does not exist (404), even with the admin token; nor does the local Altinn', async () => {
    expect((await api(prod, 'GET', '/testdata/persons')).status).toBe(404);
    expect((await api(prod, 'POST', '/testdata/persons', { body: { pid: NEW_PID, given_name: 'A', family_name: 'B' } })).status).toBe(404);
    const pdp = await fetch(`${prod.issuer}/altinn/authorization/api/v1/authorize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(pdp.status).toBe(404);
  });
});
