/**
 * Stored employer rules end to end (issue 7, spec §9.5, §9.8): a rule created, changed or deleted
 * through the admin API of one instance applies from the next `ansattporten:orgno` login on
 * another instance sharing the store. The person logs in with an Entra-like upstream eID (a real
 * `oidc-provider` on loopback, see upstream/upstream-op.ts); the client redeems the code with
 * openid-client.
 *
 * Both instances share the durable store: PostgreSQL (own schema) when DATABASE_URL is set, else
 * one SQLite file in a shared data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrgno } from '../../src/core/orgno.js';
import { ADMIN_TOKEN, api } from '../admin/admin-helpers.js';
import { dropSchema, randomSchema } from '../store/pg-test-helpers.js';
import { decodeEntities, freePort, secretOf, startServer, TEST_KEY_ENCRYPTION_KEY, webClient, type Step, type TestServer } from './harness.js';
import { FederatedBrowser } from './upstream/federated-browser.js';
import { ENTRA_GROUPS, UpstreamOp } from './upstream/upstream-op.js';

const ORGNO = 'ansattporten:orgno';
const ISO = 'iso6523-actorid-upis';
const DATABASE_URL = process.env.DATABASE_URL;

const ORGNOS: string[] = [];
for (let i = 1; ORGNOS.length < 2; i++) {
  const o = makeOrgno(`3108${String(i).padStart(4, '0')}`);
  if (o) ORGNOS.push(o);
}
/** Listed in the fixtures. */
const A = { orgno: ORGNOS[0]!, name: 'ALFA AS', unit_type: 'AS', parent_orgno: null, deleted: false };
/** Only a stored rule knows it: shown by its orgno, whatever `name` the rule's author wrote (unit type from the rule). */
const G = { orgno: ORGNOS[1]!, name: 'GAMMA AS', unit_type: 'AS' };

const FIXTURES = {
  persons: [{ pid: '15895010046', given_name: 'FIKTIV', family_name: 'TESTPERSON' }],
  organizations: [A],
  resources: [],
  rights: [],
  // the fixtures' own rule keeps `app` out of ALFA: only a stored rule can let it in (additive)
  employer_rules: [{ orgno: A.orgno, match: { domain: 'alfa.example.no' }, filter: { deny: ['app'] } }],
};

