/**
 * Every page passes axe-core (WCAG 2.0/2.1/2.2 level A and AA rules) in headless Chromium, in each
 * language (nb, nn, en, se), with and without JavaScript. The pages are reached through the real
 * server the way a user reaches them: an authorization request from a client, clicks on the eID
 * selector and TestID, the language switcher, the logout confirmation, the demo client and the
 * self-service pages (English only, so checked once per JavaScript mode).
 *
 * How a page is checked without JavaScript is explained in test/e2e/a11y/axe-check.ts.
 *
 * Skips itself only when /usr/bin/chromium is missing outside CI; with CI=true a missing browser
 * fails the test. Never downloads a browser.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Browser as PwBrowser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrgno } from '../../src/core/orgno.js';
import { LOCALES, type Locale } from '../../src/ui/i18n.js';
import { ADMIN_TOKEN, ORG_A } from '../admin/admin-helpers.js';
import { checkPage, describeViolations } from './a11y/axe-check.js';
import { freePort, startServer, webClient, type TestServer } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true';
if (!HAVE_CHROMIUM && !IN_CI) console.warn(`accessibility.test.ts: skipped because ${CHROMIUM} does not exist (install Debian's chromium to run it)`);

const PID = '15895010046';
const RESOURCE = 'ansattporten:altinn:resource';
const EKS = 'urn:altinn:resource:eksempel-tjeneste';
const NOBODY = 'urn:altinn:resource:ingen-har-tilgang';
const CLIENT = 'a11y';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

function orgnos(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const o = makeOrgno(`33${String(i).padStart(6, '0')}`);
    if (o) out.push(o);
  }
  return out;
}
const [MAIN, SUB1, SUB2, OTHER, GONE] = orgnos(5) as [string, string, string, string, string];
const FIXTURES = {
  persons: [{ pid: PID, given_name: 'FIKTIV', family_name: 'TESTPERSON' }],
  organizations: [
    { orgno: MAIN, name: 'FJELLBEKK AS', unit_type: 'AS', parent_orgno: null, deleted: false },
    { orgno: SUB1, name: 'FJELLBEKK AS AVD NORD', unit_type: 'BEDR', parent_orgno: MAIN, deleted: false },
    { orgno: SUB2, name: 'FJELLBEKK AS AVD SØR', unit_type: 'BEDR', parent_orgno: MAIN, deleted: false },
    { orgno: OTHER, name: 'HAVBRIS ENK', unit_type: 'ENK', parent_orgno: null, deleted: false },
    { orgno: GONE, name: 'NEDLAGT AS', unit_type: 'AS', parent_orgno: null, deleted: true },
  ],
  resources: [{ id: 'eksempel-tjeneste', name: 'Eksempeltjeneste' }, { id: 'ingen-har-tilgang', name: 'Ingen har tilgang' }],
  rights: [MAIN, SUB1, SUB2, OTHER, GONE].map((orgno) => ({ pid: PID, orgno, resource: 'eksempel-tjeneste', actions: ['read'] })),
  employer_rules: [],
  work_accounts: [{
    email: 'kari.nordmann@fiktivbedrift.no', given_name: 'KARI', family_name: 'NORDMANN',
    tenant_id: '0b7e5c1a-2f3d-4a6b-9c8d-1e2f3a4b5c6d', groups: ['6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b'], email_verified: true,
  }],
};

/** The pages checked in each language: a run that misses one fails. */
const USER_PAGES = [
  'eID selector', 'TestID', 'TestID with an error', 'form_post response', 'organisation picker (one)',
  'organisation picker (several)', 'organisation picker with an error', 'no representation', 'error page (unknown client)',
  'logout confirmation', 'logout declined', 'front-channel logout', 'logged out', 'demo start', 'demo result',
  'Test Entra ID', 'Test Entra ID with an error', 'temporarily unavailable',
];
const ADMIN_PAGES = [
  'admin login', 'admin login with an error', 'admin client list', 'admin new client', 'admin new client with errors',
  'admin client created (secret)', 'admin edit client', 'admin client saved', 'admin edit client with errors', 'admin not found',
];

