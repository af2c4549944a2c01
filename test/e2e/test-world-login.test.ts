/**
 * The test world in a login, end to end over HTTP: Test Entra ID (the simulated work-account eID)
 * through employer rules to the ansattporten:orgno picker and the tokens, TestID's synthetic names
 * for numbers outside the fixtures, and the "random general manager" choice.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticNationalId } from '../../src/core/national-id.js';
import { syntheticName } from '../../src/fixtures/synthetic-names.js';
import { Browser, callbackParams, formFields, startServer, webClient, type Step, type TestServer } from './harness.js';
import { authorizeUrl, newPkce, redeem } from './checks.js';

const ORGNO = JSON.stringify([{ type: 'ansattporten:orgno', allow_multiple_organizations: true }]);
const RESOURCE = JSON.stringify([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:eksempel-tjeneste' }]);

describe('the test world in a login', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ clients: [webClient('app')] });
  });
  afterAll(async () => server?.close());

  async function tokens(step: Step, verifier: string) {
    const code = callbackParams(step).get('code');
    expect(code, `${step.status} ${step.url}\n${step.html.slice(0, 600)}`).toBeTruthy();
    const res = await redeem(server.issuer, 'app', { code: code!, verifier, redirectUri: 'https://app.example.test/callback' });
    expect(res.status, res.text).toBe(200);
    return { json: res.json as Record<string, any>, id: decodeJwt(res.json.id_token) as Record<string, any>, access: decodeJwt(res.json.access_token) as Record<string, any> };
  }

  /** acr_values=entraid: the selector offers Test Entra ID only; its page is reached by choosing it. */
  async function testEntraPage(b: Browser, details = ORGNO) {
    const pkce = newPkce();
    const select = await b.go(authorizeUrl(server.issuer, 'app', { acr_values: 'entraid', authorization_details: details }, pkce.challenge));
    expect(select.url).toContain('/login/select');
    expect([...select.html.matchAll(/name="eid" value="([^"]+)"/g)].map((m) => m[1])).toEqual(['testentra']);
    const page = await b.submit(select, '/login/select', { eid: 'testentra' });
    expect(page.url).toContain('/login/testentra');
    return { page, pkce };
  }

  it('discovery offers entraid', async () => {
    const d = await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json();
    expect(d.acr_values_supported).toContain('entraid');
  });

  it('a Test Entra ID work account goes through the employer rules to the orgno picker, and the tokens carry what Entra would', async () => {
    const b = new Browser(server.issuer);
    const { page, pkce } = await testEntraPage(b);
    expect(page.html).toContain('kari.nordmann@fiktivbedrift.no');
    const picker = await b.submit(page, '/login/testentra', { email: 'Kari.Nordmann@fiktivbedrift.no' });
    expect(picker.url, picker.html.slice(0, 500)).toContain('/login/organizations');
    const offered = [...picker.html.matchAll(/name="orgno" value="(\d{9})"/g)].map((m) => m[1]).sort();
    expect(offered).toEqual(['310000108', '310000159']); // the domain rule and the group rule
    const done = await b.submit(picker, '/login/organizations', { orgno: '310000159' });
    const t = await tokens(done, pkce.verifier);
    expect(t.id).toMatchObject({ acr: 'entraid', amr: ['entraid_pwd'], email: 'kari.nordmann@fiktivbedrift.no', given_name: 'KARI', family_name: 'NORDMANN' });
    expect(t.id.pid).toBeUndefined();
    expect(t.access.pid).toBeUndefined();
    expect(t.id.tid).toBeUndefined();
    const details = t.json.authorization_details as Record<string, any>[];
    expect(details).toHaveLength(1);
    expect(details[0]!.type).toBe('ansattporten:orgno');
    expect(JSON.stringify(details)).toContain('310000159');
    expect(t.access.authorization_details).toEqual(details);
  });

  it('a work account without a verified e-mail returns only [{"type":"ansattporten:orgno"}], no picker', async () => {
    const b = new Browser(server.issuer);
    const { page, pkce } = await testEntraPage(b);
    const done = await b.submit(page, '/login/testentra', { email: 'ukjent.bruker@fiktivbedrift.no' });
    const t = await tokens(done, pkce.verifier);
    expect(t.id.email).toBeUndefined();
    expect(t.json.authorization_details).toEqual([{ type: 'ansattporten:orgno' }]);
  });

  it('an unknown work account shows the page again with an error and issues nothing', async () => {
    const b = new Browser(server.issuer);
    const { page } = await testEntraPage(b);
    const again = await b.request(`${server.issuer}/login/testentra`, { form: { ...formFields(page.html, '/login/testentra'), email: 'nobody@elsewhere.example' } });
    expect(again.status).toBe(400);
    expect(again.location).toBeUndefined();
    expect(again.html).toContain('role="alert"');
  });

  it('TestID gives a synthetic number outside the fixtures its deterministic synthetic name', async () => {
    let pid = '';
    for (let i = 417; !pid; i++) pid = makeSyntheticNationalId('1977-03-14', i) ?? '';
    expect(server.services.fixtures.persons.some((p) => p.pid === pid)).toBe(false);
    const names: string[] = [];
    for (let i = 0; i < 2; i++) {
      const b = new Browser(server.issuer);
      const pkce = newPkce();
      const select = await b.go(authorizeUrl(server.issuer, 'app', {}, pkce.challenge));
      const testid = await b.submit(select, '/login/select', { eid: 'testid' });
      const done = await b.submit(testid, '/login/testid', { pid, acr: 'substantial' });
      const t = await tokens(done, pkce.verifier);
      names.push(`${t.id.given_name} ${t.id.family_name}`);
      expect(t.id.name).toBe(names[i]);
    }
    const expected = syntheticName(pid);
    expect(names).toEqual([`${expected.given_name} ${expected.family_name}`, `${expected.given_name} ${expected.family_name}`]);
  });

  it('the TestID page offers a random general manager with rights for the requested resource, who then reaches the picker', async () => {
    const b = new Browser(server.issuer);
    const pkce = newPkce();
    const select = await b.go(authorizeUrl(server.issuer, 'app', { authorization_details: RESOURCE }, pkce.challenge));
    const testid = await b.submit(select, '/login/select', { eid: 'testid' });
    const section = /<section aria-labelledby="manager-heading">([\s\S]*?)<\/section>/.exec(testid.html)?.[1];
    expect(section, 'the general-manager section').toBeDefined();
    const pid = /name="pid" value="(\d{11})"/.exec(section!)?.[1];
    expect(pid).toBeDefined();
    const world = await server.services.testWorld.current();
    const daglig = world.roles.filter((r) => r.pid === pid && r.role === 'DAGL').map((r) => r.orgno);
    expect(daglig.length).toBeGreaterThan(0);
    const picker = await b.submit(testid, '/login/testid', { pid: pid!, acr: 'substantial' });
    expect(picker.url, picker.html.slice(0, 400)).toContain('/login/organizations');
    const offered = [...picker.html.matchAll(/name="orgno" value="(\d{9})"/g)].map((m) => m[1]);
    expect(offered.some((o) => daglig.includes(o!) || world.organizations.some((u) => u.orgno === o && daglig.includes(u.parent_orgno ?? '')))).toBe(true);
  });
});
