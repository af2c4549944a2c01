/**
 * Attacks on the browser session and on the short-lived store, through real HTTP:
 * session fixation, a login in progress outliving its session, and floods of unauthenticated
 * requests. Each test performs the attack and shows that it fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { Browser, callbackParams, decodeEntities, loginWithTestId, startServer, webClient, type Step, type TestServer } from './harness.js';
import { authorizeUrl, http } from './checks.js';
import { startRelyingParty, waitFor, type RelyingParty } from './relying-party.js';
import { answerLogoutConfirm } from './logout-confirm.js';

const MIN = 60_000;
const KARI = '15895010046';
const OLA = '23846821082';
const RAR = JSON.stringify([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:eksempel-tjeneste' }]);

describe('session fixation and flows bound to their session', () => {
  let server: TestServer;
  let rp: RelyingParty;
  const clock = new ManualClock();
  const SESSION = 'ansattporten_session';

  beforeAll(async () => {
    rp = await startRelyingParty();
    server = await startServer({
      clock,
      clients: [webClient('a', { redirect_uris: ['https://a.example.test/callback', `${rp.origin}/callback`], backchannel_logout_uri: `${rp.origin}/bcl`, frontchannel_logout_uri: `${rp.origin}/fcl`, frontchannel_logout_session_required: true }), webClient('b'), webClient('c')],
    });
    rp.providerOrigin = server.issuer;
  });
  afterAll(async () => {
    await server?.close();
    await rp?.close();
  });

  const code = (step: Step) => callbackParams(step).get('code');
  const silent = async (b: Browser, client: string) => callbackParams(await b.go(authorizeUrl(server.issuer, client, { prompt: 'none' })));

  it('the session cookie changes whenever a person authenticates, and the previous value is worthless', async () => {
    const b = new Browser(server.issuer);
    expect(code(await loginWithTestId(b, authorizeUrl(server.issuer, 'a'), { pid: KARI }))).toBeTruthy();
    const first = b.jar.get(SESSION)!;
    expect(first).toBeTruthy();
    // the same person authenticates again, for another client: same session, new cookie value
    expect(code(await loginWithTestId(b, authorizeUrl(server.issuer, 'b'), { pid: KARI }))).toBeTruthy();
    const second = b.jar.get(SESSION)!;
    expect(second).not.toBe(first);
    expect((await silent(b, 'a')).get('code')).toBeTruthy(); // the session and its contexts live on
    const old = new Browser(server.issuer);
    old.jar.set(SESSION, first);
    expect((await silent(old, 'a')).get('error')).toBe('login_required');
  });

  it('a cookie planted before the victim logs in is worthless afterwards, and the victim never inherits the attacker\'s contexts', async () => {
    // the attacker logs in as himself and plants his session cookie in the victim's browser
    const attacker = new Browser(server.issuer);
    expect(code(await loginWithTestId(attacker, authorizeUrl(server.issuer, 'a'), { pid: OLA }))).toBeTruthy();
    const planted = attacker.jar.get(SESSION)!;
    const victim = new Browser(server.issuer);
    victim.jar.set(SESSION, planted);
    rp.reset();
    // the victim authenticates as herself for client b; on the way back, the attacker's session's
    // clients are logged out in the browser too (front-channel frames, then on to client b)
    const answered = await loginWithTestId(victim, authorizeUrl(server.issuer, 'b'), { pid: KARI });
    expect(answered.status).toBe(200);
    const frames = [...answered.html.matchAll(/<iframe data-fcl src="([^"]+)"/g)].map((m) => decodeEntities(m[1]!));
    expect(frames).toHaveLength(1);
    expect(frames[0]).toContain(`${rp.origin}/fcl?iss=`);
    expect(answered.headers.get('content-security-policy')).toContain(`frame-src ${rp.origin}`);
    const onward = decodeEntities(/id="fcl-continue" href="([^"]+)"/.exec(answered.html)![1]!);
    expect(onward.startsWith('https://b.example.test/callback?')).toBe(true);
    expect(new URL(onward).searchParams.get('code')).toBeTruthy();
    expect(victim.jar.get(SESSION)).not.toBe(planted);
    // the attacker's copy of the planted value reaches nothing: not the victim's client, not his own
    expect((await silent(attacker, 'b')).get('error')).toBe('login_required');
    expect((await silent(attacker, 'a')).get('error')).toBe('login_required');
    // the victim is not silently the attacker at client a
    expect((await silent(victim, 'a')).get('error')).toBe('login_required');
    expect((await silent(victim, 'b')).get('code')).toBeTruthy();
    // the attacker's session ended as a logout ends it: client a got its back-channel logout token
    expect(await waitFor(() => rp.backChannel().length === 1)).toBe(true);
  });

  async function pickerFlow(b: Browser, client: string): Promise<Step> {
    const step = await b.go(authorizeUrl(server.issuer, client, { authorization_details: RAR }));
    expect(step.url, step.html.slice(0, 300)).toContain('/login/organizations');
    return step;
  }

  it('a flow that reused a session cannot finish after that session was logged out: error page, no code, no cookie', async () => {
    const b = new Browser(server.issuer);
    const login = await loginWithTestId(b, authorizeUrl(server.issuer, 'c', { authorization_details: RAR }), { pid: KARI });
    expect(login.url).toContain('/login/organizations');
    expect(code(await b.submit(login, '/login/organizations', { orgno: 'self' }))).toBeTruthy();
    // the picker is shown again by reusing the session, then the session is logged out elsewhere (another tab)
    const picker = await pickerFlow(b, 'c');
    // (another tab) logout without id_token_hint asks first; the user confirms
    await answerLogoutConfirm(b, await b.go(`${server.issuer}/logout`, { form: {} }), 'logout');
    expect((await silent(b, 'c')).get('error')).toBe('login_required');
    const cookieBefore = b.jar.get(SESSION);
    const raw = await b.request(`${server.issuer}/login/organizations`, { form: { ...formOf(picker), orgno: 'self' } });
    expect(raw.status).toBeGreaterThanOrEqual(400);
    expect(raw.location).toBeUndefined();
    expect(raw.html).not.toContain('code=');
    expect(raw.headers.getSetCookie().filter((c) => c.startsWith(`${SESSION}=`) && !/Max-Age=0/.test(c))).toEqual([]);
    expect(b.jar.get(SESSION)).toBe(cookieBefore);
  });

  it('...nor after the session expired, and finishing a reused flow never extends the absolute lifetime', async () => {
    const b = new Browser(server.issuer);
    const login = await loginWithTestId(b, authorizeUrl(server.issuer, 'c', { authorization_details: RAR }), { pid: KARI });
    expect(code(await b.submit(login, '/login/organizations', { orgno: 'self' }))).toBeTruthy();
    // keep the session busy up to 110 minutes, finishing reused flows on the way
    for (const t of [25, 50, 75, 100, 110]) {
      clock.advance(t === 110 ? 10 * MIN : 25 * MIN);
      const picker = await pickerFlow(b, 'c');
      expect(code(await b.submit(picker, '/login/organizations', { orgno: 'self' }))).toBeTruthy();
    }
    const stale = await pickerFlow(b, 'c');
    clock.advance(11 * MIN); // 121 minutes after the first authentication
    const raw = await b.request(`${server.issuer}/login/organizations`, { form: { ...formOf(stale), orgno: 'self' } });
    expect(raw.status).toBeGreaterThanOrEqual(400);
    expect(raw.location).toBeUndefined();
    expect((await silent(b, 'c')).get('error')).toBe('login_required');
  });
});

function formOf(step: Step): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of step.html.matchAll(/<input\b[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(m[0])?.[1];
    const value = /value="([^"]*)"/.exec(m[0])?.[1];
    if (name && value !== undefined && !(name in fields)) fields[name] = value;
  }
  return fields;
}

describe('unauthenticated requests cannot exhaust memory', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      clients: [webClient('a')],
      config: { rate_limits: { authorization_requests_per_minute: 40, login_flows_per_browser: 5, login_flows_per_address: 25, login_flows_total: 1000 } },
    });
  });
  afterAll(async () => server?.close());

  const flows = () => server.services.stores.ephemeral.count('flow');

  it('one browser can keep only so many logins in progress (429 page with Retry-After); the flows stored stay bounded', async () => {
    const b = new Browser(server.issuer);
    const before = await flows();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await b.request(authorizeUrl(server.issuer, 'a', { state: 'x'.repeat(3000) }))).status);
    expect(statuses.slice(0, 5)).toEqual([302, 302, 302, 302, 302]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    expect((await flows()) - before).toBe(5);
    const refused = await b.request(authorizeUrl(server.issuer, 'a'));
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.html).toContain('lang=');
  });

  it('one address can start only so many, whatever its browsers; then /authorize and /par are rate-limited (429 with Retry-After)', async () => {
    const before = await flows();
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await new Browser(server.issuer).request(authorizeUrl(server.issuer, 'a'))).status);
    expect((await flows()) - before).toBeLessThanOrEqual(25);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
    // the per-minute request limit is used up by now: even a request that would fail validation is refused first
    const authorize = await http(`${server.issuer}/authorize?client_id=a`);
    expect(authorize.status).toBe(429);
    expect(authorize.headers.get('retry-after')).toMatch(/^\d+$/);
    const par = await http(`${server.issuer}/par`, { method: 'POST', form: { client_id: 'a' } });
    expect(par.status).toBe(429);
    expect(par.json.error).toBe('invalid_request');
    expect(par.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