/** The relying party's side: the callback answers 204 so the browser stays on the provider's page. */
function startRp() {
  const hits: string[] = [];
  const waiters: { path: string; resolve: () => void }[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    req.resume();
    hits.push(path);
    for (const w of waiters.filter((x) => x.path === path)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
    if (path === '/fcl') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html lang="en"><head><title>Logged out</title></head><body><main><p>Logged out.</p></main></body></html>');
      return;
    }
    // 204 No Content: a navigation to it leaves the current document in place
    res.writeHead(path === '/callback' || path === '/logged-out' ? 204 : 404).end();
  });
  return {
    hits,
    get origin() { return origin; },
    /** Resolves on the next request to `path` (register before the action that causes it). */
    next: (path: string) => new Promise<void>((resolve) => waiters.push({ path, resolve })),
    listen: () => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => {
      origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      resolve();
    })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// In CI a missing browser is a failed test (not only a failed suite whose tests count as skipped).
it.runIf(IN_CI)('headless Chromium is installed for the accessibility test (CI)', () => {
  expect(HAVE_CHROMIUM, `${CHROMIUM} does not exist: install Debian's chromium`).toBe(true);
});

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('accessibility (axe-core, WCAG 2.2 AA) of every page in headless Chromium', () => {
  let server: TestServer;
  let down: TestServer;
  const rp = startRp();
  let browser: PwBrowser;
  let host: BrowserContext;

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`CI=true but ${CHROMIUM} does not exist: install Debian's chromium`);
    await rp.listen();
    const client = webClient(CLIENT, {
      redirect_uris: [`${rp.origin}/callback`], post_logout_redirect_uris: [`${rp.origin}/logged-out`],
      frontchannel_logout_uri: `${rp.origin}/fcl`, frontchannel_logout_session_required: true,
    });
    const port = await freePort();
    server = await startServer({
      port, env: { ISSUER: `http://127.0.0.1:${port}`, ADMIN_TOKEN }, fixtures: FIXTURES, clients: [client],
      config: { logging: { level: 'silent' } },
    });
    // A provider whose authorisation source does not answer: the "temporarily unavailable" page.
    const nowhere = await freePort();
    const downPort = await freePort();
    down = await startServer({
      port: downPort, env: { ISSUER: `http://127.0.0.1:${downPort}` }, fixtures: FIXTURES, clients: [client],
      config: { authorization_source: { type: 'altinn', base_url: `http://127.0.0.1:${nowhere}`, timeout_ms: 500, headers: {} }, logging: { level: 'silent' } },
    });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    host = await browser.newContext(); // replays script-less renderings (a11y/axe-check.ts)
  }, 60_000);

  afterAll(async () => {
    await host?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.close();
    await down?.close();
    await rp.close();
  });

  function authorizeUrl(base: TestServer, o: { formPost?: boolean; details?: unknown[]; uiLocales?: string; acr?: string } = {}): string {
    const q = new URLSearchParams({
      client_id: CLIENT, response_type: 'code', redirect_uri: `${rp.origin}/callback`, scope: 'openid profile',
      state: `st-${Math.random().toString(36).slice(2)}`, nonce: `n-${Math.random().toString(36).slice(2)}`,
      code_challenge: CHALLENGE, code_challenge_method: 'S256',
    });
    if (o.formPost) q.set('response_mode', 'form_post');
    if (o.details) q.set('authorization_details', JSON.stringify(o.details));
    if (o.uiLocales) q.set('ui_locales', o.uiLocales);
    if (o.acr) q.set('acr_values', o.acr);
    return `${base.issuer}/authorize?${q.toString()}`;
  }

  /** The eID selector and TestID, when the provider asks for them. */
  async function loginIfAsked(page: Page): Promise<void> {
    if (!/\/login\/select\?/.test(page.url())) return;
    await Promise.all([page.waitForURL(/\/login\/testid\?/), page.click('button[name="eid"][value="testid"]')]);
    await page.fill('#pid', PID);
    await page.click('#testid-form button[type="submit"]');
  }

  /** Collects the violations of each page; the test asserts once at the end so one run shows them all. */
  function recorder(label: string, javaScript: boolean) {
    const problems: string[] = [];
    const checked: string[] = [];
    return {
      problems, checked,
      async check(name: string, page: Page, lang: Locale | null): Promise<void> {
        const r = await checkPage(page, javaScript, host);
        expect(r.passes, `${name}: axe ran no rule`).toBeGreaterThan(0);
        if (lang) expect(r.lang, `${name} (${page.url()}): the page language`).toBe(lang);
        problems.push(...describeViolations(`${name} [${label}, JavaScript ${javaScript ? 'on' : 'off'}] ${page.url()}`, r.violations));
        checked.push(name);
      },
    };
  }

  for (const javaScript of [true, false]) {
    describe(`JavaScript ${javaScript ? 'enabled' : 'disabled'}`, () => {
      // The check itself can fail: a page with known problems is reported, and <noscript> content counts only without JavaScript.
      it('reports the violations of a broken page', async () => {
        const context = await browser.newContext({ javaScriptEnabled: javaScript });
        try {
          const page = await context.newPage();
          const url = `${server.issuer}/a11y-canary`;
          await page.route(url, (r) => r.fulfill({
            status: 200, contentType: 'text/html; charset=utf-8',
            body: `<!DOCTYPE html><html lang="en"><head><title>Canary</title><link rel="stylesheet" href="/assets/app.css"></head>
<body><main><h1>Canary</h1><p class="muted" style="color:#c0c0c0">Too faint to read</p>
<form><input type="text" name="unlabelled"></form><noscript><img src="/no-such.png"></noscript></main></body></html>`,
          }));
          await page.goto(url);
          const ids = (await checkPage(page, javaScript, host)).violations.map((v) => v.id).sort();
          expect(ids).toEqual(javaScript ? ['color-contrast', 'label'] : ['color-contrast', 'image-alt', 'label']);
        } finally {
          await context.close();
        }
      }, 60_000);

      for (const locale of LOCALES) {
        it(`the login, logout, error and demo pages in ${locale}`, async () => {
          const { problems, checked, check } = recorder(locale, javaScript);
          const context = await browser.newContext({ javaScriptEnabled: javaScript });
          try {
            const page = await context.newPage();

            // eID selector, reached from an authorization request; the language switcher picks the language (cookie)
            await page.goto(authorizeUrl(server, { formPost: true }));
            await page.waitForURL(/\/login\/select\?/);
            await Promise.all([page.waitForURL(new RegExp(`[?&]lang=${locale}\\b`)), page.click(`.lang-switcher a[hreflang="${locale}"]`)]);
            await check('eID selector', page, locale);

            await Promise.all([page.waitForURL(/\/login\/testid\?/), page.click('button[name="eid"][value="testid"]')]);
            await check('TestID', page, locale);

            // 11 digits (passes the field's pattern) that are no valid number: the server shows the error
            await page.fill('#pid', '12345678901');
            await page.click('#testid-form button[type="submit"]');
            await page.locator('#pid-error').waitFor();
            await check('TestID with an error', page, locale);

            // the response to the client as a form_post page: auto-submitted with JavaScript, a button without
            await page.fill('#pid', PID);
            const posted = rp.next('/callback');
            await page.click('#testid-form button[type="submit"]');
            if (javaScript) await posted;
            else await page.locator('#form-post button[type="submit"]').waitFor({ state: 'visible' });
            expect(await page.locator('form#form-post').count()).toBe(1);
            await check('form_post response', page, null); // the page carries no language choice: see the report

            // organisation picker: radio buttons with "myself", then checkboxes (same client: no new login)
            await page.goto(authorizeUrl(server, { details: [{ type: RESOURCE, resource: EKS }] }));
            await loginIfAsked(page);
            await page.waitForURL(/\/login\/organizations\?/);
            if (javaScript) await page.locator('#org-q').waitFor({ state: 'visible' });
            expect(await page.locator('input[type="radio"][name="orgno"]').count()).toBeGreaterThan(1);
            await check('organisation picker (one)', page, locale);
            if (javaScript) {
              // the search filter (JavaScript only): nothing matches, the note and the live count show
              await page.fill('#org-q', 'finnes ikke');
              await page.locator('#org-empty').waitFor({ state: 'visible' });
              await expect.poll(() => page.locator('#org-count').textContent(), { timeout: 3000 }).toMatch(/\b0\b/);
              await check('organisation picker, a search without matches', page, locale);
            }

            await page.goto(authorizeUrl(server, { details: [{ type: RESOURCE, resource: EKS, allow_multiple_organizations: true }] }));
            await loginIfAsked(page);
            await page.waitForURL(/\/login\/organizations\?/);
            expect(await page.locator('input[type="checkbox"][name="orgno"]').count()).toBeGreaterThan(1);
            await check('organisation picker (several)', page, locale);

            // continue with nothing ticked: the picker again with an announced error
            await page.click('#org-form button[type="submit"]');
            await page.locator('#org-form .alert, .alert[role="alert"]').first().waitFor();
            await check('organisation picker with an error', page, locale);

            // representation required for a resource the person has no rights on
            await page.goto(authorizeUrl(server, { details: [{ type: RESOURCE, resource: NOBODY, representation_is_required: true }] }));
            await loginIfAsked(page);
            await page.locator('form[action$="/login/return"]').waitFor();
            await check('no representation', page, locale);

            // an error page that cannot go back to a client
            await page.goto(`${server.issuer}/authorize?${new URLSearchParams({ client_id: 'no-such-client', response_type: 'code', redirect_uri: `${rp.origin}/callback`, scope: 'openid' }).toString()}`);
            await page.locator('.alert[role="alert"]').waitFor();
            await check('error page (unknown client)', page, locale);

            // logout without id_token_hint while logged in: the confirmation; "no" keeps the session
            const logoutUrl = `${server.issuer}/logout?${new URLSearchParams({ client_id: CLIENT, post_logout_redirect_uri: `${rp.origin}/logged-out`, state: 'a11y' }).toString()}`;
            await page.goto(logoutUrl);
            await page.locator('button[name="answer"][value="stay"]').waitFor();
            await check('logout confirmation', page, locale);
            await page.click('button[name="answer"][value="stay"]');
            await page.waitForURL(/\/logout\/confirm$/);
            expect(await page.locator('button[name="answer"]').count()).toBe(0);
            await check('logout declined', page, locale);

            // "yes": the front-channel logout page (the client's iframe), continuing to the client with JavaScript
            await page.goto(logoutUrl);
            const frameLoaded = rp.next('/fcl');
            const continued = rp.next('/logged-out');
            await page.click('button[name="answer"][value="logout"]');
            await frameLoaded;
            if (javaScript) await continued;
            else await page.locator('#fcl-continue').waitFor({ state: 'visible' });
            expect(await page.locator('iframe[data-fcl]').count()).toBe(1);
            await check('front-channel logout', page, locale);

            // logout with nothing to do: the logged-out page
            await page.goto(`${server.issuer}/logout`);
            await page.waitForURL(/\/logout$/);
            await check('logged out', page, locale);

            // the demo client: its start page, a login, its result page
            await page.goto(`${server.issuer}/demo?lang=${locale}`);
            await check('demo start', page, locale);
            await page.click('form[action="/demo/login"] button[type="submit"]');
            await loginIfAsked(page);
            await page.waitForURL(/\/demo\/callback\?/);
            await page.locator('#h-id-token-claims').waitFor();
            await check('demo result', page, locale);

            // Test Entra ID (acr_values=entraid), and an unknown work account on it
            await page.goto(authorizeUrl(server, { acr: 'entraid' }));
            await page.waitForURL(/\/login\/select\?/);
            await Promise.all([page.waitForURL(/\/login\/testentra\?/), page.click('button[name="eid"][value="testentra"]')]);
            expect(await page.locator('button[name="email"]').count()).toBe(1);
            await check('Test Entra ID', page, locale);
            await page.fill('#email', 'nobody@elsewhere.example');
            await page.click('#testentra-form button[type="submit"]');
            await page.locator('#email-error').waitFor();
            await check('Test Entra ID with an error', page, locale);

            // a provider whose authorisation source is down (last: it shares the cookie host with the first)
            await page.goto(authorizeUrl(down, { details: [{ type: RESOURCE, resource: EKS }], uiLocales: locale }));
            await loginIfAsked(page);
            await page.locator('form[action$="/login/return"]').waitFor();
            await check('temporarily unavailable', page, locale);

            expect(checked).toEqual(javaScript ? [...USER_PAGES.slice(0, 5), 'organisation picker, a search without matches', ...USER_PAGES.slice(5)] : USER_PAGES);
          } finally {
            await context.close();
          }
          expect(problems, `axe-core found WCAG 2.2 AA violations:\n${problems.join('\n')}`).toEqual([]);
        }, 180_000);
      }

      // WCAG 2.2 SC 2.4.11 (Focus Not Obscured), which axe cannot judge: on a short window, every
      // organisation reached with Tab scrolls clear of the sticky "Continue" bar.
      it('keyboard focus in the organisation picker is never hidden under the sticky Continue bar', async () => {
        const context = await browser.newContext({ javaScriptEnabled: javaScript, viewport: { width: 700, height: 420 } });
        try {
          const page = await context.newPage();
          await page.goto(authorizeUrl(server, { details: [{ type: RESOURCE, resource: EKS, allow_multiple_organizations: true }] }));
          await loginIfAsked(page);
          await page.waitForURL(/\/login\/organizations\?/);
          const boxes = await page.locator('#org-list input[type="checkbox"]').count();
          expect(boxes).toBeGreaterThan(3);
          const seen: string[] = [];
          for (let i = 0; i < 40 && seen.length < boxes; i++) {
            await page.keyboard.press('Tab');
            const r = await page.evaluate(() => {
              const el = document.activeElement as HTMLInputElement | null;
              if (!el?.matches('#org-list input[name="orgno"]')) return null;
              const bar = document.querySelector('.sticky-actions')!.getBoundingClientRect();
              const box = el.getBoundingClientRect();
              return { value: el.value, bottom: box.bottom, barTop: bar.top, viewport: window.innerHeight };
            });
            if (!r) continue;
            seen.push(r.value);
            // the box and its focus outline (3px, offset 2px: src/ui/assets.ts) stay above the bar
            expect(r.bottom + 5, `the focused ${r.value} ends at ${r.bottom}px; the bar starts at ${r.barTop}px`).toBeLessThanOrEqual(r.barTop);
          }
          expect(seen).toHaveLength(boxes);
        } finally {
          await context.close();
        }
      }, 60_000);

      it('the self-service pages (English only)', async () => {
        const { problems, checked, check } = recorder('en', javaScript);
        const context = await browser.newContext({ javaScriptEnabled: javaScript });
        try {
          const page = await context.newPage();
          await page.goto(`${server.issuer}/admin`);
          await page.waitForURL(/\/admin\/login$/);
          await check('admin login', page, 'en');

          await page.fill('#admin-token', 'not-the-token');
          await page.click('form[action$="/admin/login"] button[type="submit"]');
          await page.locator('.alert[role="alert"]').waitFor();
          await check('admin login with an error', page, 'en');

          await page.fill('#admin-token', ADMIN_TOKEN);
          await Promise.all([page.waitForURL(/\/admin\/clients$/), page.click('form[action$="/admin/login"] button[type="submit"]')]);
          await check('admin client list', page, 'en');

          await Promise.all([page.waitForURL(/\/admin\/clients\/new$/), page.click('main a.btn[href$="/clients/new"]')]);
          await check('admin new client', page, 'en');

          await page.fill('#f-client_name', 'Made for the accessibility test');
          await page.fill('#f-client_orgno', ORG_A);
          await page.fill('#f-redirect_uris', 'not an absolute URL');
          await page.click('form[action$="/clients/new"] button[type="submit"]');
          await page.locator('.alert[role="alert"]').waitFor();
          await check('admin new client with errors', page, 'en');

          await page.fill('#f-redirect_uris', 'https://a11y-made.example.test/callback');
          await page.click('form[action$="/clients/new"] button[type="submit"]');
          await page.locator('#new-secret').waitFor();
          await check('admin client created (secret)', page, 'en');

          await page.click('a:has-text("Continue to the client")');
          await page.locator('#f-client_name').waitFor();
          await check('admin edit client', page, 'en');

          await Promise.all([page.waitForURL(/\?saved=client$/), page.click('main form button[type="submit"]:has-text("Save changes")')]);
          await check('admin client saved', page, 'en');

          await page.fill('#f-redirect_uris', 'not an absolute URL');
          await page.click('main form button[type="submit"]:has-text("Save changes")');
          await page.locator('.alert[role="alert"]').waitFor();
          await check('admin edit client with errors', page, 'en');

          await page.goto(`${server.issuer}/admin/clients/no-such-client`);
          await check('admin not found', page, 'en');

          expect(checked).toEqual(ADMIN_PAGES);
        } finally {
          await context.close();
        }
        expect(problems, `axe-core found WCAG 2.2 AA violations:\n${problems.join('\n')}`).toEqual([]);
      }, 120_000);
    });
  }
});
