/**
 * Upstream OpenID eIDs end to end (issue 7; spec §5.3, §8.2, §9.5, §9.8, §16). The upstreams are
 * real OpenID providers (npm `oidc-provider`, a certified implementation we did not write) started
 * on loopback, one shaped like ID-porten and one like Entra ID; our provider is their relying party.
 * A scripted browser walks client → our provider → upstream → our provider → client, and
 * openid-client redeems our code like a real client.
 */
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrgno } from '../../src/core/orgno.js';
import { decodeEntities, freePort, secretOf, startServer, webClient, type Step, type TestServer } from './harness.js';
import { FederatedBrowser, offeredEids } from './upstream/federated-browser.js';
import { ENTRA_ACCOUNTS, ENTRA_GROUPS, UpstreamOp } from './upstream/upstream-op.js';

const ORGNO = 'ansattporten:orgno';
const ISO = 'iso6523-actorid-upis';
const BANKID_PID = '15895010046';
const MINID_PID = '23846821082';

const ORGNOS: string[] = [];
for (let i = 1; ORGNOS.length < 6; i++) {
  const o = makeOrgno(`3107${String(i).padStart(4, '0')}`);
  if (o) ORGNOS.push(o);
}
interface Org { orgno: string; name: string; unit_type: string; parent_orgno: string | null; deleted: boolean }
const org = (i: number, name: string, unit_type: string, parent: Org | null = null, deleted = false): Org =>
  ({ orgno: ORGNOS[i]!, name, unit_type, parent_orgno: parent?.orgno ?? null, deleted });
const A = org(0, 'ALFA AS', 'AS');
const B = org(1, 'ALFA KONSERN ASA', 'ASA');
const C = org(2, 'ALFA AS AVD NORD', 'BEDR', A);
const D = org(3, 'DELTA AS', 'AS');
const E = org(4, 'EPSILON AS', 'AS');
const F = org(5, 'FOXTROT SLETTET AS', 'AS', null, true);

const KARI_EMAIL = 'kari.nordmann@alfa.example.no'; // the upstream sends it in mixed case

/** Virksomhetsbroen rules (§9.8) for client `app` and client `other`. */
const EMPLOYER_RULES = [
  // a domain rule without filter: every client
  { orgno: A.orgno, match: { domain: 'Alfa.Example.no' }, filter: null },
  // a deny rule naming `app` does not take away what the domain rule granted (additive)
  { orgno: A.orgno, match: { email: KARI_EMAIL }, filter: { deny: ['app'] } },
  // rights for `other` only, through an allow rule for that one client
  { orgno: A.orgno, match: { domain: 'alfa.example.no' }, filter: { allow: ['other'] }, rights: ['admin'] },
  // a group rule with an allow list containing `app`, with rights
  { orgno: B.orgno, match: { group: ENTRA_GROUPS[3]!.toUpperCase() }, filter: { allow: ['app'] }, rights: ['rapporter', 'les'] },
  // an e-mail rule with a deny list naming `app`: only other clients
  { orgno: C.orgno, match: { email: KARI_EMAIL.toUpperCase() }, filter: { deny: ['app'] } },
  // a group past the first 20 (the Entra preset keeps 20): never matches
  { orgno: D.orgno, match: { group: ENTRA_GROUPS[22]! }, filter: null },
  { orgno: E.orgno, match: { domain: 'beta.example.no' }, filter: null },
  // deleted organisations are never offered
  { orgno: F.orgno, match: { domain: 'alfa.example.no' }, filter: null },
];

const FIXTURES = {
  persons: [
    { pid: BANKID_PID, given_name: 'FIKTIV', family_name: 'TESTPERSON' },
    { pid: MINID_PID, given_name: 'TRAVEL', family_name: 'DAGLIGLEDER' },
  ],
  organizations: [A, B, C, D, E, F],
  resources: [{ id: 'eksempel-tjeneste', name: 'Eksempeltjeneste' }],
  rights: [],
  employer_rules: EMPLOYER_RULES,
};

const iso = (o: Org) => ({ authority: ISO, ID: `0192:${o.orgno}` });

interface Started {
  b: FederatedBrowser; config: oidc.Configuration; client: string; verifier: string; state: string; nonce: string; url: URL;
}

