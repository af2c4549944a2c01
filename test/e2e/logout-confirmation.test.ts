/**
 * Logout without proof asks first (OpenID Connect RP-Initiated Logout 1.0 §2): a /logout that a
 * third party makes the browser send — with no id_token_hint, or with someone else's — must not end
 * the user's session until the user confirms on a CSRF-protected page.
 */
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, callbackParams, loginWithTestId, secretOf, startServer, webClient, type Step, type TestServer } from './harness.js';
import { answerLogoutConfirm, confirmAction, isLogoutConfirmPage } from './logout-confirm.js';

const VICTIM = '15895010046';
const ATTACKER = '05830152077';
const BYE = 'https://app.example.test/logged-out';

describe('logout confirmation end to end', () => {
  let server: TestServer;
  let endSession: string;

  beforeAll(async () => {
    server = await startServer({ clients: [webClient('app', { post_logout_redirect_uris: [BYE] })] });
    const doc = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as { end_session_endpoint: string };
    endSession = doc.end_session_endpoint;
  });
  afterAll(async () => server?.close());

  let config: oidc.Configuration | undefined;
  async function login(b: Browser, pid: string) {
    config ??= await oidc.discovery(new URL(server.issuer), 'app', undefined, oidc.ClientSecretBasic(secretOf('app')), { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'https://app.example.test/callback', scope: 'openid profile', state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const step = await loginWithTestId(b, url.href, { pid });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.location!), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    return tokens;
  }

  /** Whether the browser still has its session: prompt=none returns a code instead of login_required. */
  async function stillLoggedIn(b: Browser): Promise<boolean> {
    const url = oidc.buildAuthorizationUrl(config!, {
      redirect_uri: 'https://app.example.test/callback', scope: 'openid profile', state: 'pn', nonce: 'pn', prompt: 'none',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
    });
    const p = callbackParams(await b.go(url.href));
    if (p.get('code')) return true;
    expect(p.get('error')).toBe('login_required');
    return false;
  }

  const logout = (b: Browser, method: 'GET' | 'POST', params: Record<string, string> = {}): Promise<Step> =>
    method === 'POST' ? b.request(endSession, { method: 'POST', form: params }) : b.request(`${endSession}?${new URLSearchParams(params)}`);

  for (const method of ['GET', 'POST'] as const) {
    it(`a ${method} /logout without id_token_hint (forced by another site) only asks; nothing ends until the user confirms`, async () => {
      const b = new Browser(server.issuer);
      const tokens = await login(b, VICTIM);
      const res = await logout(b, method, { client_id: 'app', post_logout_redirect_uri: BYE, state: 'forced' });
      expect(res.status).toBe(200);
      expect(res.location).toBeUndefined();
      expect(isLogoutConfirmPage(res)).toBe(true);
      expect(res.headers.get('cache-control')).toMatch(/no-store/);
      expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      // The session, its cookie and its tokens are intact.
      expect([...b.jar.keys()].some((k) => k.endsWith('ansattporten_session'))).toBe(true);
      expect(await stillLoggedIn(b)).toBe(true);
      const info = await oidc.fetchUserInfo(config!, tokens.access_token, tokens.claims()!.sub);
      expect(info.sub).toBe(tokens.claims()!.sub);
      // The user confirms: logged out and sent back as the original request asked.
      const done = await answerLogoutConfirm(b, res, 'logout');
      expect(done.status).toBe(method === 'GET' ? 302 : 303);
      expect(done.location).toBe(`${BYE}?state=forced`);
      expect(await stillLoggedIn(b)).toBe(false);
    });
  }

  it("someone else's valid id_token as id_token_hint does not prove the victim's session", async () => {
    const attacker = new Browser(server.issuer);
    const attackerTokens = await login(attacker, ATTACKER);
    const victim = new Browser(server.issuer);
    await login(victim, VICTIM);
    const res = await logout(victim, 'GET', { id_token_hint: attackerTokens.id_token!, post_logout_redirect_uri: BYE, state: 'evil' });
    expect(isLogoutConfirmPage(res)).toBe(true);
    expect(res.location).toBeUndefined();
    expect(await stillLoggedIn(victim)).toBe(true);
    // The attacker's own hint, in the attacker's own browser, logs the attacker out at once.
    const own = await logout(attacker, 'GET', { id_token_hint: attackerTokens.id_token!, post_logout_redirect_uri: BYE, state: 'own' });
    expect(own.status).toBe(302);
    expect(own.location).toBe(`${BYE}?state=own`);
  });

  it('a forged answer (no csrf, wrong csrf, another browser, a made-up id) is refused with 403 and ends nothing', async () => {
    const b = new Browser(server.issuer);
    await login(b, VICTIM);
    const page = await logout(b, 'GET');
    expect(isLogoutConfirmPage(page)).toBe(true);
    const action = confirmAction(page);
    const forgeries: [Browser, Record<string, string>][] = [
      [b, { answer: 'logout' }],
      [b, { flow: 'x'.repeat(32), csrf: 'y'.repeat(32), answer: 'logout' }],
    ];
    const csrfOnly = await answerLogoutConfirm(b, page, 'logout', { csrf: 'wrong-csrf-value-0123456789abcdef' });
    expect(csrfOnly.status).toBe(403);
    // A cross-site form post carries no csrf token and (SameSite=Lax) no cookie: it comes from "another browser".
    const elsewhere = new Browser(server.issuer);
    await login(elsewhere, ATTACKER);
    const stolen = await answerLogoutConfirm(elsewhere, page, 'logout');
    expect(stolen.status).toBe(403);
    expect(await stillLoggedIn(elsewhere)).toBe(true);
    for (const [who, form] of forgeries) {
      const r = await who.request(action, { method: 'POST', form });
      expect(r.status).toBe(403);
      expect(r.location).toBeUndefined();
    }
    expect(await stillLoggedIn(b)).toBe(true);
    // The genuine answer still works afterwards.
    const done = await answerLogoutConfirm(b, page, 'logout');
    expect(done.status).toBe(200);
    expect(done.html).toContain('Du er logget ut');
    expect(await stillLoggedIn(b)).toBe(false);
    // …once.
    expect((await answerLogoutConfirm(b, page, 'logout')).status).toBe(403);
  });

  it('declining keeps the session; the question cannot be answered again', async () => {
    const b = new Browser(server.issuer);
    const tokens = await login(b, VICTIM);
    const page = await logout(b, 'GET', { client_id: 'app', post_logout_redirect_uri: BYE, state: 's' });
    const kept = await answerLogoutConfirm(b, page, 'stay');
    expect(kept.status).toBe(200);
    expect(kept.location).toBeUndefined();
    expect(kept.html).toContain('Du er fortsatt logget inn');
    expect(await stillLoggedIn(b)).toBe(true);
    expect((await oidc.fetchUserInfo(config!, tokens.access_token, tokens.claims()!.sub)).sub).toBe(tokens.claims()!.sub);
    expect((await answerLogoutConfirm(b, page, 'logout')).status).toBe(403);
    expect(await stillLoggedIn(b)).toBe(true);
  });

  it('a valid id_token_hint for the session logs out at once, as before', async () => {
    const b = new Browser(server.issuer);
    const tokens = await login(b, VICTIM);
    const res = await logout(b, 'POST', { id_token_hint: tokens.id_token!, post_logout_redirect_uri: BYE, state: 'ok' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${BYE}?state=ok`);
    expect(await stillLoggedIn(b)).toBe(false);
  });

  it("asks in the user's language (ui_locales, then the language switcher), with lang set", async () => {
    const b = new Browser(server.issuer);
    await login(b, VICTIM);
    const expected = { nb: 'Vil du logge ut?', nn: 'Vil du logge ut?', en: 'Do you want to log out?', se: 'Háliidatgo čálihit olggos?' } as const;
    for (const locale of ['en', 'se', 'nn'] as const) {
      const page = await logout(b, 'GET', { ui_locales: locale });
      expect(page.html).toContain(`<html lang="${locale}">`);
      expect(page.html).toContain(`<h1>${expected[locale]}</h1>`);
    }
    const page = await logout(b, 'GET', { ui_locales: 'en' });
    const flow = new URLSearchParams(decodeURIComponent(/href="([^"]*lang=se[^"]*)"/.exec(page.html)![1]!.split('?')[1]!.replace(/&amp;/g, '&'))).get('flow');
    const switched = await b.request(`${confirmAction(page)}?${new URLSearchParams({ flow: flow!, lang: 'se' })}`);
    expect(switched.status).toBe(200);
    expect(switched.html).toContain('<html lang="se">');
    expect(isLogoutConfirmPage(switched)).toBe(true);
    // The switched page answers the same question.
    const done = await answerLogoutConfirm(b, switched, 'logout');
    expect(done.status).toBe(200);
    expect(done.html).toContain('<html lang="se">');
    expect(await stillLoggedIn(b)).toBe(false);
  });

  it('without a session there is nothing to confirm', async () => {
    const b = new Browser(server.issuer);
    const res = await logout(b, 'GET');
    expect(isLogoutConfirmPage(res)).toBe(false);
    expect(res.status).toBe(200);
    expect(res.html).toContain('Du er logget ut');
  });
});
