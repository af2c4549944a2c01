/**
 * The local Altinn end to end: a provider with the fixture source and a second provider whose
 * authorisation source is Altinn pointed at the first one's local Altinn (`<issuer>/altinn`).
 * The same logins (TestID, openid-client as the relying party, the picker answered) give the same
 * organisations in the picker and the same authorization_details in the tokens — for rights held
 * through a role, through a role of the main unit (sub-units), through an access package (held
 * directly or given by a role) and through a direct right. The decision point is checked over
 * HTTP too (XACML JSON profile, multi-requests, errors as problem details).
 */
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrgno } from '../../src/core/orgno.js';
import { Browser, decodeEntities, loginWithTestId, secretOf, startServer, webClient, type Step, type TestServer } from './harness.js';

const RESOURCE = 'ansattporten:altinn:resource';
const SERVICE = 'ansattporten:altinn:service';

const ORGNOS: string[] = [];
for (let i = 1; ORGNOS.length < 5; i++) {
  const o = makeOrgno(`3107${String(i).padStart(4, '0')}`);
  if (o) ORGNOS.push(o);
}
const A = { orgno: ORGNOS[0]!, name: 'ALFA AS', unit_type: 'AS', parent_orgno: null, deleted: false };
const A1 = { orgno: ORGNOS[1]!, name: 'ALFA AS AVD NORD', unit_type: 'BEDR', parent_orgno: A.orgno, deleted: false };
const A2 = { orgno: ORGNOS[2]!, name: 'ALFA AS AVD SØR', unit_type: 'BEDR', parent_orgno: A.orgno, deleted: false };
const B = { orgno: ORGNOS[3]!, name: 'BETA AS', unit_type: 'AS', parent_orgno: null, deleted: false };
const C = { orgno: ORGNOS[4]!, name: 'CEDER ENK', unit_type: 'ENK', parent_orgno: null, deleted: false };

const DAGL = '05829907455'; // DAGL in A: A and its sub-units through the role
const REGN = '10825604176'; // REGN in B: packages through role_packages
const PKG = '21838927448'; // an access package held directly for C
const DIRECT = '20907549926'; // a direct right on A1 only, and a legacy service right on C
const NOBODY = '02918533047';

const FIXTURES = {
  persons: [{ pid: DAGL, given_name: 'STOLT', family_name: 'DAGLIGLEDER' }, { pid: DIRECT, given_name: 'GRUNDIG', family_name: 'REVISOR' }],
  organizations: [A, A1, A2, B, C],
  resources: [{ id: 'skjema', name: 'Skjema' }, { id: '2480:40', name: 'Lenketjeneste' }],
  rights: [
    { pid: DIRECT, orgno: A1.orgno, resource: 'skjema', actions: ['read', 'write'] },
    { pid: DIRECT, orgno: C.orgno, resource: '2480:40', actions: ['Read', 'ArchiveRead'] },
  ],
  employer_rules: [],
  roles: [{ pid: DAGL, orgno: A.orgno, role: 'DAGL' }, { pid: REGN, orgno: B.orgno, role: 'REGN' }],
  access_packages: [{ pid: PKG, orgno: C.orgno, package: 'regnskapsforer-lonn' }],
  role_packages: [{ role: 'REGN', packages: ['regnskapsforer-lonn'] }],
  resource_policies: [
    { resource: 'skjema', rules: [{ roles: ['DAGL'], actions: ['read', 'write'] }, { access_packages: ['regnskapsforer-lonn'], actions: ['read', 'write'] }] },
  ],
};

