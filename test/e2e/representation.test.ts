/**
 * Rich Authorization Requests end to end (spec §9): openid-client sends `authorization_details`,
 * the scripted browser logs in with TestID and answers the organisation picker, and the issued
 * `authorization_details` are checked in the token response, the id_token, the access token and
 * after a refresh. A small fixtures file written here keeps every expectation exact.
 */
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrgno } from '../../src/core/orgno.js';
import { Browser, decodeEntities, loginWithTestId, secretOf, startServer, webClient, type Step, type TestServer } from './harness.js';

const RESOURCE = 'ansattporten:altinn:resource';
const SERVICE = 'ansattporten:altinn:service';
const ORGNO = 'ansattporten:orgno';
const ISO = 'iso6523-actorid-upis';

const P_MAIN = '15895010046'; // FIKTIV TESTPERSON: rights on several organisations
const P_NONE = '02918533047'; // ENSOM ULV: no rights at all

/** Valid organisation numbers 3109xxxx + check digit, in order. */
const ORGNOS: string[] = [];
for (let i = 1; ORGNOS.length < 9; i++) {
  const o = makeOrgno(`3109${String(i).padStart(4, '0')}`);
  if (o) ORGNOS.push(o);
}

interface Org { orgno: string; name: string; unit_type: string; parent_orgno: string | null; deleted: boolean }
const org = (i: number, name: string, unit_type: string, parent: Org | null = null, deleted = false): Org =>
  ({ orgno: ORGNOS[i]!, name, unit_type, parent_orgno: parent?.orgno ?? null, deleted });

const A = org(0, 'ALFA HOLDING AS', 'AS');
const A1 = org(1, 'ALFA HOLDING AS AVD NORD', 'BEDR', A);
const A2 = org(2, 'ALFA HOLDING AS AVD SØR', 'BEDR', A);
const B = org(3, 'BETA KOMMUNE', 'KOMM');
const B1 = org(4, 'BETA KOMMUNE OPPVEKST', 'AAFY', B);
const C = org(5, 'CEDER ENK', 'ENK');
const D = org(6, 'DELTA SLETTET AS', 'AS', null, true);
const E = org(7, 'EPSILON AS', 'AS');
const E1 = org(8, 'EPSILON AS AVD VEST', 'BEDR', E);

const FIXTURES = {
  persons: [
    { pid: P_MAIN, given_name: 'FIKTIV', family_name: 'TESTPERSON' },
    { pid: P_NONE, given_name: 'ENSOM', family_name: 'ULV' },
  ],
  organizations: [A, A1, A2, B, B1, C, D, E, E1],
  resources: [
    { id: 'eksempel-tjeneste', name: 'Eksempeltjeneste' },
    { id: 'annen-tjeneste', name: 'Annen tjeneste' },
    { id: '2480:40', name: 'Fiktiv lenketjeneste' },
  ],
  rights: [
    { pid: P_MAIN, orgno: A.orgno, resource: 'eksempel-tjeneste', actions: ['read', 'write'] },
    { pid: P_MAIN, orgno: A1.orgno, resource: 'eksempel-tjeneste', actions: ['read'] },
    { pid: P_MAIN, orgno: C.orgno, resource: 'eksempel-tjeneste', actions: ['read', 'write', 'report'] },
    { pid: P_MAIN, orgno: D.orgno, resource: 'eksempel-tjeneste', actions: ['read'] },
    // a right on the main unit E only: must not leak to E1 (nor A's right to A2)
    { pid: P_MAIN, orgno: E.orgno, resource: 'eksempel-tjeneste', actions: ['write'] },
    { pid: P_MAIN, orgno: A.orgno, resource: '2480:40', actions: ['Read', 'ArchiveRead'] },
    { pid: P_MAIN, orgno: B1.orgno, resource: '2480:40', actions: ['Read', 'Write', 'Sign'] },
    { pid: P_MAIN, orgno: D.orgno, resource: '2480:40', actions: ['Read'] },
    // explicitly inherited by the sub-units
    { pid: P_MAIN, orgno: B.orgno, resource: 'annen-tjeneste', actions: ['les'], include_subunits: true },
  ],
  employer_rules: [{ orgno: A.orgno, match: { domain: 'alfa.example.no' }, filter: null }],
};

const EKS = 'urn:altinn:resource:eksempel-tjeneste';
const ANNEN = 'urn:altinn:resource:annen-tjeneste';
const SVC = 'urn:altinn:resource:2480:40';

