/**
 * Organisation membership from verified identity only (spec §9.5, §9.8), end to end against a
 * real OpenID provider shaped like Entra ID: domain and e-mail employer rules match only the
 * `email` claim Entra vouches for, never preferred_username or upn, and a rule limited to tenants
 * (`match.tenants`) matches only logins whose id_token `tid` is listed.
 */
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrgno } from '../../src/core/orgno.js';
import { freePort, secretOf, startServer, webClient, type Step, type TestServer } from './harness.js';
import { FederatedBrowser } from './upstream/federated-browser.js';
import { ENTRA_TENANT, UpstreamOp } from './upstream/upstream-op.js';

const ORGNO = 'ansattporten:orgno';
const A = makeOrgno('31077001')!;
const T = makeOrgno('31077002')!;
const FIXTURES = {
  persons: [],
  organizations: [
    { orgno: A, name: 'ALFA AS', unit_type: 'AS', parent_orgno: null, deleted: false },
    { orgno: T, name: 'ALFA TENANT-BOUND AS', unit_type: 'AS', parent_orgno: null, deleted: false },
  ],
  resources: [],
  rights: [],
  employer_rules: [
    { orgno: A, match: { domain: 'alfa.example.no' }, filter: null },
    { orgno: A, match: { email: 'kari.nordmann@alfa.example.no' }, filter: null },
    // limited to Alfa's own tenant
    { orgno: T, match: { domain: 'alfa.example.no', tenants: [ENTRA_TENANT.toUpperCase()] }, filter: null },
  ],
};

describe('employer rules match verified e-mail only', () => {
  let ours: string;
  let server: TestServer;
  let entra: UpstreamOp;

  beforeAll(async () => {
    const port = await freePort();
    ours = `http://localhost:${port}`;
    entra = await UpstreamOp.start({ kind: 'entraid', eid: 'entraid', ours });
    server = await startServer({ port, clients: [webClient('app')], fixtures: FIXTURES, config: { eids: [entra.eidEntry()], logging: { level: 'silent' } } });
  });
  afterAll(async () => {
    await server?.close();
    await entra?.close();
  });

  async function login(account: string): Promise<{ step: Step; tokens: () => Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> ; b: FederatedBrowser }> {
    const config = await oidc.discovery(new URL(ours), 'app', undefined, oidc.ClientSecretBasic(secretOf('app')), { execute: [oidc.allowInsecureRequests], timeout: 5 });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'https://app.example.test/callback', scope: 'openid profile', state, nonce, acr_values: 'entraid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      authorization_details: JSON.stringify([{ type: ORGNO, allow_multiple_organizations: true }]),
    });
    const b = new FederatedBrowser([ours, entra.issuer]);
    b.setCookie(entra.issuer, 'upstream_account', account);
    const step = await b.go(url.href);
    return {
      step, b,
      tokens: async () => {
        expect(step.location, `${step.status} ${step.url}\n${step.html.slice(0, 800)}`).toMatch(/^https:\/\/app\.example\.test\/callback\?/);
        return oidc.authorizationCodeGrant(config, new URL(step.location!), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
      },
    };
  }

  it('a verified email from the listed tenant: the domain rule and the tenant-limited rule both match', async () => {
    const { step } = await login('kari');
    expect(step.url, step.html.slice(0, 500)).toContain('/login/organizations');
    expect(step.html).toContain(A);
    expect(step.html).toContain(T);
  });

  it('preferred_username / upn in the domain (no email claim) grant nothing, and no email is released', async () => {
    const { tokens } = await login('mallory');
    const t = await tokens();
    expect(t.authorization_details).toEqual([{ type: ORGNO }]);
    expect(t.claims()!.email).toBeUndefined();
  });

  it('an email whose domain Entra has not verified (xms_edov false) grants nothing', async () => {
    const { tokens } = await login('eve');
    const t = await tokens();
    expect(t.authorization_details).toEqual([{ type: ORGNO }]);
    expect(t.claims()!.email).toBeUndefined();
  });

  it('a verified email from another tenant: only the rules without tenants match', async () => {
    const { step } = await login('trudy');
    expect(step.url, step.html.slice(0, 500)).toContain('/login/organizations');
    expect(step.html).toContain(A);
    expect(step.html).not.toContain(T);
  });
});