const offered = (html: string) => [...html.matchAll(/<input\b([^>]*)>/g)]
  .map((m) => Object.fromEntries([...m[1]!.matchAll(/([a-zA-Z_:-]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!, decodeEntities(a[2] ?? '')])))
  .filter((i) => i.name === 'orgno' && i.value !== 'self').map((i) => i.value!);

describe('local Altinn: the Altinn source pointed at it gives the same logins as the fixture source', () => {
  let fixtures: TestServer;
  let viaAltinn: TestServer;

  beforeAll(async () => {
    fixtures = await startServer({ clients: [webClient('app')], fixtures: FIXTURES, config: { logging: { level: 'silent' } } });
    viaAltinn = await startServer({
      clients: [webClient('app')], fixtures: FIXTURES,
      config: { authorization_source: { type: 'altinn', base_url: `${fixtures.issuer}/altinn`, timeout_ms: 5000, headers: {} }, logging: { level: 'silent' } },
    });
  });
  afterAll(async () => {
    await viaAltinn?.close();
    await fixtures?.close();
  });

  /** Logs `pid` in at `server` asking for `details`; the picker's organisations and, after choosing `choose`, the issued authorization_details. */
  async function login(server: TestServer, pid: string, details: unknown[], choose?: (orgnos: string[]) => string[]): Promise<{ offered: string[]; issued?: unknown }> {
    const config = await oidc.discovery(new URL(server.issuer), 'app', undefined, oidc.ClientSecretBasic(secretOf('app')), { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'https://app.example.test/callback', scope: 'openid profile', state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      authorization_details: JSON.stringify(details),
    });
    const b = new Browser(server.issuer);
    const step: Step = await loginWithTestId(b, url.href, { pid });
    if (!step.url.includes('/login/organizations') || step.status !== 200) return { offered: [] };
    const orgs = offered(step.html);
    if (!choose) return { offered: orgs };
    const last = await b.submit(step, '/login/organizations', { orgno: choose(orgs) });
    expect(last.location, `${last.status} ${last.url}\n${last.html.slice(0, 600)}`).toMatch(/^https:\/\/app\.example\.test\/callback\?/);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(last.location!), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    return { offered: orgs, issued: tokens.authorization_details };
  }

  /**
   * Altinn's authorized-parties lookup names resources, not actions: for a legacy service (where
   * the request names no actions) the Altinn source cannot tell which Rights are held and issues
   * them only as far as it knows them (src/representation/altinn-source.ts). Everything else must
   * be identical, and whatever Rights it issues must be held.
   */
  const withoutRights = (issued: unknown) => JSON.parse(JSON.stringify(issued), (k, v) => (k === 'Rights' ? undefined : v));
  const rightsOf = (issued: unknown) => [...JSON.stringify(issued).matchAll(/"Rights":\[([^\]]*)\]/g)].map((m) => m[1]!.split(',').filter(Boolean));

  it('a direct right on a legacy service: the same picker and parties; the Rights issued are held', async () => {
    const details = [{ type: SERVICE, resource: 'urn:altinn:resource:2480:40' }];
    const f = await login(fixtures, DIRECT, details, (o) => o.slice(0, 1));
    const a = await login(viaAltinn, DIRECT, details, (o) => o.slice(0, 1));
    expect(f.offered).toEqual([C.orgno]);
    expect(a.offered).toEqual(f.offered);
    expect(withoutRights(a.issued)).toEqual(withoutRights(f.issued));
    expect(rightsOf(f.issued)).toEqual([['"Read"', '"ArchiveRead"']]);
    for (const r of rightsOf(a.issued)[0]!) expect(rightsOf(f.issued)[0]).toContain(r);
  });

  const cases: [string, string, unknown[], string[]][] = [
    ['a role (DAGL) on the main unit, inherited by its sub-units', DAGL, [{ type: RESOURCE, resource: 'urn:altinn:resource:skjema', actions: ['read', 'write'], allow_multiple_organizations: true }], [A.orgno, A1.orgno, A2.orgno]],
    ['an access package given by a role (REGN)', REGN, [{ type: RESOURCE, resource: 'urn:altinn:resource:skjema', actions: 'read' }], [B.orgno]],
    ['an access package held directly', PKG, [{ type: RESOURCE, resource: 'urn:altinn:resource:skjema', actions: ['read', 'write'] }], [C.orgno]],
    ['a direct right on a sub-unit only', DIRECT, [{ type: RESOURCE, resource: 'urn:altinn:resource:skjema', actions: ['write'] }], [A1.orgno]],
  ];

  for (const [what, pid, details, expected] of cases) {
    it(`same picker and same tokens: ${what}`, async () => {
      const all = (orgs: string[]) => (orgs.length > 1 ? orgs : orgs.slice(0, 1));
      const f = await login(fixtures, pid, details, all);
      const a = await login(viaAltinn, pid, details, all);
      expect([...f.offered].sort()).toEqual([...expected].sort());
      expect(a.offered).toEqual(f.offered);
      expect(a.issued).toEqual(f.issued);
      expect(JSON.stringify(f.issued)).toContain(expected[0]!);
    });
  }

  it('nobody: no organisations from either source', async () => {
    const details = [{ type: RESOURCE, resource: 'urn:altinn:resource:skjema', actions: 'read' }];
    expect((await login(fixtures, NOBODY, details)).offered).toEqual([]);
    expect((await login(viaAltinn, NOBODY, details)).offered).toEqual([]);
  });

  describe('the decision point over HTTP', () => {
    const authorize = (body: string, contentType = 'application/json') =>
      fetch(`${fixtures.issuer}/altinn/authorization/api/v1/authorize`, { method: 'POST', headers: { 'content-type': contentType }, body });

    it('answers a multi-request with one decision per reference, echoing the attributes', async () => {
      const res = await authorize(JSON.stringify({
        Request: {
          AccessSubject: [{ Id: 's1', Attribute: [{ AttributeId: 'urn:altinn:person:identifier-no', Value: DAGL }] }],
          Action: [{ Id: 'a1', Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:action:action-id', Value: 'write' }] }],
          Resource: [
            { Id: 'r1', Attribute: [{ AttributeId: 'urn:altinn:resource', Value: 'skjema' }, { AttributeId: 'urn:altinn:organization:identifier-no', Value: A2.orgno }] },
            { Id: 'r2', Attribute: [{ AttributeId: 'urn:altinn:resource', Value: 'skjema' }, { AttributeId: 'urn:altinn:organization:identifier-no', Value: B.orgno }] },
          ],
          MultiRequests: { RequestReference: [{ ReferenceId: ['s1', 'a1', 'r1'] }, { ReferenceId: ['s1', 'a1', 'r2'] }] },
        },
      }));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await res.json()) as { Response: { Decision: string; Category: { Attribute: { Value: string }[] }[] }[] };
      expect(body.Response.map((r) => r.Decision)).toEqual(['Permit', 'NotApplicable']);
      expect(body.Response[1]!.Category.flatMap((c) => c.Attribute.map((a) => a.Value))).toEqual([DAGL, 'write', 'skjema', B.orgno]);
    });

    it('refuses malformed requests with 400 problem details (never a 500 or an HTML page)', async () => {
      for (const [body, ct] of [['{', 'application/json'], ['{"Request":{}}', 'application/json'], ['[]', 'application/json'], ['Request=1', 'application/x-www-form-urlencoded'], ['', 'application/json']] as const) {
        const res = await authorize(body, ct);
        expect(res.status, body).toBe(400);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        const p = (await res.json()) as { status: number; title: string; detail: string };
        expect(p.status).toBe(400);
        expect(typeof p.detail).toBe('string');
      }
      const parties = await fetch(`${fixtures.issuer}/altinn/accessmanagement/api/v1/resourceowner/authorizedparties`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'urn:altinn:person:identifier-no', value: '15895010047' }),
      });
      expect(parties.status).toBe(400);
      expect((await fetch(`${fixtures.issuer}/altinn/nope`, { method: 'POST' })).status).toBe(404);
    });

    it('can be switched off (local_altinn.enabled false)', async () => {
      const off = await startServer({ fixtures: FIXTURES, config: { local_altinn: { enabled: false, base_path: '/altinn' }, logging: { level: 'silent' } } });
      try {
        const res = await fetch(`${off.issuer}/altinn/authorization/api/v1/authorize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        expect(res.status).toBe(404);
      } finally {
        await off.close();
      }
    });
  });
});
