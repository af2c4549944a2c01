/**
 * The Altinn source issues only the actions Altinn's decision point confirms, end to end: an
 * Altinn-compatible server answers both the authorized-parties lookup and the PDP, openid-client
 * asks for `read,write`, and the issued authorization_details (token response, id_token, access
 * token) carry only what the PDP permitted. A PDP that fails gives the "temporarily unavailable"
 * page, never a guess.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeOrgno } from '../../src/core/orgno.js';
import { Browser, loginWithTestId, secretOf, startServer, webClient, type TestServer } from './harness.js';
import { pdpAnswer, PDP_PATH, PARTIES_PATH, type Decide } from '../representation/altinn-pdp-stub.js';

const PID = '15895010046';
const ORG_A = makeOrgno('31095001')!;
const ORG_B = makeOrgno('31095002')!;
const PARTIES = [
  { name: 'ALFA AS', organizationNumber: ORG_A, type: 'Organization', unitType: 'AS', isDeleted: false, authorizedResources: ['eksempel-tjeneste'], subunits: [] },
  { name: 'BETA AS', organizationNumber: ORG_B, type: 'Organization', unitType: 'AS', isDeleted: false, authorizedResources: ['eksempel-tjeneste'], subunits: [] },
];

let altinn: Server;
let server: TestServer;
let decide: Decide;
let pdpMode: 'ok' | 'down' | 'garbage' | 'slow';
const pdpCalls: string[] = [];

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

beforeAll(async () => {
  altinn = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      if (req.url === PARTIES_PATH) return json(res, 200, PARTIES);
      if (req.url !== PDP_PATH) return json(res, 404, {});
      pdpCalls.push(body);
      if (pdpMode === 'down') return json(res, 500, { title: 'boom' });
      if (pdpMode === 'garbage') return json(res, 200, { Response: [{ Decision: 'Permit' }] });
      if (pdpMode === 'slow') {
        const t = setTimeout(() => json(res, 200, pdpAnswer(body, decide)), 3000);
        res.on('close', () => clearTimeout(t));
        return;
      }
      json(res, 200, pdpAnswer(body, decide));
    });
  });
  await new Promise<void>((r) => altinn.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(altinn.address() as AddressInfo).port}`;
  server = await startServer({
    clients: [webClient('pdp')],
    config: { authorization_source: { type: 'altinn', base_url: base, timeout_ms: 500, headers: {} } },
  });
});

afterAll(async () => {
  await server?.close();
  altinn?.closeAllConnections();
  await new Promise((r) => altinn?.close(r));
});

beforeEach(() => {
  pdpCalls.length = 0;
  pdpMode = 'ok';
  // ALFA: read only; BETA: nothing of what is asked
  decide = (q) => (q.orgno === ORG_A && q.action === 'read' && q.subject === PID ? 'Permit' : q.orgno === ORG_B ? 'Deny' : 'NotApplicable');
});

async function login(actions: string | undefined) {
  const config = await oidc.discovery(new URL(server.issuer), 'pdp', undefined, oidc.ClientSecretBasic(secretOf('pdp')), { execute: [oidc.allowInsecureRequests] });
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: 'https://pdp.example.test/callback', scope: 'openid profile', state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    authorization_details: JSON.stringify([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:eksempel-tjeneste', ...(actions ? { actions } : {}) }]),
  });
  const b = new Browser(server.issuer);
  const step = await loginWithTestId(b, url.href, { pid: PID });
  return { b, step, config, verifier, state, nonce };
}

describe('Altinn source: actions confirmed by the PDP (end to end)', () => {
  it('a client asking for read,write gets only the read the PDP permits; a party with nothing permitted is not offered', async () => {
    const s = await login('read,write');
    expect(s.step.status, s.step.html.slice(0, 400)).toBe(200);
    expect(s.step.url).toContain('/login/organizations?flow=');
    expect(s.step.html).toContain(ORG_A);
    expect(s.step.html).not.toContain(ORG_B);
    expect(pdpCalls).toHaveLength(1);
    const last = await s.b.submit(s.step, '/login/organizations', { orgno: ORG_A });
    expect(last.location).toMatch(/^https:\/\/pdp\.example\.test\/callback\?/);
    const tokens = await oidc.authorizationCodeGrant(s.config, new URL(last.location!), { pkceCodeVerifier: s.verifier, expectedState: s.state, expectedNonce: s.nonce });
    const details = tokens.authorization_details as { actions?: string[]; authorized_parties?: { actions: string[] }[] }[];
    const text = JSON.stringify(details);
    expect(text).toContain('"read"');
    expect(text).not.toContain('"write"');
    expect(decodeJwt(tokens.access_token).authorization_details).toEqual(details);
    expect(tokens.claims()!.authorization_details).toEqual(details);
  });

  it('without requested actions, holding the resource qualifies and no PDP question is asked', async () => {
    const s = await login(undefined);
    expect(s.step.url).toContain('/login/organizations?flow=');
    expect(s.step.html).toContain(ORG_A);
    expect(s.step.html).toContain(ORG_B);
    expect(pdpCalls).toHaveLength(0);
  });

  for (const mode of ['down', 'garbage', 'slow'] as const) {
    it(`a PDP that is ${mode} gives the "temporarily unavailable" page, not a guess`, async () => {
      pdpMode = mode;
      const s = await login('read,write');
      expect(s.step.status).toBe(503);
      expect(s.step.html).toMatch(/temporarily_unavailable|midlertidig|temporarily/i);
      expect(s.step.html).not.toContain(ORG_A);
      expect(s.step.location).toBeUndefined();
    });
  }
});