const iso = (orgno: string) => ({ authority: ISO, ID: `0192:${orgno}` });
const inputs = (html: string) => [...html.matchAll(/<input\b([^>]*)>/g)].map((m) =>
  Object.fromEntries([...m[1]!.matchAll(/([a-zA-Z_:-]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!, decodeEntities(a[2] ?? '')])));
const offeredOrgs = (html: string) => inputs(html).filter((i) => i.name === 'orgno' && i.value !== 'self').map((i) => i.value!);

describe(`stored employer rules: admin API → next ${ORGNO} login (Entra-like upstream)`, () => {
  let ours: string;
  let login: TestServer;
  let admin: TestServer;
  let entra: UpstreamOp;
  let shared: Record<string, string>;
  let dataDir: string | undefined;
  let schema: string | undefined;

  beforeAll(async () => {
    const port = await freePort();
    ours = `http://localhost:${port}`;
    entra = await UpstreamOp.start({ kind: 'entraid', eid: 'entraid', ours });
    if (DATABASE_URL) {
      schema = randomSchema();
      shared = { DATABASE_URL, DATABASE_SCHEMA: schema, KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY }; // one key-encryption key for instances with separate data directories
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'ap-rules-'));
      shared = {};
    }
    const common = { fixtures: FIXTURES, keepData: true, ...(dataDir ? { dataDir } : {}) };
    // the instance people log in through (no admin credentials)
    login = await startServer({
      ...common, port, env: shared, clients: [webClient('app'), webClient('other')],
      config: { eids: [entra.eidEntry()], logging: { level: 'silent' } },
    });
    // another instance on the same store, where the administrator works
    admin = await startServer({ ...common, env: { ...shared, ADMIN_TOKEN }, config: { logging: { level: 'silent' } } });
  });
  afterAll(async () => {
    await login?.close();
    await admin?.close();
    await entra?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (schema) await dropSchema(DATABASE_URL!, schema);
  });

  interface Started { b: FederatedBrowser; config: oidc.Configuration; client: string; verifier: string; state: string; nonce: string }

  /** An Entra ID login of `account` at `client` asking for ansattporten:orgno; the step after coming back from the upstream. */
  async function orgnoLogin(client: string, account: string): Promise<{ s: Started; step: Step }> {
    const config = await oidc.discovery(new URL(ours), client, undefined, oidc.ClientSecretBasic(secretOf(client)), { execute: [oidc.allowInsecureRequests], timeout: 5 });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `https://${client}.example.test/callback`, scope: 'openid profile', state, nonce, acr_values: 'entraid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      authorization_details: JSON.stringify([{ type: ORGNO, allow_multiple_organizations: true }]),
    });
    const b = new FederatedBrowser([ours, entra.issuer]);
    b.setCookie(entra.issuer, 'upstream_account', account);
    // one fitting eID (entraid): the selector skips itself, the browser goes to the upstream and back
    const step = await b.go(url.href);
    return { s: { b, config, client, verifier, state, nonce }, step };
  }

  async function redeem(s: Started, step: Step): Promise<unknown> {
    expect(step.location, `${step.status} ${step.url}\n${step.html.slice(0, 1500)}`).toMatch(new RegExp(`^https://${s.client}\\.example\\.test/callback\\?`));
    const tokens = await oidc.authorizationCodeGrant(s.config, new URL(step.location!), { pkceCodeVerifier: s.verifier, expectedState: s.state, expectedNonce: s.nonce });
    expect(tokens.claims()!.acr).toBe('entraid');
    return tokens.authorization_details;
  }

  /** The organisations offered to `account` at `client` ([] when no picker was shown). */
  async function offered(client: string, account: string): Promise<string[]> {
    const { s, step } = await orgnoLogin(client, account);
    if (step.url.includes('/login/organizations') && step.status === 200) return offeredOrgs(step.html);
    expect(await redeem(s, step)).toEqual([{ type: ORGNO }]); // nothing to represent: only the type (§9.7 steps 3, 5)
    return [];
  }

  const createRule = async (body: Record<string, unknown>) => {
    const r = await api(admin, 'POST', '/employer-rules', { body });
    expect(r.status, r.text).toBe(201);
    return r.body as { id: string };
  };

  let ruleA: { id: string };
  let ruleG: { id: string };

  it('before any stored rule: the fixtures rule denies app, so no picker and no parties', async () => {
    expect(await offered('app', 'kari')).toEqual([]);
    // the fixtures rule still works for other clients
    expect(await offered('other', 'kari')).toEqual([A.orgno]);
  });

  it('rules created through the admin API of another instance are used at the next login', async () => {
    ruleA = await createRule({ orgno: A.orgno, match: { domain: 'ALFA.example.no' }, filter: { allow: ['app'] }, rights: ['rapporter', 'les'] });
    ruleG = await createRule({ orgno: G.orgno, match: { group: ENTRA_GROUPS[3]! }, filter: null, name: G.name, unit_type: G.unit_type });

    const { s, step } = await orgnoLogin('app', 'kari');
    expect(step.status, step.html.slice(0, 800)).toBe(200);
    expect(step.url).toContain('/login/organizations');
    // the picker sorts by the name shown, and G's is its orgno (digits sort before letters)
    expect(offeredOrgs(step.html)).toEqual([G.orgno, A.orgno]);
    // organisation names come from the registry (the fixtures): the rule author's free text
    // `name` for an organisation the registry does not list is neither shown nor put in tokens
    expect(step.html).toContain(A.name);
    expect(step.html).not.toContain(G.name);
    const last = await s.b.submit(step, '/login/organizations', { orgno: [A.orgno, G.orgno] });
    expect(await redeem(s, last)).toEqual([{
      type: ORGNO,
      authorized_parties: [
        { orgno: iso(A.orgno), name: A.name, rights: ['rapporter', 'les'] },
        { orgno: iso(G.orgno), name: G.orgno },
      ],
    }]);
  });

  it('rules match only the people they name: another employee (other domain, no groups) gets nothing', async () => {
    expect(await offered('app', 'ola')).toEqual([]);
  });

  it('a change through the admin API applies at the next login; so does a deletion', async () => {
    const changed = await api(admin, 'PUT', `/employer-rules/${ruleA.id}`, { body: { orgno: A.orgno, match: { domain: 'alfa.example.no' }, filter: { deny: ['app'] } } });
    expect(changed.status, changed.text).toBe(200);
    expect(await offered('app', 'kari')).toEqual([G.orgno]);

    expect((await api(admin, 'DELETE', `/employer-rules/${ruleG.id}`)).status).toBe(204);
    expect(await offered('app', 'kari')).toEqual([]);

    expect((await api(admin, 'DELETE', `/employer-rules/${ruleA.id}`)).status).toBe(204);
    expect(await offered('other', 'kari')).toEqual([A.orgno]);
  });

  it('the changes are in the audit log', async () => {
    const log = (await api(admin, 'GET', '/audit?limit=50')).body as { action: string; target: string }[];
    const ours = log.filter((e) => e.target === ruleA.id || e.target === ruleG.id).map((e) => `${e.action} ${e.target === ruleA.id ? 'A' : 'G'}`).reverse();
    expect(ours).toEqual(['employer_rule.create A', 'employer_rule.create G', 'employer_rule.update A', 'employer_rule.delete G', 'employer_rule.delete A']);
  });
});
