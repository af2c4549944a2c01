/**
 * The organisation picker in a real browser (headless Chromium through playwright-core): a real
 * login from an authorization URL to a callback server, with 300 organisations (main units with
 * sub-units). Checks the search filter, the live count, keyboard selection and what is issued.
 *
 * Skips itself only when /usr/bin/chromium is missing (CI installs it). Never downloads a browser.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import type { Browser as PwBrowser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrgno } from '../../src/core/orgno.js';
import { freePort, secretOf, startServer, webClient, type TestServer } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`picker-browser.test.ts: skipped because ${CHROMIUM} does not exist (install Debian's chromium to run it)`);

const PID = '15895010046';
const RESOURCE = 'ansattporten:altinn:resource';
const EKS = 'urn:altinn:resource:eksempel-tjeneste';
const WORDS = ['NORDLYS', 'FJELLBEKK', 'SOLSTRÅLE', 'HAVBRIS', 'LYNGHEI', 'SKOGLY', 'ELVEDAL', 'VIDDA', 'KYSTLYS', 'MOLTEMYR'];

interface Org { orgno: string; name: string; unit_type: string; parent_orgno: string | null; deleted: boolean }

/** 100 main units with 2 sub-units each = 300 organisations, all with a right on eksempel-tjeneste. */
function generate(): { orgs: Org[]; zebraSor: Org; zebraNord: Org; zebraSorMain: Org; zebraSorSibling: Org } {
  let n = 0;
  const next = (): string => {
    for (;;) {
      const o = makeOrgno(`32${String(n++).padStart(6, '0')}`);
      if (o) return o;
    }
  };
  const orgs: Org[] = [];
  const mains: Org[] = [];
  const subs: Org[][] = [];
  for (let i = 0; i < 100; i++) {
    const main: Org = { orgno: next(), name: `${WORDS[i % WORDS.length]} ${String(i).padStart(3, '0')} AS`, unit_type: 'AS', parent_orgno: null, deleted: false };
    const pair: Org[] = [];
    for (const [j, avd] of ['NORD', 'SØR'].entries()) {
      let suffix = `AVD ${avd}`;
      if (i === 42 && j === 1) suffix = 'AVD ZEBRAFJELL SØR';
      if (i === 7 && j === 0) suffix = 'AVD ZEBRAFJELL NORD';
      pair.push({ orgno: next(), name: `${main.name} ${suffix}`, unit_type: 'BEDR', parent_orgno: main.orgno, deleted: false });
    }
    mains.push(main);
    subs.push(pair);
    orgs.push(main, ...pair);
  }
  return { orgs, zebraSor: subs[42]![1]!, zebraSorMain: mains[42]!, zebraSorSibling: subs[42]![0]!, zebraNord: subs[7]![0]! };
}

const world = generate();
const FIXTURES = {
  persons: [{ pid: PID, given_name: 'FIKTIV', family_name: 'TESTPERSON' }],
  organizations: world.orgs,
  resources: [{ id: 'eksempel-tjeneste', name: 'Eksempeltjeneste' }],
  rights: world.orgs.map((o) => ({ pid: PID, orgno: o.orgno, resource: 'eksempel-tjeneste', actions: ['read'] })),
  employer_rules: [],
};

