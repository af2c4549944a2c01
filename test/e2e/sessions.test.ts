import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { type Browser, callbackParams, freePort, startServer, webClient, type Step, type TestServer } from './harness.js';
import { CheckedBrowser, authorizeUrl, newPkce, redeem } from './checks.js';

const MIN = 60_000;
const sessionClient = (id: string) => webClient(id, { frontchannel_logout_uri: `https://${id}.example.test/fcl`, frontchannel_logout_session_required: true });

/** Isolated SSO and the shared session timers (spec §11), with a controlled clock. */
describe('isolated SSO and session timers', () => {
  let server: TestServer;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = new ManualClock();
    server = await startServer({ clock, clients: [sessionClient('a'), sessionClient('b')] });
  });
  afterAll(async () => server?.close());

  interface Login {
    /** Did the user have to pass the eID selector (true) or did the provider answer silently (false)? */
    interactive: boolean;
    claims: Record<string, any>;
    select?: Step;
    last: Step;
  }

  /** One authorization request; authenticates with TestID if the provider asks; redeems the code. */
  async function login(b: Browser, client: string, params: Record<string, string> = {}, onSelect?: (select: Step) => Promise<Step>): Promise<Login> {
    const pkce = newPkce();
    const first = await b.go(authorizeUrl(server.issuer, client, { nonce: `n-${client}`, ...params }, pkce.challenge));
    let last = first;
    let interactive = false;
    let select: Step | undefined;
    if (first.url.includes('/login/select')) {
      interactive = true;
      select = onSelect ? await onSelect(first) : first;
      const testid = await b.submit(select, '/login/select', { eid: 'testid' });
      expect(testid.url).toContain('/login/testid');
      last = await b.submit(testid, '/login/testid', { pid: '15895010046', acr: 'substantial' });
    }
    const cb = callbackParams(last);
    const code = cb.get('code');
    if (!code) throw new Error(`no code: ${last.status} ${last.location ?? last.html.slice(0, 500)}`);
    expect(cb.get('iss')).toBe(server.issuer);
    const res = await redeem(server.issuer, client, { code, verifier: pkce.verifier, redirectUri: `https://${client}.example.test/callback` });
    expect(res.status, res.text).toBe(200);
    const claims = decodeJwt(res.json.id_token) as Record<string, any>;
    expect(claims.nonce).toBe(`n-${client}`);
    return { interactive, claims, select, last };
  }

  /** Where an authorization request lands without any user interaction. */
  async function probe(b: Browser, client: string, params: Record<string, string> = {}): Promise<Step> {
    return b.go(authorizeUrl(server.issuer, client, params));
  }

  it('a silent re-login to the same client within the timers keeps auth_time and sid', async () => {
    const b = new CheckedBrowser(server.issuer);
    const first = await login(b, 'a');
    expect(first.interactive).toBe(true);
    clock.advance(5 * MIN);
    const second = await login(b, 'a');
    expect(second.interactive).toBe(false);
    expect(second.last.url).toContain('/authorize');
    expect(second.claims.auth_time).toBe(first.claims.auth_time);
    expect(second.claims.sid).toBe(first.claims.sid);
    expect(second.claims.sub).toBe(first.claims.sub);
    expect(second.claims.iat).toBe(first.claims.iat + 300);
  });

  it('another client must authenticate, within the same browser session', async () => {
    const b = new CheckedBrowser(server.issuer);
    const a = await login(b, 'a');
    clock.advance(MIN);
    const step = await probe(b, 'b');
    expect(step.url).toContain('/login/select');
    const other = await login(b, 'b');
    expect(other.interactive).toBe(true);
    expect(other.claims.auth_time).toBe(a.claims.auth_time + 60);
    expect(other.claims.sub).not.toBe(a.claims.sub); // pairwise
    expect(other.claims.sid).toBe(a.claims.sid); // one sid per browser session
    // and both contexts are now silent
    expect((await login(b, 'a')).interactive).toBe(false);
    expect((await login(b, 'b')).interactive).toBe(false);
  });

  it('prompt=login forces the eID selector and gives a new auth_time', async () => {
    const b = new CheckedBrowser(server.issuer);
    const first = await login(b, 'a');
    clock.advance(10_000);
    const forced = await login(b, 'a', { prompt: 'login' });
    expect(forced.interactive).toBe(true);
    expect(forced.claims.auth_time).toBe(first.claims.auth_time + 10);
    expect(forced.claims.sid).toBe(first.claims.sid);
    // afterwards the new context is reused
    const again = await login(b, 'a');
    expect(again.interactive).toBe(false);
    expect(again.claims.auth_time).toBe(forced.claims.auth_time);
  });

  it('max_age=0 forces the eID selector, even in the same second', async () => {
    const b = new CheckedBrowser(server.issuer);
    await login(b, 'a');
    const step = await probe(b, 'a', { max_age: '0' });
    expect(step.url).toContain('/login/select');
  });

  it('max_age is honoured: within → silent, exceeded → the eID selector', async () => {
    const b = new CheckedBrowser(server.issuer);
    const first = await login(b, 'a');
    clock.advance(2 * MIN);
    const within = await login(b, 'a', { max_age: '600' });
    expect(within.interactive).toBe(false);
    expect(within.claims.auth_time).toBe(first.claims.auth_time);
    const exceeded = await login(b, 'a', { max_age: '60' });
    expect(exceeded.interactive).toBe(true);
    expect(exceeded.claims.auth_time).toBe(first.claims.auth_time + 120);
  });

  it('after 31 minutes of inactivity a login to the same client must authenticate, with a new sid', async () => {
    const b = new CheckedBrowser(server.issuer);
    const first = await login(b, 'a');
    clock.advance(29 * MIN);
    expect((await login(b, 'a')).interactive).toBe(false); // 29 min: alive, and the idle timer restarts
    clock.advance(29 * MIN);
    expect((await login(b, 'a')).interactive).toBe(false);
    clock.advance(31 * MIN);
    const after = await login(b, 'a');
    expect(after.interactive).toBe(true);
    expect(after.claims.sid).not.toBe(first.claims.sid);
    expect(after.claims.auth_time).toBeGreaterThan(first.claims.auth_time);
  });

  it('activity every 20 minutes keeps the session until 120 minutes after the first login, for every client', async () => {
    const b = new CheckedBrowser(server.issuer);
    const first = await login(b, 'a');
    clock.advance(20 * MIN);
    const bLogin = await login(b, 'b'); // b joins the session at 20 min; the absolute timer still counts from the first login
    expect(bLogin.interactive).toBe(true);
    for (let t = 40; t <= 100; t += 20) {
      clock.advance(20 * MIN);
      expect((await login(b, 'a')).interactive, `a at ${t} min`).toBe(false);
    }
    clock.advance(19 * MIN); // 119 min
    const b119 = await login(b, 'b');
    expect(b119.interactive).toBe(false);
    expect(b119.claims.sid).toBe(first.claims.sid);
    clock.advance(MIN + 1000); // 120 min + 1 s
    expect((await probe(b, 'b')).url).toContain('/login/select');
    const renewed = await login(b, 'a');
    expect(renewed.interactive).toBe(true);
    expect(renewed.claims.sid).not.toBe(first.claims.sid);
  });

  it('prompt=none within the timers answers silently; after expiry → login_required', async () => {
    const b = new CheckedBrowser(server.issuer);
    const first = await login(b, 'a');
    const silent = await login(b, 'a', { prompt: 'none' });
    expect(silent.interactive).toBe(false);
    expect(silent.claims.auth_time).toBe(first.claims.auth_time);
    clock.advance(31 * MIN);
    const step = await probe(b, 'a', { prompt: 'none', state: 'pn' });
    const p = new URL(step.location!).searchParams;
    expect(step.location).toMatch(/^https:\/\/a\.example\.test\/callback\?/);
    expect(p.get('error')).toBe('login_required');
    expect(p.get('state')).toBe('pn');
    expect(p.get('iss')).toBe(server.issuer);
    // and prompt=none for a client that never logged in in this session
    const b2 = new CheckedBrowser(server.issuer);
    await login(b2, 'a');
    const other = await probe(b2, 'b', { prompt: 'none' });
    expect(new URL(other.location!).searchParams.get('error')).toBe('login_required');
  });

  it('a forged or foreign session cookie gives no session', async () => {
    const victim = new CheckedBrowser(server.issuer);
    await login(victim, 'a');
    const forged = new CheckedBrowser(server.issuer);
    forged.jar.set('ansattporten_session', 'A'.repeat(43));
    expect((await probe(forged, 'a')).url).toContain('/login/select');
    const junk = new CheckedBrowser(server.issuer);
    junk.jar.set('ansattporten_session', '"<script>;%00');
    expect((await probe(junk, 'a')).url).toContain('/login/select');
  });

  it('the session cookie is HttpOnly and SameSite=Lax', async () => {
    const b = new CheckedBrowser(server.issuer);
    const l = await login(b, 'a');
    const cookies = l.last.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('ansattporten_session='));
    expect(session, cookies.join('\n')).toBeTruthy();
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=Lax/i);
    expect(session).toMatch(/;\s*Path=\//i);
    expect(session).not.toMatch(/Domain=/i);
    // no persistent expiry on the session cookie: it is a browser-session cookie
    expect(session).not.toMatch(/Expires=|Max-Age=[1-9]/i);
    for (const c of cookies) {
      expect(c).toMatch(/HttpOnly/i);
      expect(c).toMatch(/SameSite=Lax/i);
    }
  });

  describe('language', () => {
    it('ui_locales=en gives English pages and locale en in the id_token', async () => {
      const b = new CheckedBrowser(server.issuer);
      let seen: Step | undefined;
      const l = await login(b, 'a', { ui_locales: 'en' }, async (select) => {
        seen = select;
        return select;
      });
      expect(seen!.html).toContain('<html lang="en">');
      expect(seen!.html).toContain('Choose electronic ID');
      expect(l.claims.locale).toBe('en');
    });

    it('ui_locales takes the first supported tag; default is nb', async () => {
      const b = new CheckedBrowser(server.issuer);
      expect((await login(b, 'a', { ui_locales: 'de fr nn en' })).claims.locale).toBe('nn');
      const c = new CheckedBrowser(server.issuer);
      const l = await login(c, 'a', {}, async (select) => {
        expect(select.html).toContain('<html lang="nb">');
        return select;
      });
      expect(l.claims.locale).toBe('nb');
    });

    it('picking a language on a login page wins over ui_locales and gives locale nn', async () => {
      const b = new CheckedBrowser(server.issuer);
      const l = await login(b, 'a', { ui_locales: 'en' }, async (select) => {
        expect(select.html).toContain('<html lang="en">');
        const switched = await b.go(`${select.url}&lang=nn`);
        expect(switched.status).toBe(200);
        expect(switched.html).toContain('<html lang="nn">');
        expect(switched.html).toContain('Vel elektronisk ID');
        const langCookie = switched.headers.getSetCookie().find((c) => c.startsWith('ansattporten_lang='));
        expect(langCookie).toMatch(/^ansattporten_lang=nn;/);
        expect(langCookie).toMatch(/HttpOnly/i);
        return switched;
      });
      expect(l.claims.locale).toBe('nn');

      // the language chosen on the page is remembered and overrides ui_locales later (spec §5.4)
      const next = await probe(b, 'b', { ui_locales: 'en' });
      expect(next.url).toContain('/login/select');
      expect(next.html).toContain('<html lang="nn">');
    });

    it('an unsupported lang value is ignored', async () => {
      const b = new CheckedBrowser(server.issuer);
      const select = await probe(b, 'a', { ui_locales: 'en' });
      const page = await b.go(`${select.url}&lang=xx`);
      expect(page.status).toBe(200);
      expect(page.html).toContain('<html lang="en">');
      expect(page.headers.getSetCookie().some((c) => c.startsWith('ansattporten_lang='))).toBe(false);
    });
  });
});

