/**
 * An upstream eID with an http issuer on loopback works outside production without
 * `allow_insecure` (src/eid/upstream/upstream-issuer-rule.ts); any other http issuer without
 * `allow_insecure` stops the start with a configuration error naming the eID.
 */
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config.js';
import { freePort, secretOf, startServer, webClient, type TestServer } from './harness.js';
import { FederatedBrowser } from './upstream/federated-browser.js';
import { UpstreamOp } from './upstream/upstream-op.js';

describe('upstream eID on loopback http without allow_insecure', () => {
  let ours: string;
  let server: TestServer;
  let idporten: UpstreamOp;

  beforeAll(async () => {
    const port = await freePort();
    ours = `http://localhost:${port}`;
    idporten = await UpstreamOp.start({ kind: 'idporten', eid: 'idporten', ours });
    expect(idporten.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    server = await startServer({
      port,
      clients: [webClient('app')],
      fixtures: { persons: [{ pid: '15895010046', given_name: 'FIKTIV', family_name: 'TESTPERSON' }], organizations: [], resources: [], rights: [] },
      config: { eids: [idporten.eidEntry({ allow_insecure: false })], logging: { level: 'silent' } },
    });
  });
  afterAll(async () => {
    await server?.close();
    await idporten?.close();
  });

  it('logs in through the upstream and the code redeems', async () => {
    const config = await oidc.discovery(new URL(ours), 'app', undefined, oidc.ClientSecretBasic(secretOf('app')), { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'https://app.example.test/callback', scope: 'openid profile', state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const b = new FederatedBrowser([ours, idporten.issuer]);
    b.setCookie(idporten.issuer, 'upstream_account', 'bankid');
    const select = await b.go(url.href);
    expect(select.url).toContain('/login/select');
    const step = await b.submit(select, '/login/select', { eid: 'idporten' });
    expect(step.location, `${step.status} ${step.url}\n${step.html.slice(0, 1500)}`).toMatch(/^https:\/\/app\.example\.test\/callback\?/);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.location!), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.claims()).toMatchObject({ iss: ours, pid: '15895010046', acr: 'high' });
  });

  it('an http upstream off loopback without allow_insecure stops the start, naming the eID', async () => {
    const start = startServer({ config: { eids: [{ ...idporten.eidEntry({ allow_insecure: false }), id: 'remote', issuer: 'http://idp.example.test' }] } });
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toThrow(/upstream eID "remote" has an http issuer that is not on a loopback address/);
  });
});