const iso = (o: Org) => ({ authority: ISO, ID: `0192:${o.orgno}` });
const resParty = (o: Org, resource: string, actions: string[]) => ({ orgno: iso(o), resource, actions, name: o.name, unit_type: o.unit_type });
const reportee = (o: Org, rights: string[]) => ({ Authority: ISO, ID: `0192:${o.orgno}`, Name: o.name, Rights: rights });

/** Attributes of every `<input>` (a bare attribute such as `checked` maps to ''). */
function inputs(html: string): Record<string, string>[] {
  return [...html.matchAll(/<input\b([^>]*)>/g)].map((m) =>
    Object.fromEntries([...m[1]!.matchAll(/([a-zA-Z_:-]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!, decodeEntities(a[2] ?? '')])));
}
/** The orgno choices on a picker page (radio buttons or checkboxes, including `self` when it is a radio). */
const offered = (html: string) => inputs(html).filter((i) => i.name === 'orgno').map((i) => i.value!);
const checkedValues = (html: string) => inputs(html).filter((i) => i.name === 'orgno' && 'checked' in i).map((i) => i.value!);
const inputType = (html: string) => [...new Set(inputs(html).filter((i) => i.name === 'orgno').map((i) => i.type))];
/** `self` offered at all: as a radio, or as the separate button when several may be chosen. */
const offersSelf = (html: string) => /name="orgno" value="self"/.test(html);

describe('Rich Authorization Requests and the organisation picker', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ clients: [webClient('rar'), webClient('rar-other')], fixtures: FIXTURES });
  });
  afterAll(async () => server?.close());

  async function configFor(id = 'rar'): Promise<oidc.Configuration> {
    return oidc.discovery(new URL(server.issuer), id, undefined, oidc.ClientSecretBasic(secretOf(id)), { execute: [oidc.allowInsecureRequests] });
  }

  interface Started {
    b: Browser; config: oidc.Configuration; url: URL; verifier: string; state: string; nonce: string; step: Step;
  }

  /** Builds the authorization URL (authorization_details JSON-stringified unless a string) and logs in. */
  async function start(details: unknown, opts: { pid?: string; b?: Browser; par?: boolean; post?: boolean; client?: string; reuse?: boolean; extra?: Record<string, string> } = {}): Promise<Started> {
    const client = opts.client ?? 'rar';
    const b = opts.b ?? new Browser(server.issuer);
    const config = await configFor(client);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const params: Record<string, string> = {
      redirect_uri: `https://${client}.example.test/callback`, scope: 'openid profile', state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      authorization_details: typeof details === 'string' ? details : JSON.stringify(details), ...opts.extra,
    };
    const url = opts.par ? await oidc.buildAuthorizationUrlWithPAR(config, params) : oidc.buildAuthorizationUrl(config, params);
    let step: Step;
    if (opts.post) {
      // POST /authorize with the parameters in the form body
      const select = await b.go(`${server.issuer}/authorize`, { form: Object.fromEntries(url.searchParams) });
      const testid = await b.submit(select, '/login/select', { eid: 'testid' });
      step = await b.submit(testid, '/login/testid', { pid: opts.pid ?? P_MAIN, acr: 'substantial' });
    } else {
      step = opts.reuse ? await b.go(url.href) : await loginWithTestId(b, url.href, { pid: opts.pid ?? P_MAIN });
    }
    return { b, config, url, verifier, state, nonce, step };
  }

  function expectPicker(s: Started): string {
    expect(s.step.status, s.step.html.slice(0, 500)).toBe(200);
    expect(s.step.url).toContain('/login/organizations?flow=');
    return s.step.html;
  }

  const pick = (s: Started, orgno: string | string[], page: Step = s.step) => s.b.submit(page, '/login/organizations', { orgno });

  /**
   * Exchanges the code and checks the three copies (token response, id_token, access token) and,
   * after a refresh, the refresh response and the refreshed access token: all deeply equal.
   */
  async function finish(s: Started, last: Step): Promise<unknown[]> {
    expect(last.location, `${last.status} ${last.url}\n${last.html.slice(0, 800)}`).toMatch(/^https:\/\/rar(-other)?\.example\.test\/callback\?/);
    const tokens = await oidc.authorizationCodeGrant(s.config, new URL(last.location!), {
      pkceCodeVerifier: s.verifier, expectedState: s.state, expectedNonce: s.nonce,
    });
    const fromResponse = tokens.authorization_details as unknown[] | undefined;
    expect(Array.isArray(fromResponse)).toBe(true);
    expect(tokens.claims()!.authorization_details).toEqual(fromResponse);
    expect(decodeJwt(tokens.access_token).authorization_details).toEqual(fromResponse);
    expect(tokens.refresh_token).toBeTruthy();
    const refreshed = await oidc.refreshTokenGrant(s.config, tokens.refresh_token!);
    expect(refreshed.authorization_details).toEqual(fromResponse);
    expect(decodeJwt(refreshed.access_token).authorization_details).toEqual(fromResponse);
    return fromResponse!;
  }

  /** Error redirect to the client: error, state and iss. */
  function expectErrorRedirect(step: Step, error: string, state: string): URLSearchParams {
    expect(step.location, `${step.status} ${step.url}\n${step.html.slice(0, 800)}`).toBeTruthy();
    const loc = new URL(step.location!);
    expect(loc.origin + loc.pathname).toBe('https://rar.example.test/callback');
    expect(loc.searchParams.get('error')).toBe(error);
    expect(loc.searchParams.get('state')).toBe(state);
    expect(loc.searchParams.get('iss')).toBe(server.issuer);
    expect(loc.searchParams.get('code')).toBeNull();
    return loc.searchParams;
  }

  it('lists the three types in discovery', async () => {
    const doc = await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json();
    expect([...doc.authorization_details_types_supported].sort()).toEqual([RESOURCE, SERVICE, ORGNO].sort());
  });

  describe(`${RESOURCE}`, () => {
    it('one organisation chosen: the picker lists the union, the issued model has the rights held', async () => {
      const s = await start([{ type: RESOURCE, resource: EKS }]);
      const html = expectPicker(s);
      expect(offered(html)).toEqual(['self', A.orgno, A1.orgno, C.orgno, E.orgno]);
      expect(inputType(html)).toEqual(['radio']);
      expect(html).toContain(A.name);
      const details = await finish(s, await pick(s, A.orgno));
      expect(details).toEqual([{ type: RESOURCE, resource: EKS, resource_name: 'Eksempeltjeneste', authorized_parties: [resParty(A, 'eksempel-tjeneste', ['read', 'write'])] }]);
    });

    it('requested actions narrow the picker and the issued actions', async () => {
      const s = await start([{ type: RESOURCE, resource: EKS, actions: 'read' }]);
      // E holds only write
      expect(offered(expectPicker(s))).toEqual(['self', A.orgno, A1.orgno, C.orgno]);
      const details = await finish(s, await pick(s, C.orgno));
      expect(details).toEqual([{ type: RESOURCE, resource: EKS, resource_name: 'Eksempeltjeneste', authorized_parties: [resParty(C, 'eksempel-tjeneste', ['read'])] }]);
    });

    for (const flag of [true, 'true'] as const) {
      it(`several organisations with allow_multiple_organizations=${JSON.stringify(flag)}`, async () => {
        const s = await start([{ type: RESOURCE, resource: EKS, actions: ['read', 'write'], allow_multiple_organizations: flag }]);
        const html = expectPicker(s);
        expect(inputType(html)).toEqual(['checkbox']);
        expect(offered(html)).toEqual([A.orgno, A1.orgno, C.orgno, E.orgno]);
        expect(offersSelf(html)).toBe(true); // a separate button
        const details = await finish(s, await pick(s, [C.orgno, A.orgno, E.orgno]));
        expect(details).toEqual([{
          type: RESOURCE, resource: EKS, resource_name: 'Eksempeltjeneste',
          authorized_parties: [
            resParty(A, 'eksempel-tjeneste', ['read', 'write']),
            resParty(C, 'eksempel-tjeneste', ['read', 'write']),
            resParty(E, 'eksempel-tjeneste', ['write']),
          ],
        }]);
      });
    }

    it('several resources: one object per requested resource the chosen organisations hold', async () => {
      const s = await start([{ type: RESOURCE, resource: EKS }, { type: RESOURCE, resource: ANNEN, allow_multiple_organizations: 'true' }]);
      expect(offered(expectPicker(s))).toEqual([A.orgno, A1.orgno, B.orgno, B1.orgno, C.orgno, E.orgno]);
      const both = await finish(s, await pick(s, [A.orgno, B1.orgno]));
      expect(both).toEqual([
        { type: RESOURCE, resource: EKS, resource_name: 'Eksempeltjeneste', authorized_parties: [resParty(A, 'eksempel-tjeneste', ['read', 'write'])] },
        { type: RESOURCE, resource: ANNEN, resource_name: 'Annen tjeneste', authorized_parties: [resParty(B1, 'annen-tjeneste', ['les'])] },
      ]);
      const s2 = await start([{ type: RESOURCE, resource: EKS }, { type: RESOURCE, resource: ANNEN }]);
      const one = await finish(s2, await pick(s2, A.orgno));
      expect(one).toEqual([
        { type: RESOURCE, resource: EKS, resource_name: 'Eksempeltjeneste', authorized_parties: [resParty(A, 'eksempel-tjeneste', ['read', 'write'])] },
      ]);
    });

    it('myself → [{type}]', async () => {
      const s = await start([{ type: RESOURCE, resource: EKS }]);
      expect(offered(expectPicker(s))).toContain('self');
      expect(await finish(s, await pick(s, 'self'))).toEqual([{ type: RESOURCE }]);
    });

    it('myself with allow_multiple_organizations (the separate button) → [{type}]', async () => {
      const s = await start([{ type: RESOURCE, resource: EKS, allow_multiple_organizations: true }]);
      expect(offersSelf(expectPicker(s))).toBe(true);
      expect(await finish(s, await pick(s, 'self'))).toEqual([{ type: RESOURCE }]);
    });

    it('a person with no rights gets no picker; the login completes as themself: only the type (§9.7 steps 3, 5)', async () => {
      const s = await start([{ type: RESOURCE, resource: EKS }, { type: RESOURCE, resource: ANNEN }], { pid: P_NONE });
      expect(s.step.url).toContain('/login/testid'); // straight from TestID to the client
      expect(await finish(s, s.step)).toEqual([{ type: RESOURCE }]);
    });

    it('representation_is_required with rights: no "myself" option, an organisation is issued', async () => {
      const s = await start([{ type: RESOURCE, resource: EKS, representation_is_required: true }]);
      const html = expectPicker(s);
      expect(offersSelf(html)).toBe(false);
      expect(offered(html)).toEqual([A.orgno, A1.orgno, C.orgno, E.orgno]);
      const details = await finish(s, await pick(s, A1.orgno));
      expect(details).toEqual([{ type: RESOURCE, resource: EKS, resource_name: 'Eksempeltjeneste', authorized_parties: [resParty(A1, 'eksempel-tjeneste', ['read'])] }]);
    });

    it('representation_is_required without rights: an error page whose "return to the service" gives access_denied', async () => {
      const s = await start([{ type: RESOURCE, resource: EKS, representation_is_required: 'true' }], { pid: P_NONE });
      expect(s.step.status).toBe(403);
      expect(s.step.location).toBeUndefined();
      expect(s.step.html).not.toContain('name="orgno"');
      expect(s.step.html).toMatch(/<form\b[^>]*action="[^"]*\/login\/return"/);
      const back = await s.b.submit(s.step, '/login/return');
      const params = expectErrorRedirect(back, 'access_denied', s.state);
      expect(params.get('error_description')).toBeTruthy();
    });

    it('organizationform enterprise lists main units only, business sub-units only', async () => {
      const ent = await start([{ type: RESOURCE, resource: EKS, organizationform: 'enterprise' }]);
      expect(offered(expectPicker(ent))).toEqual(['self', A.orgno, C.orgno, E.orgno]);
      expect(await finish(ent, await pick(ent, E.orgno))).toEqual([
        { type: RESOURCE, resource: EKS, resource_name: 'Eksempeltjeneste', authorized_parties: [resParty(E, 'eksempel-tjeneste', ['write'])] },
      ]);
      const bus = await start([{ type: RESOURCE, resource: EKS, organizationform: 'business' }, { type: RESOURCE, resource: ANNEN, organizationform: 'business' }]);
      expect(offered(expectPicker(bus))).toEqual(['self', A1.orgno, B1.orgno]);
      expect(await finish(bus, await pick(bus, A1.orgno))).toEqual([
        { type: RESOURCE, resource: EKS, resource_name: 'Eksempeltjeneste', authorized_parties: [resParty(A1, 'eksempel-tjeneste', ['read'])] },
      ]);
    });

    it('deleted organisations are listed only with allow_deleted_organizations', async () => {
      const without = await start([{ type: RESOURCE, resource: EKS, allow_deleted_organizations: false }]);
      expect(offered(expectPicker(without))).not.toContain(D.orgno);
      const withDeleted = await start([{ type: RESOURCE, resource: EKS, allow_deleted_organizations: 'true' }]);
      const html = expectPicker(withDeleted);
      expect(offered(html)).toEqual(['self', A.orgno, A1.orgno, C.orgno, D.orgno, E.orgno]);
      expect(html).toContain('Slettet');
      expect(await finish(withDeleted, await pick(withDeleted, D.orgno))).toEqual([
        { type: RESOURCE, resource: EKS, resource_name: 'Eksempeltjeneste', authorized_parties: [resParty(D, 'eksempel-tjeneste', ['read'])] },
      ]);
    });

    it('a right on a main unit does not leak to its sub-units; include_subunits does', async () => {
      const s = await start([{ type: RESOURCE, resource: EKS }]);
      const html = expectPicker(s);
      expect(offered(html)).toContain(E.orgno);
      expect(offered(html)).not.toContain(E1.orgno);
      expect(offered(html)).not.toContain(A2.orgno);
      expect(html).not.toContain(E1.name);
      // a sub-unit with its own right is listed beneath its main unit
      expect(html).toMatch(new RegExp(`<li data-org-row data-parent="(m\\d+)"[^>]*>[^]*?value="${A1.orgno}"`));
      const annen = await start([{ type: RESOURCE, resource: ANNEN }]);
      expect(offered(expectPicker(annen))).toEqual(['self', B.orgno, B1.orgno]);
      await finish(annen, await pick(annen, 'self'));
      // the request a leaked right would satisfy: E1 has nothing
      const denied = await start([{ type: RESOURCE, resource: EKS, organizationform: 'business', representation_is_required: true, actions: 'write' }]);
      expect(denied.step.status).toBe(403);
    });

    it('POST /authorize with authorization_details in the form body', async () => {
      const s = await start([{ type: RESOURCE, resource: EKS, organizationform: 'enterprise' }], { post: true });
      expect(offered(expectPicker(s))).toEqual(['self', A.orgno, C.orgno, E.orgno]);
      expect(await finish(s, await pick(s, C.orgno))).toEqual([
        { type: RESOURCE, resource: EKS, resource_name: 'Eksempeltjeneste', authorized_parties: [resParty(C, 'eksempel-tjeneste', ['read', 'write', 'report'])] },
      ]);
    });

    it('PAR with authorization_details', async () => {
      const s = await start([{ type: RESOURCE, resource: EKS, actions: 'read,write' }], { par: true });
      expect(s.url.searchParams.get('request_uri')).toBeTruthy();
      expect(s.url.searchParams.get('authorization_details')).toBeNull();
      expect(offered(expectPicker(s))).toEqual(['self', A.orgno, A1.orgno, C.orgno, E.orgno]);
      expect(await finish(s, await pick(s, A.orgno))).toEqual([
        { type: RESOURCE, resource: EKS, resource_name: 'Eksempeltjeneste', authorized_parties: [resParty(A, 'eksempel-tjeneste', ['read', 'write'])] },
      ]);
    });
  });

  describe(`${SERVICE}`, () => {
    it('one organisation chosen: capitalised reportees', async () => {
      const s = await start([{ type: SERVICE, resource: SVC }]);
      const html = expectPicker(s);
      expect(offered(html)).toEqual(['self', A.orgno, B1.orgno]);
      expect(await finish(s, await pick(s, B1.orgno))).toEqual([
        { type: SERVICE, resource: SVC, resource_name: 'Fiktiv lenketjeneste', reportees: [reportee(B1, ['Read', 'Write', 'Sign'])] },
      ]);
    });

    for (const flag of [true, 'true'] as const) {
      it(`several organisations with allow_multiple_organizations=${JSON.stringify(flag)}`, async () => {
        const s = await start([{ type: SERVICE, resource: SVC, allow_multiple_organizations: flag }]);
        const html = expectPicker(s);
        expect(inputType(html)).toEqual(['checkbox']);
        expect(offered(html)).toEqual([A.orgno, B1.orgno]);
        expect(await finish(s, await pick(s, [B1.orgno, A.orgno]))).toEqual([
          { type: SERVICE, resource: SVC, resource_name: 'Fiktiv lenketjeneste', reportees: [reportee(A, ['Read', 'ArchiveRead']), reportee(B1, ['Read', 'Write', 'Sign'])] },
        ]);
      });
    }

    it('myself → [{type}]', async () => {
      const s = await start([{ type: SERVICE, resource: SVC }]);
      expectPicker(s);
      expect(await finish(s, await pick(s, 'self'))).toEqual([{ type: SERVICE }]);
    });

    it('a person with no rights gets no picker; reportees is empty', async () => {
      const s = await start([{ type: SERVICE, resource: SVC }], { pid: P_NONE });
      expect(s.step.url).toContain('/login/testid');
      expect(await finish(s, s.step)).toEqual([{ type: SERVICE, resource: SVC, resource_name: 'Fiktiv lenketjeneste', reportees: [] }]);
    });

    it('an unnamed service without rights is "ukjent tjeneste"', async () => {
      const unknown = 'urn:altinn:resource:9999:1';
      const s = await start([{ type: SERVICE, resource: unknown }]);
      expect(s.step.url).toContain('/login/testid');
      expect(await finish(s, s.step)).toEqual([{ type: SERVICE, resource: unknown, resource_name: 'ukjent tjeneste', reportees: [] }]);
    });

    it('representation_is_required with rights (no "myself") and without (error page, access_denied)', async () => {
      const s = await start([{ type: SERVICE, resource: SVC, representation_is_required: true }]);
      const html = expectPicker(s);
      expect(offersSelf(html)).toBe(false);
      expect(await finish(s, await pick(s, A.orgno))).toEqual([
        { type: SERVICE, resource: SVC, resource_name: 'Fiktiv lenketjeneste', reportees: [reportee(A, ['Read', 'ArchiveRead'])] },
      ]);
      const none = await start([{ type: SERVICE, resource: SVC, representation_is_required: true }], { pid: P_NONE });
      expect(none.step.status).toBe(403);
      expectErrorRedirect(await none.b.submit(none.step, '/login/return'), 'access_denied', none.state);
    });

    it('organizationform and deleted organisations', async () => {
      const ent = await start([{ type: SERVICE, resource: SVC, organizationform: 'enterprise', allow_deleted_organizations: true }]);
      expect(offered(expectPicker(ent))).toEqual(['self', A.orgno, D.orgno]);
      expect(await finish(ent, await pick(ent, D.orgno))).toEqual([
        { type: SERVICE, resource: SVC, resource_name: 'Fiktiv lenketjeneste', reportees: [reportee(D, ['Read'])] },
      ]);
      const bus = await start([{ type: SERVICE, resource: SVC, organizationform: 'business' }]);
      expect(offered(expectPicker(bus))).toEqual(['self', B1.orgno]);
      await finish(bus, await pick(bus, 'self'));
    });
  });

  describe(`${ORGNO}`, () => {
    // Only TestID is available, and it carries no e-mail identity: the element is returned with
    // only `type` and the picker is never shown (spec §9.5), whatever the request asks.
    for (const details of [
      [{ type: ORGNO }],
      [{ type: ORGNO, allow_multiple_organizations: true }],
      [{ type: ORGNO, allow_multiple_organizations: 'true', organizationform: 'enterprise' }],
      [{ type: ORGNO, representation_is_required: true }],
    ]) {
      it(`after a TestID login → [{"type":"${ORGNO}"}] without a picker (${JSON.stringify(details[0])})`, async () => {
        for (const pid of [P_MAIN, P_NONE]) {
          const s = await start(details, { pid });
          expect(s.step.url).toContain('/login/testid');
          expect(await finish(s, s.step)).toEqual([{ type: ORGNO }]);
        }
      });
    }
  });

  it('switches organisation on a second login to the same client without re-authentication', async () => {
    const b = new Browser(server.issuer);
    const details = [{ type: RESOURCE, resource: EKS }];
    const first = await start(details, { b });
    expect(checkedValues(expectPicker(first))).toEqual([]);
    const d1 = await finish(first, await pick(first, A.orgno));
    expect((d1[0] as { authorized_parties: unknown[] }).authorized_parties).toEqual([resParty(A, 'eksempel-tjeneste', ['read', 'write'])]);

    const second = await start(details, { b, reuse: true });
    const html = expectPicker(second); // straight to the picker: no eID selector, no TestID
    expect(checkedValues(html)).toEqual([A.orgno]);
    expect(html).toMatch(new RegExp(`<input type="radio" name="orgno" value="${A.orgno}"[^>]* checked>`));
    const d2 = await finish(second, await pick(second, C.orgno));
    expect(d2).toEqual([{ type: RESOURCE, resource: EKS, resource_name: 'Eksempeltjeneste', authorized_parties: [resParty(C, 'eksempel-tjeneste', ['read', 'write', 'report'])] }]);

    // the new choice is remembered; then "myself"
    const third = await start(details, { b, reuse: true });
    expect(checkedValues(expectPicker(third))).toEqual([C.orgno]);
    expect(await finish(third, await pick(third, 'self'))).toEqual([{ type: RESOURCE }]);
    const fourth = await start(details, { b, reuse: true });
    expect(checkedValues(expectPicker(fourth))).toEqual(['self']);
    await finish(fourth, await pick(fourth, E.orgno));

    // same authentication throughout: auth_time of a re-login without RAR equals the first
    const config = await configFor();
    const plain = await b.go(oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'https://rar.example.test/callback', scope: 'openid', state: 'st', nonce: 'nn',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
    }).href);
    expect(plain.location).toMatch(/^https:\/\/rar\.example\.test\/callback\?code=/);

    // another client in the same browser must authenticate
    const other = await b.go(oidc.buildAuthorizationUrl(await configFor('rar-other'), {
      redirect_uri: 'https://rar-other.example.test/callback', scope: 'openid', state: 'st', nonce: 'nn',
      authorization_details: JSON.stringify(details),
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
    }).href);
    expect(other.url).toContain('/login/select');
  });

  it('prompt=none on a re-login that needs the picker → interaction_required; nothing to pick → silent', async () => {
    const b = new Browser(server.issuer);
    const first = await start([{ type: RESOURCE, resource: EKS }], { b });
    await finish(first, await pick(first, A.orgno));
    const silent = await start([{ type: RESOURCE, resource: EKS }], { b, reuse: true, extra: { prompt: 'none' } });
    expectErrorRedirect(silent.step, 'interaction_required', silent.state);
    // a resource the person holds nowhere: no picker, so prompt=none succeeds
    const unknown = 'urn:altinn:resource:ukjent-ressurs';
    const none = await start([{ type: RESOURCE, resource: unknown }], { b, reuse: true, extra: { prompt: 'none' } });
    expect(await finish(none, none.step)).toEqual([{ type: RESOURCE }]);
    // the orgno type never needs the picker after TestID
    const orgno = await start([{ type: ORGNO }], { b, reuse: true, extra: { prompt: 'none' } });
    expect(await finish(orgno, orgno.step)).toEqual([{ type: ORGNO }]);
  });

  it('a re-login keeps auth_time while the picker is shown again', async () => {
    const b = new Browser(server.issuer);
    const details = [{ type: SERVICE, resource: SVC }];
    const first = await start(details, { b });
    const t1 = await oidc.authorizationCodeGrant(first.config, new URL((await pick(first, A.orgno)).location!), {
      pkceCodeVerifier: first.verifier, expectedState: first.state, expectedNonce: first.nonce,
    });
    const second = await start(details, { b, reuse: true });
    const t2 = await oidc.authorizationCodeGrant(second.config, new URL((await pick(second, B1.orgno)).location!), {
      pkceCodeVerifier: second.verifier, expectedState: second.state, expectedNonce: second.nonce,
    });
    expect(t2.claims()!.auth_time).toBe(t1.claims()!.auth_time);
    expect(t2.claims()!.sid ?? null).toBe(t1.claims()!.sid ?? null);
    expect(t2.authorization_details).toEqual([{ type: SERVICE, resource: SVC, resource_name: 'Fiktiv lenketjeneste', reportees: [reportee(B1, ['Read', 'Write', 'Sign'])] }]);
  });

  describe('malformed authorization_details → invalid_authorization_details', () => {
    const cases: [string, string][] = [
      ['not JSON', '[{"type":'],
      ['not an array', JSON.stringify({ type: RESOURCE, resource: EKS })],
      ['an empty array', '[]'],
      ['an element that is not an object', JSON.stringify(['ansattporten:orgno'])],
      ['unknown type', JSON.stringify([{ type: 'ansattporten:entra' }])],
      ['the 2022 draft type', JSON.stringify([{ type: 'ansattporten:altinnressurs', ressurs: 'eksempel-tjeneste' }])],
      ['mixed types', JSON.stringify([{ type: RESOURCE, resource: EKS }, { type: ORGNO }])],
      ['missing resource', JSON.stringify([{ type: RESOURCE }])],
      ['missing resource (service)', JSON.stringify([{ type: SERVICE }])],
      ['resource without the URN prefix', JSON.stringify([{ type: RESOURCE, resource: 'eksempel-tjeneste' }])],
      ['service resource that is not code:edition', JSON.stringify([{ type: SERVICE, resource: EKS }])],
      ['wrong boolean type (number)', JSON.stringify([{ type: RESOURCE, resource: EKS, allow_multiple_organizations: 1 }])],
      ['wrong boolean type (string)', JSON.stringify([{ type: ORGNO, representation_is_required: 'yes' }])],
      ['conflicting organizationform', JSON.stringify([{ type: RESOURCE, resource: EKS, organizationform: 'enterprise' }, { type: RESOURCE, resource: ANNEN, organizationform: 'business' }])],
      ['unknown organizationform', JSON.stringify([{ type: ORGNO, organizationform: 'company' }])],
    ];
    for (const [name, value] of cases) {
      it(name, async () => {
        const b = new Browser(server.issuer);
        const config = await configFor();
        const state = oidc.randomState();
        const url = oidc.buildAuthorizationUrl(config, {
          redirect_uri: 'https://rar.example.test/callback', scope: 'openid', state, nonce: oidc.randomNonce(),
          code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
          authorization_details: value,
        });
        const step = await b.go(url.href);
        const params = expectErrorRedirect(step, 'invalid_authorization_details', state);
        expect(params.get('error_description')).toBeTruthy();
      });
    }

    it('PAR answers invalid_authorization_details as JSON', async () => {
      const config = await configFor();
      await expect(oidc.buildAuthorizationUrlWithPAR(config, {
        redirect_uri: 'https://rar.example.test/callback', scope: 'openid', state: 's', nonce: 'n',
        code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
        authorization_details: JSON.stringify([{ type: RESOURCE, resource: EKS }, { type: SERVICE, resource: SVC }]),
      })).rejects.toMatchObject({ error: 'invalid_authorization_details' });
    });
  });

  describe('bad picker posts → 400 page, then a correct post succeeds', () => {
    it('an orgno that was not offered', async () => {
      const s = await start([{ type: RESOURCE, resource: EKS }]);
      expectPicker(s);
      for (const bad of [A2.orgno, E1.orgno, D.orgno, '123', 'x'.repeat(9), '']) {
        const r = await pick(s, bad);
        expect(r.status, bad).toBe(400);
        expect(r.location).toBeUndefined();
        expect(offered(r.html)).toEqual(['self', A.orgno, A1.orgno, C.orgno, E.orgno]);
        expect(r.html).toContain('role="alert"');
      }
      expect(await finish(s, await pick(s, A.orgno))).toEqual([
        { type: RESOURCE, resource: EKS, resource_name: 'Eksempeltjeneste', authorized_parties: [resParty(A, 'eksempel-tjeneste', ['read', 'write'])] },
      ]);
    });

    it('two orgnos when several are not allowed, and self together with an organisation', async () => {
      const s = await start([{ type: SERVICE, resource: SVC }]);
      expectPicker(s);
      const two = await pick(s, [A.orgno, B1.orgno]);
      expect(two.status).toBe(400);
      expect(inputType(two.html)).toEqual(['radio']);
      const mixed = await pick(s, ['self', A.orgno], two);
      expect(mixed.status).toBe(400);
      expect(await finish(s, await pick(s, B1.orgno, mixed))).toEqual([
        { type: SERVICE, resource: SVC, resource_name: 'Fiktiv lenketjeneste', reportees: [reportee(B1, ['Read', 'Write', 'Sign'])] },
      ]);
    });

    it('self when representation is required', async () => {
      const s = await start([{ type: RESOURCE, resource: EKS, representation_is_required: true, allow_multiple_organizations: true }]);
      const html = expectPicker(s);
      expect(offersSelf(html)).toBe(false);
      const self = await pick(s, 'self');
      expect(self.status).toBe(400);
      expect(offersSelf(self.html)).toBe(false);
      expect(await finish(s, await pick(s, [A.orgno, A1.orgno], self))).toEqual([
        { type: RESOURCE, resource: EKS, resource_name: 'Eksempeltjeneste', authorized_parties: [resParty(A, 'eksempel-tjeneste', ['read', 'write']), resParty(A1, 'eksempel-tjeneste', ['read'])] },
      ]);
    });

    it('the finished flow cannot be posted again', async () => {
      const s = await start([{ type: RESOURCE, resource: EKS }]);
      const ok = await pick(s, A.orgno);
      expect(ok.location).toContain('code=');
      const again = await pick(s, C.orgno);
      expect(again.status).toBeGreaterThanOrEqual(400);
      expect(again.location).toBeUndefined();
    });
  });
});
