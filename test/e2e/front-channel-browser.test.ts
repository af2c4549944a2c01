import { existsSync } from 'node:fs';
import * as oidc from 'openid-client';
import { chromium, type Browser as PwBrowser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretOf, startServer, webClient, type TestServer } from './harness.js';
import { startRelyingParty, waitFor, type RelyingParty } from './relying-party.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`front-channel-browser.test.ts skipped: ${CHROMIUM} does not exist (install Debian's chromium to run it)`);

describe.skipIf(!haveChromium)('front-channel logout in headless Chromium', () => {
  let server: TestServer;
  let rpA: RelyingParty;
  let rpB: RelyingParty;
  let browser: PwBrowser;
  let context: BrowserContext;
  let page: Page;
  const consoleMessages: string[] = [];

  const clientFor = (id: string, rp: RelyingParty) => webClient(id, {
    redirect_uris: [`${rp.origin}/callback`],
    post_logout_redirect_uris: [`${rp.origin}/logged-out`],
    frontchannel_logout_uri: `${rp.origin}/fcl`,
    frontchannel_logout_session_required: true,
  });

  beforeAll(async () => {
    [rpA, rpB] = await Promise.all([startRelyingParty(), startRelyingParty()]);
    server = await startServer({ clients: [clientFor('rpa', rpA), clientFor('rpb', rpB)] });
    for (const rp of [rpA, rpB]) rp.providerOrigin = new URL(server.issuer).origin;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    context = await browser.newContext();
    page = await context.newPage();
    page.on('console', (m) => consoleMessages.push(m.text()));
  }, 60_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.close();
    await Promise.all([rpA, rpB].map((rp) => rp?.close()));
  });

  /** Logs in through the real eID selector and TestID pages; returns the client's tokens. */
  async function login(id: string, rp: RelyingParty) {
    const config = await oidc.discovery(new URL(server.issuer), id, undefined, oidc.ClientSecretBasic(secretOf(id)), { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${rp.origin}/callback`, scope: 'openid profile', state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    await page.goto(url.href);
    expect(page.url()).toContain('/login/select'); // isolated SSO: every client authenticates
    await Promise.all([page.waitForURL(/\/login\/testid/), page.click('button[name="eid"][value="testid"]')]);
    await page.fill('#pid', '15895010046');
    await Promise.all([page.waitForURL((u) => u.href.startsWith(`${rp.origin}/callback`)), page.click('#testid-form button[type="submit"]')]);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    return { config, tokens, claims: tokens.claims()! };
  }

  it('loads every front-channel iframe despite the CSP and continues to the post_logout_redirect_uri', async () => {
    const a = await login('rpa', rpA);
    const b = await login('rpb', rpB);
    const sid = a.claims.sid as string;
    expect(sid).toBeTruthy();
    expect(b.claims.sid).toBe(sid);

    const state = 'browser-state 1';
    const postLogout = `${rpA.origin}/logged-out`;
    const logoutUrl = oidc.buildEndSessionUrl(a.config, { id_token_hint: a.tokens.id_token!, post_logout_redirect_uri: postLogout, state });
    await page.goto(logoutUrl.href);
    await page.waitForURL((u) => u.href.startsWith(postLogout), { timeout: 15_000 });

    const finalUrl = new URL(page.url());
    expect(`${finalUrl.origin}${finalUrl.pathname}`).toBe(postLogout);
    expect(finalUrl.searchParams.get('state')).toBe(state);

    // Each relying party received its iframe request, with iss and sid.
    expect(await waitFor(() => rpA.frontChannel().length > 0 && rpB.frontChannel().length > 0, 5000)).toBe(true);
    for (const rp of [rpA, rpB]) {
      const got = rp.frontChannel();
      expect(got).toHaveLength(1);
      expect(got[0]!.query.get('iss')).toBe(server.issuer);
      expect(got[0]!.query.get('sid')).toBe(sid);
      expect(got[0]!.headers['sec-fetch-dest']).toBe('iframe');
    }
    // Neither the provider's frame-src nor the clients' frame-ancestors blocked anything.
    expect(consoleMessages.filter((m) => /Content Security Policy|Refused to (frame|display)/i.test(m))).toEqual([]);
    // The provider session is gone: the next login to a client asks for an eID again.
    const config = a.config;
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${rpA.origin}/callback`, scope: 'openid', state: 's', nonce: 'n',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
    });
    await page.goto(url.href);
    expect(page.url()).toContain('/login/select');
  }, 60_000);
});