describe('cookies on an https issuer', () => {
  let server: TestServer;
  let port: number;
  const issuer = 'https://ansattporten.example.test';

  beforeAll(async () => {
    port = await freePort();
    server = await startServer({ port, env: { ISSUER: issuer }, clients: [webClient('a')] });
  });
  afterAll(async () => server?.close());

  /** Talks to the provider over loopback http while it believes it is at `issuer`. */
  class LoopbackBrowser extends CheckedBrowser {
    override async request(url: string, init: Parameters<Browser['request']>[1] = {}): Promise<Step> {
      const local = url.startsWith(issuer) ? `http://127.0.0.1:${port}${url.slice(issuer.length)}` : url;
      return super.request(local, init);
    }
  }

  it('every cookie is __Host-, Secure, HttpOnly and SameSite=Lax', async () => {
    const b = new LoopbackBrowser(issuer);
    const select = await b.go(authorizeUrl(issuer, 'a'));
    expect(select.url).toContain('/login/select');
    const testid = await b.submit(select, '/login/select', { eid: 'testid' });
    const done = await b.submit(testid, '/login/testid', { pid: '15895010046', acr: 'substantial' });
    expect(callbackParams(done).get('code')).toBeTruthy();
    const session = done.headers.getSetCookie().find((c) => c.startsWith('__Host-ansattporten_session='));
    expect(session).toBeTruthy();
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=Lax/i);
    expect(session).toMatch(/;\s*Path=\//i);
    expect(session).not.toMatch(/Domain=/i);
    expect([...b.jar.keys()].every((k) => k.startsWith('__Host-'))).toBe(true);
    expect(done.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });
});
