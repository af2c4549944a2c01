/**
 * Test data end to end across instances: test data added through the admin API of one instance
 * (an organisation, a person, a role) is used by the next TestID login on a second instance
 * sharing the store, without a restart — in its picker, its tokens and its local Altinn; removing
 * it takes it away again. Both instances share PostgreSQL (own schema) when DATABASE_URL is set,
 * else one SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrgno } from '../../src/core/orgno.js';
import { ADMIN_TOKEN, api } from '../admin/admin-helpers.js';
import { dropSchema, randomSchema } from '../store/pg-test-helpers.js';
import { Browser, decodeEntities, loginWithTestId, secretOf, startServer, webClient, type TestServer } from './harness.js';

const DATABASE_URL = process.env.DATABASE_URL;
const RESOURCE = 'ansattporten:altinn:resource';
const ISO = 'iso6523-actorid-upis';
const PID = '12869010233';
const ORGNOS: string[] = [];
for (let i = 1; ORGNOS.length < 2; i++) {
  const o = makeOrgno(`3106${String(i).padStart(4, '0')}`);
  if (o) ORGNOS.push(o);
}
const NEW = ORGNOS[0]!;
const NEW_SUB = ORGNOS[1]!;
const MY_RESOURCE = 'min-egen-tjeneste';

const offered = (html: string) => [...html.matchAll(/<input\b([^>]*)>/g)]
  .map((m) => Object.fromEntries([...m[1]!.matchAll(/([a-zA-Z_:-]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!, decodeEntities(a[2] ?? '')])))
  .filter((i) => i.name === 'orgno' && i.value !== 'self').map((i) => i.value!);

describe('test data: admin API of one instance → next login on another instance', () => {
  let login: TestServer;
  let admin: TestServer;
  let dataDir: string | undefined;
  let schema: string | undefined;

  beforeAll(async () => {
    let shared: Record<string, string> = {};
    if (DATABASE_URL) {
      schema = randomSchema();
      shared = { DATABASE_URL, DATABASE_SCHEMA: schema };
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'ap-testdata-'));
    }
    const common = { keepData: true, ...(dataDir ? { dataDir } : {}), config: { logging: { level: 'silent' as const } } };
    login = await startServer({ ...common, env: shared, clients: [webClient('app')] });
    admin = await startServer({ ...common, env: { ...shared, ADMIN_TOKEN } });
  });
  afterAll(async () => {
    await login?.close();
    await admin?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (schema) await dropSchema(DATABASE_URL!, schema);
  });

  /** A TestID login of PID at the login instance asking for MY_RESOURCE; the offered organisations and the tokens after choosing all. */
  async function loginFor(actions: string[]): Promise<{ offered: string[]; issued?: unknown }> {
    const config = await oidc.discovery(new URL(login.issuer), 'app', undefined, oidc.ClientSecretBasic(secretOf('app')), { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'https://app.example.test/callback', scope: 'openid profile', state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      authorization_details: JSON.stringify([{ type: RESOURCE, resource: `urn:altinn:resource:${MY_RESOURCE}`, actions, allow_multiple_organizations: true }]),
    });
    const b = new Browser(login.issuer);
    const step = await loginWithTestId(b, url.href, { pid: PID });
    if (!step.url.includes('/login/organizations') || step.status !== 200) return { offered: [] };
    const orgs = offered(step.html);
    const last = await b.submit(step, '/login/organizations', { orgno: orgs });
    expect(last.location, `${last.status} ${last.url}\n${last.html.slice(0, 600)}`).toMatch(/^https:\/\/app\.example\.test\/callback\?/);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(last.location!), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    return { offered: orgs, issued: tokens.authorization_details };
  }

  const add = async (kind: string, body: unknown) => {
    const r = await api(admin, 'POST', `/testdata/${kind}`, { body });
    expect(r.status, r.text).toBe(201);
  };

  it('before: the person represents nobody', async () => {
    expect((await loginFor(['read'])).offered).toEqual([]);
  });

  it('an organisation, a sub-unit, a person and a right added on the admin instance are used at the next login on the other', async () => {
    await add('organizations', { orgno: NEW, name: 'TESTVERDEN AS', unit_type: 'AS' });
    await add('organizations', { orgno: NEW_SUB, name: 'TESTVERDEN AS AVD VEST', unit_type: 'BEDR', parent_orgno: NEW });
    await add('persons', { pid: PID, given_name: 'TEST', family_name: 'VERDEN' });
    await add('rights', { pid: PID, orgno: NEW, resource: MY_RESOURCE, actions: ['read', 'write'], include_subunits: true });

    const r = await loginFor(['read']);
    expect(r.offered).toEqual([NEW, NEW_SUB]);
    expect(r.issued).toEqual([{
      type: RESOURCE, resource: `urn:altinn:resource:${MY_RESOURCE}`,
      authorized_parties: [
        { orgno: { authority: ISO, ID: `0192:${NEW}` }, resource: MY_RESOURCE, actions: ['read'], name: 'TESTVERDEN AS', unit_type: 'AS' },
        { orgno: { authority: ISO, ID: `0192:${NEW_SUB}` }, resource: MY_RESOURCE, actions: ['read'], name: 'TESTVERDEN AS AVD VEST', unit_type: 'BEDR' },
      ],
    }]);
  });

  it('a role added later counts through the fixtures\' policies (DAGL on eksempel-tjeneste), also in the other instance\'s local Altinn', async () => {
    await add('roles', { pid: PID, orgno: NEW, role: 'DAGL' });
    const res = await fetch(`${login.issuer}/altinn/accessmanagement/api/v1/resourceowner/authorizedparties`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'urn:altinn:person:identifier-no', value: PID }),
    });
    const parties = (await res.json()) as { organizationNumber: string; authorizedRoles: string[]; authorizedResources: string[]; subunits: { organizationNumber: string; authorizedRoles: string[] }[] }[];
    expect(parties.map((p) => [p.organizationNumber, p.authorizedRoles])).toEqual([[NEW, ['DAGL']]]);
    expect(parties[0]!.authorizedResources).toEqual(expect.arrayContaining(['eksempel-tjeneste', MY_RESOURCE]));
    expect(parties[0]!.subunits.map((s) => [s.organizationNumber, s.authorizedRoles])).toEqual([[NEW_SUB, ['DAGL']]]);
  });

  it('removing the right and the role takes the organisations away at the next login', async () => {
    expect((await api(admin, 'DELETE', `/testdata/rights/${PID}/${NEW}/${MY_RESOURCE}`)).status).toBe(204);
    expect((await api(admin, 'DELETE', `/testdata/roles/${PID}/${NEW}/DAGL`)).status).toBe(204);
    expect((await loginFor(['read'])).offered).toEqual([]);
  });

  it('a TestID page carries its world\'s version: its answer is judged against that world (no store read), a forged version is only a floor, and the next login sees the change', async () => {
    const PID2 = '03889010281'; // synthetic, in no fixture
    const config = await oidc.discovery(new URL(login.issuer), 'app', undefined, oidc.ClientSecretBasic(secretOf('app')), { execute: [oidc.allowInsecureRequests] });
    /** Up to the TestID page at the login instance; returns the browser and the page. */
    const openTestId = async () => {
      const verifier = oidc.randomPKCECodeVerifier();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: 'https://app.example.test/callback', scope: 'openid profile', state: 'st-world', nonce: 'no-world',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      const b = new Browser(login.issuer);
      const select = await b.go(url.href);
      const page = await b.go(`${login.issuer}/login/testid?flow=${new URL(select.url).searchParams.get('flow')}`);
      expect(page.status).toBe(200);
      return { b, page, verifier };
    };
    const nameAfter = async (o: { b: Browser; page: Awaited<ReturnType<typeof openTestId>>['page']; verifier: string }, extra: Record<string, string> = {}) => {
      const done = await o.b.submit(o.page, '/login/testid', { pid: PID2, acr: 'substantial', ...extra });
      expect(done.location, done.html.slice(0, 500)).toMatch(/^https:\/\/app\.example\.test\/callback\?/);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(done.location!), { pkceCodeVerifier: o.verifier, expectedState: 'st-world', expectedNonce: 'no-world' });
      return tokens.claims()!.family_name;
    };
    const versionOf = (html: string) => Number(/name="world" value="([0-9]+)"/.exec(html)?.[1]);

    const before = await openTestId();
    const shown = versionOf(before.page.html);
    expect(shown).toBeGreaterThan(0);
    // Every form of the page carries it (the number form and each person's button).
    expect(before.page.html.match(/name="world" value="/g)!.length).toBe(before.page.html.match(/<form method="post" action="\/login\/testid"/g)!.length);
    await add('persons', { pid: PID2, given_name: 'NY', family_name: 'PERSONNAVN' });
    // The page was shown before the person was added: its answer names the person as that world did.
    const synthetic = await nameAfter(before);
    expect(synthetic).not.toBe('PERSONNAVN');

    // A forged higher version only makes the instance read the store: the login works with the newest world.
    const forged = await openTestId();
    expect(versionOf(forged.page.html)).toBeGreaterThan(shown);
    expect(await nameAfter(forged, { world: String(versionOf(forged.page.html) + 1000) })).toBe('PERSONNAVN');

    // The next login's page shows the new world, and its answer names the person from it.
    const after = await openTestId();
    expect(await nameAfter(after)).toBe('PERSONNAVN');
    expect((await api(admin, 'DELETE', `/testdata/persons/${PID2}`)).status).toBe(204);
  });
});