describe.skipIf(!HAVE_CHROMIUM)('organisation picker in headless Chromium', () => {
  let server: TestServer;
  let callback: Server;
  let callbackUrl: string;
  const received: string[] = [];
  const waiters: ((url: string) => void)[] = [];
  let browser: PwBrowser;

  beforeAll(async () => {
    callback = createServer((req, res) => {
      const url = new URL(req.url ?? '/', callbackUrl);
      if (url.pathname !== '/callback') { // e.g. the browser's /favicon.ico
        res.writeHead(404).end();
        return;
      }
      received.push(url.href);
      waiters.shift()?.(url.href);
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('callback received');
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(callback.address() as { port: number }).port}/callback`;
    const port = await freePort();
    server = await startServer({
      port, env: { ISSUER: `http://127.0.0.1:${port}` }, fixtures: FIXTURES,
      clients: [webClient('picker', { redirect_uris: [callbackUrl] })],
    });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise<void>((resolve) => (callback ? callback.close(() => resolve()) : resolve()));
  });

  const nextCallback = () => new Promise<string>((resolve) => waiters.push(resolve));

  async function configFor(): Promise<oidc.Configuration> {
    return oidc.discovery(new URL(server.issuer), 'picker', undefined, oidc.ClientSecretBasic(secretOf('picker')), { execute: [oidc.allowInsecureRequests] });
  }

  interface Login { config: oidc.Configuration; verifier: string; state: string; nonce: string; url: URL }
  async function authorizationUrl(details: unknown[]): Promise<Login> {
    const config = await configFor();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callbackUrl, scope: 'openid profile', state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      authorization_details: JSON.stringify(details),
    });
    return { config, verifier, state, nonce, url };
  }

  /** eID selector (mouse) and TestID (keyboard) up to the picker. */
  async function loginToPicker(page: Page, login: Login): Promise<void> {
    await page.goto(login.url.href);
    await page.waitForURL(/\/login\/select\?/);
    await page.locator('button[name="eid"][value="testid"]').click();
    await page.waitForURL(/\/login\/testid\?/);
    await page.locator('#pid').click();
    await page.keyboard.type(PID);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/login\/organizations\?/);
    await page.locator('#org-q').waitFor({ state: 'visible' });
  }

  const visibleOrgnos = (page: Page) => page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement>('#org-list input[name="orgno"]')].filter((e) => e.checkVisibility()).map((e) => e.value).sort());
  const countText = (page: Page) => page.locator('#org-count').textContent();
  const focusedValue = (page: Page) => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value ?? null);
  const focusedIs = (page: Page, selector: string) => page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

  /** Clears the search box and types `q` with the keyboard. */
  async function search(page: Page, q: string): Promise<void> {
    await page.locator('#org-q').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    if (q) await page.keyboard.type(q);
  }

  async function exchange(login: Login, url: string) {
    const tokens = await oidc.authorizationCodeGrant(login.config, new URL(url), {
      pkceCodeVerifier: login.verifier, expectedState: login.state, expectedNonce: login.nonce,
    });
    expect(tokens.claims()!.authorization_details).toEqual(tokens.authorization_details);
    expect(decodeJwt(tokens.access_token).authorization_details).toEqual(tokens.authorization_details);
    return tokens.authorization_details as { type: string; resource: string; authorized_parties: { orgno: { ID: string } }[] }[];
  }

  /** Runs axe-core on the page when it happens to be installed; silently does nothing otherwise. */
  async function axeIfInstalled(page: Page): Promise<void> {
    let axe: { source: string } | undefined;
    try {
      const name = 'axe-core';
      axe = (await import(name)) as { source: string };
      axe = (axe as { default?: { source: string } }).default ?? axe;
    } catch {
      return;
    }
    if (!axe?.source) return;
    await page.evaluate(axe.source); // evaluate is not subject to the page's CSP
    const result = await page.evaluate(async () => {
      const r = await (globalThis as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<{ violations: { id: string; impact: string }[] }> } })
        .axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => `${v.impact}: ${v.id}`);
    });
    expect(result.filter((v) => v.startsWith('critical') || v.startsWith('serious'))).toEqual([]);
  }

  let context: BrowserContext;
  beforeAll(async () => {
    context = await browser.newContext();
  });
  afterAll(async () => context?.close());

  it('filters 300 organisations, announces the count, selects with the keyboard and issues the choice', async () => {
    const page = await context.newPage();
    const login = await authorizationUrl([{ type: RESOURCE, resource: EKS }]);
    await loginToPicker(page, login);

    // everything is listed: 300 choices plus "myself"
    expect(await page.locator('#org-list input[name="orgno"]').count()).toBe(300);
    expect(await page.locator('input[name="orgno"][value="self"]').count()).toBe(1);
    expect((await visibleOrgnos(page)).length).toBe(300);
    await expect.poll(() => countText(page)).toMatch(/\b300\b.*\b300\b/);
    await axeIfInstalled(page);

    // a word shared by ten main units: those and their sub-units remain
    await search(page, 'solstråle');
    const sol = world.orgs.filter((o) => o.name.includes('SOLSTRÅLE')).map((o) => o.orgno).sort();
    expect(sol.length).toBe(30);
    await expect.poll(() => visibleOrgnos(page)).toEqual(sol);
    await expect.poll(() => countText(page), { timeout: 3000 }).toMatch(/\b30\b.*\b300\b/);

    // only one sub-unit matches: it and its main unit stay visible, its sibling and all others go
    await search(page, 'zebrafjell sør');
    await expect.poll(() => visibleOrgnos(page)).toEqual([world.zebraSorMain.orgno, world.zebraSor.orgno].sort());
    expect(await page.locator(`input[value="${world.zebraSorSibling.orgno}"]`).isVisible()).toBe(false);
    expect(await page.locator(`input[value="${world.zebraSorMain.orgno}"]`).isVisible()).toBe(true);
    await expect.poll(() => countText(page), { timeout: 3000 }).toMatch(/\b1\b.*\b300\b/);

    // an organisation number typed with spaces
    const o = world.zebraNord.orgno;
    await search(page, `${o.slice(0, 3)} ${o.slice(3, 6)} ${o.slice(6)}`);
    await expect.poll(() => visibleOrgnos(page)).toEqual([world.zebraNord.parent_orgno!, o].sort());

    // nothing matches: the "no match" note appears
    await search(page, 'finnes ikke i det hele tatt');
    await expect.poll(() => visibleOrgnos(page)).toEqual([]);
    expect(await page.locator('#org-empty').isVisible()).toBe(true);
    await expect.poll(() => countText(page), { timeout: 3000 }).toMatch(/\b0\b.*\b300\b/);

    // keyboard: from the search box, Tab into the radio group, arrows to the sub-unit, Space
    await search(page, 'zebrafjell sør');
    await expect.poll(() => visibleOrgnos(page)).toHaveLength(2);
    await page.keyboard.press('Tab');
    expect(await focusedIs(page, 'input[type="radio"][name="orgno"]')).toBe(true);
    for (let i = 0; i < 5 && (await focusedValue(page)) !== world.zebraSor.orgno; i++) await page.keyboard.press('ArrowDown');
    expect(await focusedValue(page)).toBe(world.zebraSor.orgno);
    await page.keyboard.press('Space');
    expect(await page.locator(`input[value="${world.zebraSor.orgno}"]`).isChecked()).toBe(true);
    expect(await page.locator('input[name="orgno"]:checked').count()).toBe(1);

    // Tab on to the continue button and submit with Enter
    for (let i = 0; i < 10 && !(await focusedIs(page, '#org-form button[type="submit"]')); i++) await page.keyboard.press('Tab');
    expect(await focusedIs(page, '#org-form button[type="submit"]')).toBe(true);
    const cb = nextCallback();
    await page.keyboard.press('Enter');
    const url = await cb;
    const params = new URL(url).searchParams;
    expect(params.get('code')).toBeTruthy();
    expect(params.get('state')).toBe(login.state);
    expect(params.get('iss')).toBe(server.issuer);

    const details = await exchange(login, url);
    expect(details).toHaveLength(1);
    expect(details[0]!.authorized_parties.map((p) => p.orgno.ID)).toEqual([`0192:${world.zebraSor.orgno}`]);
    await page.close();
  }, 60_000);

  it('several organisations with checkboxes: Tab/Space, the previous choice pre-selected, no re-authentication', async () => {
    const page = await context.newPage(); // same browser context: the session from the first test
    const login = await authorizationUrl([{ type: RESOURCE, resource: EKS, allow_multiple_organizations: true }]);
    await page.goto(login.url.href);
    await page.waitForURL(/\/login\/organizations\?/); // straight to the picker
    await page.locator('#org-q').waitFor({ state: 'visible' });
    expect(await page.locator('#org-list input[type="checkbox"][name="orgno"]').count()).toBe(300);
    // the previous choice is checked, and a checked row stays visible whatever the search
    expect(await page.locator(`input[value="${world.zebraSor.orgno}"]`).isChecked()).toBe(true);
    await axeIfInstalled(page);

    await search(page, 'zebrafjell nord');
    const expected = [world.zebraNord.orgno, world.zebraNord.parent_orgno!, world.zebraSor.orgno, world.zebraSorMain.orgno].sort();
    await expect.poll(() => visibleOrgnos(page)).toEqual(expected);

    // Tab through the visible checkboxes and tick the one that matches with Space
    const target = world.zebraNord.orgno;
    for (let i = 0; i < 10 && (await focusedValue(page)) !== target; i++) await page.keyboard.press('Tab');
    expect(await focusedValue(page)).toBe(target);
    await page.keyboard.press('Space');
    expect(await page.locator(`input[value="${target}"]`).isChecked()).toBe(true);
    // untick the previous choice (listed before it: SOLSTRÅLE 042 < VIDDA 007) with Shift+Tab and Space
    for (let i = 0; i < 10 && (await focusedValue(page)) !== world.zebraSor.orgno; i++) await page.keyboard.press('Shift+Tab');
    expect(await focusedValue(page)).toBe(world.zebraSor.orgno);
    await page.keyboard.press('Space');
    expect(await page.locator(`input[value="${world.zebraSor.orgno}"]`).isChecked()).toBe(false);
    // and tick a main unit as well
    await search(page, world.zebraSorMain.name.toLowerCase().replace(/ as$/, ''));
    for (let i = 0; i < 10 && (await focusedValue(page)) !== world.zebraSorMain.orgno; i++) await page.keyboard.press('Tab');
    expect(await focusedValue(page)).toBe(world.zebraSorMain.orgno);
    await page.keyboard.press('Space');
    expect(await page.locator('input[name="orgno"]:checked').count()).toBe(2);

    const cb = nextCallback();
    await page.locator('#org-form button[type="submit"]').click();
    const url = await cb;
    expect(new URL(url).searchParams.get('code')).toBeTruthy();
    const details = await exchange(login, url);
    // in the order of the source (fixture order): main unit 42 comes after main unit 7's sub-unit
    expect(details[0]!.authorized_parties.map((p) => p.orgno.ID)).toEqual([`0192:${target}`, `0192:${world.zebraSorMain.orgno}`]);
    expect(received.length).toBe(2);
    await page.close();
  }, 60_000);
});