/** An error redirect to the client's callback: error, state, iss, no code. */
function expectErrorRedirect(step: Step, s: Started, ours: string, error: string): URLSearchParams {
  expect(step.location, `${step.status} ${step.url}\n${step.html.slice(0, 1200)}`).toBeTruthy();
  const loc = new URL(step.location!);
  expect(loc.origin + loc.pathname).toBe(`https://${s.client}.example.test/callback`);
  expect(loc.searchParams.get('error')).toBe(error);
  expect(loc.searchParams.get('state')).toBe(s.state);
  expect(loc.searchParams.get('iss')).toBe(ours);
  expect(loc.searchParams.get('code')).toBeNull();
  return loc.searchParams;
}

describe('upstream eIDs: ID-porten and Entra ID presets against oidc-provider', () => {
  let ours: string;
  let server: TestServer;
  let idporten: UpstreamOp;
  let entra: UpstreamOp;

  beforeAll(async () => {
    const port = await freePort();
    ours = `http://localhost:${port}`;
    idporten = await UpstreamOp.start({ kind: 'idporten', eid: 'idporten', ours });
    entra = await UpstreamOp.start({ kind: 'entraid', eid: 'entraid', ours, auth: 'private_key_jwt' });
    server = await startServer({
      port,
      clients: [
        webClient('app', { post_logout_redirect_uris: ['https://app.example.test/logged-out'] }),
        webClient('other'),
      ],
      fixtures: FIXTURES,
      config: { eids: [idporten.eidEntry(), entra.eidEntry()], logging: { level: 'silent' } },
    });
    expect(server.issuer).toBe(ours);
  });
  afterAll(async () => {
    await server?.close();
    await idporten?.close();
    await entra?.close();
  });

  const browser = () => new FederatedBrowser([ours, idporten.issuer, entra.issuer]);

  async function authorize(opts: { client?: string; acr?: string; scope?: string; details?: unknown; b?: FederatedBrowser; extra?: Record<string, string> } = {}): Promise<Started> {
    const client = opts.client ?? 'app';
    const config = await oidc.discovery(new URL(ours), client, undefined, oidc.ClientSecretBasic(secretOf(client)), { execute: [oidc.allowInsecureRequests], timeout: 5 });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const params: Record<string, string> = {
      redirect_uri: `https://${client}.example.test/callback`, scope: opts.scope ?? 'openid profile', state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    };
    if (opts.acr) params.acr_values = opts.acr;
    if (opts.details) params.authorization_details = JSON.stringify(opts.details);
    Object.assign(params, opts.extra ?? {});
    return { b: opts.b ?? browser(), config, client, verifier, state, nonce, url: oidc.buildAuthorizationUrl(config, params) };
  }

  /** Logs in through the eID selector with `eid`; the upstream logs in `account` or, with `cancel`, refuses. */
  async function login(eid: 'idporten' | 'entraid' | 'testid', opts: Parameters<typeof authorize>[0] & { account?: string; cancel?: boolean } = {}): Promise<{ s: Started; step: Step }> {
    const s = await authorize(opts);
    const upstream = eid === 'idporten' ? idporten : entra;
    if (opts.account) s.b.setCookie(upstream.issuer, 'upstream_account', opts.account);
    if (opts.cancel) s.b.setCookie(upstream.issuer, 'upstream_action', 'cancel');
    else s.b.deleteCookie(upstream.issuer, 'upstream_action');
    const first = await s.b.go(s.url.href);
    // With a single fitting upstream eID the selector skips itself and the browser is already back.
    if (!first.url.includes('/login/select')) {
      expect(eid, `the selector was skipped: ${first.status} ${first.url}`).toBe('entraid');
      return { s, step: first };
    }
    const step = await s.b.submit(first, '/login/select', { eid });
    return { s, step };
  }

  async function redeem(s: Started, step: Step) {
    expect(step.location, `${step.status} ${step.url}\n${step.html.slice(0, 1500)}`).toMatch(new RegExp(`^https://${s.client}\\.example\\.test/callback\\?`));
    return oidc.authorizationCodeGrant(s.config, new URL(step.location!), { pkceCodeVerifier: s.verifier, expectedState: s.state, expectedNonce: s.nonce });
  }

  /** The pairwise sub our provider gives `pid` at `client` through TestID. */
  async function testIdSub(client: string, pid: string): Promise<string> {
    const s = await authorize({ client });
    const select = await s.b.go(s.url.href);
    const testid = await s.b.submit(select, '/login/select', { eid: 'testid' });
    const step = await s.b.submit(testid, '/login/testid', { pid, acr: 'substantial' });
    return (await redeem(s, step)).claims()!.sub;
  }

  describe('ID-porten preset', () => {
    it('prompt=login and max_age reach the upstream eID, and auth_time in our tokens is the upstream\'s', async () => {
      const before = idporten.hits.length;
      const { s, step } = await login('idporten', { account: 'bankid', extra: { prompt: 'login', max_age: '300' } });
      const sent = idporten.hits.slice(before).find((h) => h.path.endsWith('/auth') || h.query.has('code_challenge'));
      expect(sent, JSON.stringify(idporten.hits.slice(before).map((h) => h.path))).toBeDefined();
      expect(sent!.query.get('prompt')).toBe('login');
      expect(sent!.query.get('max_age')).toBe('300');
      const claims = (await redeem(s, step)).claims()!;
      expect(typeof claims.auth_time).toBe('number');
      // the upstream's auth_time: the login at the upstream, not a later moment of ours
      expect(claims.auth_time as number).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
      const plain = await login('idporten', { account: 'bankid' });
      const plainSent = idporten.hits.filter((h) => h.query.has('code_challenge')).at(-1)!;
      expect(plainSent.query.get('prompt')).toBeNull();
      expect(plainSent.query.get('max_age')).toBeNull();
      await redeem(plain.s, plain.step);
    });

    it('logs in: pid, acr mapped to high, amr passed through, our own pairwise sub', async () => {
      const { s, step } = await login('idporten', { account: 'bankid' });
      const tokens = await redeem(s, step);
      const claims = tokens.claims()!;
      expect(claims).toMatchObject({ iss: ours, aud: 'app', pid: BANKID_PID, acr: 'high', amr: ['BankID'] });
      expect(claims.email).toBeUndefined();
      expect(claims.groups).toBeUndefined();
      expect(decodeJwt(tokens.access_token)).toMatchObject({ pid: BANKID_PID, acr: 'high', amr: ['BankID'], client_id: 'app' });
      // our pairwise subject for the person, not the upstream's subject
      expect(claims.sub).not.toBe('bankid');
      expect(claims.sub).toBe(await testIdSub('app', BANKID_PID));
      expect(claims.sub).not.toBe(await testIdSub('other', BANKID_PID));
      // the upstream was asked with PKCE (S256), state, nonce and the ID-porten acr name
      const auth = idporten.hits.filter((h) => h.path === '/auth' && h.query.has('client_id')).at(-1)!;
      expect(auth.query.get('code_challenge_method')).toBe('S256');
      expect(auth.query.get('code_challenge')).toBeTruthy();
      expect(auth.query.get('state')).toBeTruthy();
      expect(auth.query.get('nonce')).toBeTruthy();
      expect(auth.query.get('acr_values')).toBe('idporten-loa-substantial');
      expect(auth.query.get('redirect_uri')).toBe(`${ours}/login/callback/idporten`);
    });

    it('maps idporten-loa-substantial to substantial (MinID)', async () => {
      const { s, step } = await login('idporten', { account: 'minid' });
      const claims = (await redeem(s, step)).claims()!;
      expect(claims).toMatchObject({ pid: MINID_PID, acr: 'substantial', amr: ['Minid-OTC'] });
    });

    it('asks the upstream for idporten-loa-high when the client requires high, and refuses a lower level', async () => {
      const ok = await login('idporten', { account: 'bankid', acr: 'high' });
      expect((await redeem(ok.s, ok.step)).claims()!.acr).toBe('high');
      const auth = idporten.hits.filter((h) => h.path === '/auth' && h.query.has('client_id')).at(-1)!;
      expect(auth.query.get('acr_values')).toBe('idporten-loa-high');
      // MinID only reaches substantial: the client that asked for high gets access_denied
      const low = await login('idporten', { account: 'minid', acr: 'high' });
      expectErrorRedirect(low.step, low.s, ours, 'access_denied');
    });

    it('refuses an ID-porten id_token without pid (server_error back to the client)', async () => {
      const { s, step } = await login('idporten', { account: 'nopid' });
      expectErrorRedirect(step, s, ours, 'server_error');
    });
  });

  describe('Entra ID preset', () => {
    it('logs in: acr entraid, amr prefixed, email, names with profile, 20 groups, no pid', async () => {
      const { s, step } = await login('entraid', { account: 'kari', acr: 'entraid' });
      const tokens = await redeem(s, step);
      const claims = tokens.claims()!;
      expect(claims).toMatchObject({
        iss: ours, aud: 'app', acr: 'entraid', amr: ['entraid_pwd', 'entraid_mfa'], email: KARI_EMAIL,
        given_name: 'Kari', family_name: 'Nordmann',
      });
      expect(claims.groups).toEqual(ENTRA_GROUPS.slice(0, 20));
      expect(claims.pid).toBeUndefined();
      expect(claims.sub).not.toBe('kari');
      const at = decodeJwt(tokens.access_token);
      expect(at).toMatchObject({ acr: 'entraid', amr: ['entraid_pwd', 'entraid_mfa'] });
      expect(at.pid).toBeUndefined();
      // userinfo (§10): sub, locale and the names the access token's clm lists; no pid
      expect(at.clm).toEqual(['given_name', 'family_name']);
      const userinfo = await oidc.fetchUserInfo(s.config, tokens.access_token, claims.sub);
      expect(userinfo).toMatchObject({ sub: claims.sub, given_name: 'Kari', family_name: 'Nordmann' });
      expect(userinfo.pid).toBeUndefined();
      // the same person gets the same subject again, another person another one
      const again = await login('entraid', { account: 'kari', acr: 'entraid' });
      expect((await redeem(again.s, again.step)).claims()!.sub).toBe(claims.sub);
      const ola = await login('entraid', { account: 'ola', acr: 'entraid' });
      expect((await redeem(ola.s, ola.step)).claims()!.sub).not.toBe(claims.sub);
    });

    it('releases no names without the profile scope (email and groups still)', async () => {
      const { s, step } = await login('entraid', { account: 'kari', acr: 'entraid', scope: 'openid' });
      const claims = (await redeem(s, step)).claims()!;
      expect(claims.given_name).toBeUndefined();
      expect(claims.family_name).toBeUndefined();
      expect(claims.email).toBe(KARI_EMAIL);
      expect(claims.groups).toHaveLength(20);
    });

    it('used private_key_jwt at the upstream token endpoint and asked for openid profile email', async () => {
      const auth = entra.hits.filter((h) => h.path === '/auth' && h.query.has('client_id')).at(-1)!;
      expect(auth.query.get('scope')!.split(' ').sort()).toEqual(['email', 'openid', 'profile']);
      expect(auth.query.get('acr_values')).toBeNull();
    });
  });

  describe('the eID selector follows acr_values', () => {
    async function offered(acr?: string): Promise<string[]> {
      const s = await authorize({ acr });
      // step by step: a selector with a single fitting upstream eID skips itself (spec §5.3)
      let step = await s.b.request(s.url.href);
      while (step.location?.startsWith(ours)) step = await s.b.request(step.location);
      if (step.location?.startsWith(entra.issuer)) return ['entraid (selector skipped)'];
      if (step.location?.startsWith(idporten.issuer)) return ['idporten (selector skipped)'];
      expect(step.url).toContain('/login/select');
      return offeredEids(step.html);
    }

    it('high → TestID and ID-porten, not Entra ID', async () => {
      expect(await offered('high')).toEqual(['testid', 'idporten']);
    });
    it('substantial (and the default) → TestID and ID-porten', async () => {
      expect(await offered('substantial')).toEqual(['testid', 'idporten']);
      expect(await offered()).toEqual(['testid', 'idporten']);
    });
    it('entraid → only Entra ID: the selector skips itself and sends the browser to Entra ID', async () => {
      expect(await offered('entraid')).toEqual(['entraid (selector skipped)']);
    });
    it('substantial entraid → all of them', async () => {
      expect(await offered('substantial entraid')).toEqual(['testid', 'idporten', 'entraid']);
      expect(await offered('entraid high')).toEqual(['testid', 'idporten', 'entraid']);
    });
    it('refuses an eID that does not fit (Entra ID posted for acr_values=high)', async () => {
      const s = await authorize({ acr: 'high' });
      const select = await s.b.go(s.url.href);
      const step = await s.b.submit(select, '/login/select', { eid: 'entraid' });
      expect(step.status).toBe(400);
      expect(step.location).toBeUndefined();
      expect(entra.hits.filter((h) => h.query.get('state') === s.state)).toHaveLength(0);
    });
  });

  describe('upstream errors come back to the client as OAuth errors', () => {
    it('cancellation at the upstream → access_denied with state and iss', async () => {
      for (const eid of ['idporten', 'entraid'] as const) {
        const { s, step } = await login(eid, { cancel: true, acr: eid === 'entraid' ? 'entraid' : undefined });
        expectErrorRedirect(step, s, ours, 'access_denied');
      }
    });

    it('a forged, replayed or missing state at our callback → error page (400), no redirect', async () => {
      const s = await authorize();
      const select = await s.b.go(s.url.href);
      // walk step by step until the upstream sends the browser back to our callback
      let step = await s.b.request(new URL('/login/select', ours).href, { form: { ...hiddenFields(select.html, '/login/select'), eid: 'idporten' } });
      for (let i = 0; i < 10 && step.location && !step.location.startsWith(`${ours}/login/callback/`); i++) step = await s.b.request(step.location);
      const callback = new URL(step.location!);
      expect(callback.pathname).toBe('/login/callback/idporten');
      expect(callback.searchParams.get('code')).toBeTruthy();

      const forged = new URL(callback);
      forged.searchParams.set('state', 'forged-state-value-000000000000');
      const f = await s.b.request(forged.href);
      expect(f.status).toBe(400);
      expect(f.location).toBeUndefined();
      expect(f.headers.get('content-type')).toMatch(/text\/html/);

      const missing = new URL(callback);
      missing.searchParams.delete('state');
      const m = await s.b.request(missing.href);
      expect(m.status).toBe(400);
      expect(m.location).toBeUndefined();

      // the genuine answer still works once, then the state is used up
      const ok = await s.b.go(callback.href);
      expect((await redeem(s, ok)).claims()!.pid).toBe(BANKID_PID);
      const replay = await s.b.request(callback.href);
      expect(replay.status).toBe(400);
      expect(replay.location).toBeUndefined();

      // a callback for an unknown eID
      const unknown = await s.b.request(`${ours}/login/callback/nosuch?code=x&state=y`);
      expect(unknown.status).toBe(400);
      expect(unknown.location).toBeUndefined();
    });

    it('a state from another eID login cannot be used at a different eID callback', async () => {
      const s = await authorize();
      const select = await s.b.go(s.url.href);
      let step = await s.b.request(new URL('/login/select', ours).href, { form: { ...hiddenFields(select.html, '/login/select'), eid: 'idporten' } });
      for (let i = 0; i < 10 && step.location && !step.location.startsWith(`${ours}/login/callback/`); i++) step = await s.b.request(step.location);
      const crossed = new URL(step.location!.replace('/login/callback/idporten', '/login/callback/entraid'));
      const res = await s.b.request(crossed.href);
      expect(res.status).toBe(400);
      expect(res.location).toBeUndefined();
    });

    it('a wrong iss in the upstream authorization response → server_error, the code is not redeemed', async () => {
      const tokenCalls = () => idporten.hits.filter((h) => h.path === '/token').length;
      const before = tokenCalls();
      idporten.mode = 'wrong-iss';
      try {
        const { s, step } = await login('idporten', { account: 'bankid' });
        expectErrorRedirect(step, s, ours, 'server_error');
        expect(tokenCalls()).toBe(before);
      } finally {
        idporten.mode = 'none';
      }
    });

    it('a cancellation whose iss names another issuer → server_error (the iss of error responses is checked too)', async () => {
      idporten.mode = 'wrong-iss';
      try {
        const { s, step } = await login('idporten', { cancel: true });
        expectErrorRedirect(step, s, ours, 'server_error');
      } finally {
        idporten.mode = 'none';
      }
    });

    it('an id_token with a bad signature → server_error', async () => {
      idporten.mode = 'bad-signature';
      try {
        const { s, step } = await login('idporten', { account: 'bankid' });
        expectErrorRedirect(step, s, ours, 'server_error');
      } finally {
        idporten.mode = 'none';
      }
    });

    it('an expired id_token → server_error', async () => {
      entra.mode = 'expired-id-token';
      try {
        const { s, step } = await login('entraid', { account: 'kari', acr: 'entraid' });
        expectErrorRedirect(step, s, ours, 'server_error');
      } finally {
        entra.mode = 'none';
      }
    });

    it('an unknown kid that appears after the upstream rotated its keys: the JWKS is fetched again and the login succeeds', async () => {
      // a login right before the rotation: our side has the JWKS with the old key cached
      const before = await login('idporten', { account: 'bankid' });
      expect((await redeem(before.s, before.step)).claims()!.pid).toBe(BANKID_PID);
      const oldKid = idporten.kid;
      const jwksFetches = idporten.hits.filter((h) => h.path === '/jwks').length;
      const newKid = await idporten.rotateKeys();
      expect(newKid).not.toBe(oldKid);
      const after = await login('idporten', { account: 'minid' });
      const claims = (await redeem(after.s, after.step)).claims()!;
      expect(claims).toMatchObject({ pid: MINID_PID, acr: 'substantial' });
      expect(idporten.hits.filter((h) => h.path === '/jwks').length).toBe(jwksFetches + 1);
      // and the refreshed JWKS is cached again: the next login fetches nothing
      const third = await login('idporten', { account: 'bankid' });
      expect((await redeem(third.s, third.step)).claims()!.pid).toBe(BANKID_PID);
      expect(idporten.hits.filter((h) => h.path === '/jwks').length).toBe(jwksFetches + 1);
    });
  });

  describe('logout', () => {
    it('ends the upstream sessions through their end_session_endpoint, then returns to the client with state', async () => {
      const b = browser();
      const first = await login('idporten', { account: 'bankid', b });
      const tokens = await redeem(first.s, first.step);
      // the same browser also logs in to another client with Entra ID (isolated SSO: a second context)
      const second = await login('entraid', { account: 'kari', acr: 'entraid', client: 'other', b });
      await redeem(second.s, second.step);

      const endSessionCalls = (op: UpstreamOp) => op.hits.filter((h) => h.path === '/session/end/confirm').length;
      const [idpBefore, entraBefore] = [endSessionCalls(idporten), endSessionCalls(entra)];
      const logoutUrl = oidc.buildEndSessionUrl(first.s.config, {
        id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'https://app.example.test/logged-out', state: 'logout-state-1',
      });
      let step = await b.go(logoutUrl.href);
      // each upstream asks to confirm its logout (oidc-provider's page); the browser confirms
      for (let i = 0; i < 2 && step.status === 200 && step.html.includes('op.logoutForm'); i++) {
        step = await b.submit(step, '/session/end/confirm', { logout: 'yes' });
      }
      expect(step.location, `${step.status} ${step.url}\n${step.html.slice(0, 800)}`).toBe('https://app.example.test/logged-out?state=logout-state-1');
      expect(endSessionCalls(idporten)).toBe(idpBefore + 1);
      expect(endSessionCalls(entra)).toBe(entraBefore + 1);
      // our session is gone: the client must authenticate again
      const again = await authorize({ b });
      const select = await b.go(again.url.href);
      expect(select.url).toContain('/login/select');
    });
  });

  describe(`${ORGNO} with Entra ID logins (Virksomhetsbroen rules)`, () => {
    const inputs = (html: string) => [...html.matchAll(/<input\b([^>]*)>/g)].map((m) =>
      Object.fromEntries([...m[1]!.matchAll(/([a-zA-Z_:-]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!, decodeEntities(a[2] ?? '')])));
    const offeredOrgs = (html: string) => inputs(html).filter((i) => i.name === 'orgno' && i.value !== 'self').map((i) => i.value!).sort();

    async function orgnoLogin(client: string, account: string) {
      const r = await login('entraid', { client, account, acr: 'entraid', details: [{ type: ORGNO, allow_multiple_organizations: true }] });
      return r;
    }

    it('client app: the picker offers the domain and the allowed group organisations; rights only from the allow rule', async () => {
      const { s, step } = await orgnoLogin('app', 'kari');
      expect(step.status, step.html.slice(0, 800)).toBe(200);
      expect(step.url).toContain('/login/organizations');
      expect(offeredOrgs(step.html)).toEqual([A.orgno, B.orgno].sort());
      const last = await s.b.submit(step, '/login/organizations', { orgno: [A.orgno, B.orgno] });
      const tokens = await redeem(s, last);
      const details = tokens.authorization_details as unknown as { type: string; authorized_parties: unknown[] }[];
      expect(details).toHaveLength(1);
      expect(details[0]!.type).toBe(ORGNO);
      expect(details[0]!.authorized_parties).toHaveLength(2);
      expect(details[0]!.authorized_parties).toEqual(expect.arrayContaining([
        { orgno: iso(A), name: A.name },
        { orgno: iso(B), name: B.name, rights: ['rapporter', 'les'] },
      ]));
      expect(tokens.claims()!.authorization_details).toEqual(details);
      expect(decodeJwt(tokens.access_token).authorization_details).toEqual(details);
    });

    it('client other: the deny rule for app does not apply, the group allow rule does not grant; rights from its own allow rule', async () => {
      const { s, step } = await orgnoLogin('other', 'kari');
      expect(step.url).toContain('/login/organizations');
      expect(offeredOrgs(step.html)).toEqual([A.orgno, C.orgno].sort());
      const last = await s.b.submit(step, '/login/organizations', { orgno: [A.orgno, C.orgno] });
      const details = (await redeem(s, last)).authorization_details as unknown as { authorized_parties: unknown[] }[];
      expect(details[0]!.authorized_parties).toHaveLength(2);
      expect(details[0]!.authorized_parties).toEqual(expect.arrayContaining([
        { orgno: iso(A), name: A.name, rights: ['admin'] },
        { orgno: iso(C), name: C.name },
      ]));
    });

    it('one organisation, chosen alone; and representing oneself gives only the type', async () => {
      const one = await login('entraid', { client: 'app', account: 'kari', acr: 'entraid', details: [{ type: ORGNO }] });
      expect(one.step.url).toContain('/login/organizations');
      const last = await one.s.b.submit(one.step, '/login/organizations', { orgno: B.orgno });
      expect((await redeem(one.s, last)).authorization_details).toEqual([
        { type: ORGNO, authorized_parties: [{ orgno: iso(B), name: B.name, rights: ['rapporter', 'les'] }] },
      ]);
      const self = await login('entraid', { client: 'app', account: 'kari', acr: 'entraid', details: [{ type: ORGNO }] });
      const lastSelf = await self.s.b.submit(self.step, '/login/organizations', { orgno: 'self' });
      expect((await redeem(self.s, lastSelf)).authorization_details).toEqual([{ type: ORGNO }]);
    });

    it('another employee of another employer gets that employer only', async () => {
      const { s, step } = await orgnoLogin('app', 'ola');
      expect(step.url).toContain('/login/organizations');
      expect(offeredOrgs(step.html)).toEqual([E.orgno]);
      expect(ENTRA_ACCOUNTS.ola!.claims.email).toBe('ola@beta.example.no');
      const last = await s.b.submit(step, '/login/organizations', { orgno: [E.orgno] });
      expect((await redeem(s, last)).authorization_details).toEqual([{ type: ORGNO, authorized_parties: [{ orgno: iso(E), name: E.name }] }]);
    });

    it('a TestID login (no e-mail identifier) returns only the type', async () => {
      const s = await authorize({ details: [{ type: ORGNO }] });
      const select = await s.b.go(s.url.href);
      const testid = await s.b.submit(select, '/login/select', { eid: 'testid' });
      const step = await s.b.submit(testid, '/login/testid', { pid: BANKID_PID, acr: 'substantial' });
      const tokens = await redeem(s, step);
      expect(tokens.authorization_details).toEqual([{ type: ORGNO }]);
      expect(tokens.claims()!.authorization_details).toEqual([{ type: ORGNO }]);
    });

    it('an ID-porten login (no e-mail identifier) returns only the type', async () => {
      const { s, step } = await login('idporten', { account: 'bankid', details: [{ type: ORGNO }] });
      expect((await redeem(s, step)).authorization_details).toEqual([{ type: ORGNO }]);
    });
  });
});

/** Hidden fields of the form posting to `action`. */
function hiddenFields(html: string, action: string): Record<string, string> {
  const form = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].find((f) => decodeEntities(/action="([^"]*)"/.exec(f[1]!)?.[1] ?? '').endsWith(action));
  if (!form) throw new Error(`no form for ${action}`);
  const out: Record<string, string> = {};
  for (const input of form[2]!.matchAll(/<input\b([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(input[1]!)?.[1];
    const value = /value="([^"]*)"/.exec(input[1]!)?.[1];
    if (name && /type="hidden"/.test(input[1]!)) out[name] = decodeEntities(value ?? '');
  }
  return out;
}

describe('upstream eIDs that are down or hang', () => {
  let ours: string;
  let server: TestServer;
  let down: UpstreamOp;
  let flaky: UpstreamOp;
  let hanging: TcpServer;
  const hangingSockets = new Set<Socket>();
  let hangingIssuer: string;

  beforeAll(async () => {
    const port = await freePort();
    ours = `http://localhost:${port}`;
    down = await UpstreamOp.start({ kind: 'idporten', eid: 'down', ours });
    flaky = await UpstreamOp.start({ kind: 'idporten', eid: 'flaky', ours });
    hanging = createTcpServer((sock) => {
      hangingSockets.add(sock); // accepts, never answers
      sock.on('close', () => hangingSockets.delete(sock));
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', () => resolve()));
    hangingIssuer = `http://127.0.0.1:${(hanging.address() as { port: number }).port}`;
    server = await startServer({
      port,
      clients: [webClient('app')],
      config: {
        eids: [
          down.eidEntry(), flaky.eidEntry(),
          { id: 'hanging', preset: 'oidc', issuer: hangingIssuer, client_id: 'x', client_secret: 'y', timeout_seconds: 1, clock_skew_seconds: 30, allow_insecure: true },
        ],
        logging: { level: 'silent' },
      },
    });
    // the upstream is down before anyone logs in with it
    await down.stop();
  });
  afterAll(async () => {
    await server?.close();
    await down?.close();
    await flaky?.close();
    for (const s of hangingSockets) s.destroy();
    await new Promise<void>((resolve) => hanging?.close(() => resolve()));
  });

  async function start(_eid: string) {
    const config = await oidc.discovery(new URL(ours), 'app', undefined, oidc.ClientSecretBasic(secretOf('app')), { execute: [oidc.allowInsecureRequests], timeout: 5 });
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'https://app.example.test/callback', scope: 'openid', state, nonce: oidc.randomNonce(),
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
    });
    const b = new FederatedBrowser([ours, down.issuer, flaky.issuer, hangingIssuer]);
    const select = await b.go(url.href);
    expect(select.url).toContain('/login/select');
    return { b, select, state, s: { b, config, client: 'app', verifier: '', state, nonce: '', url } as Started };
  }

  it('an upstream that is down → temporarily_unavailable back to the client', async () => {
    const { b, select, s } = await start('down');
    expect(offeredEids(select.html)).toEqual(['testid', 'down', 'flaky', 'hanging']);
    const step = await b.submit(select, '/login/select', { eid: 'down' });
    expectErrorRedirect(step, s, ours, 'temporarily_unavailable');
  });

  it('an upstream that accepts connections but never answers → temporarily_unavailable within the timeout', async () => {
    const { b, select, s } = await start('hanging');
    const t0 = Date.now();
    const step = await b.submit(select, '/login/select', { eid: 'hanging' });
    expect(Date.now() - t0).toBeLessThan(5000);
    expectErrorRedirect(step, s, ours, 'temporarily_unavailable');
  });

  it('an upstream that goes down while the user is there → temporarily_unavailable', async () => {
    const { b, select, s } = await start('flaky');
    let step = await b.request(new URL('/login/select', ours).href, { form: { ...hiddenFields(select.html, '/login/select'), eid: 'flaky' } });
    for (let i = 0; i < 10 && step.location && !step.location.startsWith(`${ours}/login/callback/`); i++) step = await b.request(step.location);
    expect(step.location).toContain('/login/callback/flaky');
    await flaky.stop();
    try {
      const back = await b.go(step.location!);
      expectErrorRedirect(back, s, ours, 'temporarily_unavailable');
    } finally {
      await flaky.start();
    }
  });

  it('a down upstream that comes back is usable again (discovery is retried)', async () => {
    await down.start();
    const { b, select } = await start('down');
    const step = await b.submit(select, '/login/select', { eid: 'down' });
    expect(step.location).toMatch(/^https:\/\/app\.example\.test\/callback\?code=/);
  });
});
