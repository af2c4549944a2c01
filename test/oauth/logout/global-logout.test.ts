import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Params } from '../../../src/core/params.js';
import { answerLogoutConfirmation, endSession, planGlobalLogout, type GlobalLogoutDeps } from '../../../src/oauth/logout/global-logout.js';
import { LOGOUT_CONFIRM_NS, peekPendingLogout, takePendingLogout } from '../../../src/oauth/logout/logout-confirmation.js';
import type { ClientContext } from '../../../src/session/browser-session.js';
import { SessionService } from '../../../src/session/session-service.js';
import { ISSUER, SALT, fixture, type Fixture } from '../endpoint-fixtures.js';

let f: Fixture;
let sessions: SessionService;
let deps: GlobalLogoutDeps;
let backChannel: { sid: string; clients: string[] }[];
let nowS: number;

const ctx = (over: Partial<ClientContext> = {}): ClientContext => ({
  authTime: nowS, acr: 'substantial', amr: ['TestID'], eid: 'testid', subjectRef: 'person-1', claims: {}, locale: 'nb', ...over,
});
const form = (q: Record<string, string>) => Params.fromSearchParams(new URLSearchParams(q));

/** A live browser session with contexts for the given clients; returns its cookie value and sid. */
async function login(...clients: [string, Partial<ClientContext>?][]): Promise<{ cookie: string; sid: string }> {
  let loaded;
  let cookie = '';
  for (const [id, over] of clients) {
    const r = await sessions.addContext(loaded, id, ctx(over));
    loaded = r.loaded;
    if (r.cookieValue) cookie = r.cookieValue;
  }
  return { cookie, sid: loaded!.session.sid };
}

beforeAll(async () => {
  f = await fixture();
  nowS = Math.floor(f.clock.now() / 1000);
  sessions = new SessionService(f.stores.ephemeral, f.clock, { absoluteMs: 7_200_000, idleMs: 1_800_000 });
  await f.client({ client_id: 'rp1', post_logout_redirect_uris: ['https://a.example.test/bye'], frontchannel_logout_uri: 'https://a.example.test/fcl', frontchannel_logout_session_required: true });
  await f.client({ client_id: 'rp2', redirect_uris: ['https://b.example.test/cb'], frontchannel_logout_uri: 'https://b.example.test/fcl?x=1' });
  await f.client({ client_id: 'quiet', redirect_uris: ['https://q.example.test/cb'], post_logout_redirect_uris: ['https://q.example.test/bye'] });
  await f.client({ client_id: 'gone', active: false, frontchannel_logout_uri: 'https://g.example.test/fcl' });
});
afterAll(async () => f.close());

beforeEach(() => {
  backChannel = [];
  deps = {
    issuer: ISSUER, keys: f.keys, pairwiseSalt: SALT,
    getActiveClient: async (id) => (await f.registry.getActive(id))?.client,
    getClient: async (id) => (await f.registry.get(id))?.client,
    sessions, grants: f.stores.grants, ephemeral: f.stores.ephemeral,
    startBackChannel: (sid, participants) => backChannel.push({ sid, clients: participants.map((p) => p.client.client_id) }),
    upstream: {
      ephemeral: f.stores.ephemeral,
      endSessionUrl: async (eid, idToken, state) => (eid === 'idporten' ? `https://idporten.example.test/end?state=${state}&h=${idToken}` : undefined),
    },
  };
});

describe('planGlobalLogout', () => {
  it('one frame per client with a frontchannel_logout_uri (iss and sid only where asked), every client to the back channel, each upstream once', async () => {
    const { cookie, sid } = await login(['rp1', { upstream: { eid: 'idporten', idToken: 'u1' } }], ['rp2', { upstream: { eid: 'idporten', idToken: 'u2' } }], ['quiet'], ['gone'], ['deleted']);
    const plan = await planGlobalLogout((await sessions.load(cookie))!.session, deps);
    expect(plan.frames).toEqual([
      `https://a.example.test/fcl?iss=${encodeURIComponent(ISSUER)}&sid=${sid}`,
      'https://b.example.test/fcl?x=1',
      'https://g.example.test/fcl',
    ]);
    expect(plan.backChannel.map((p) => p.client.client_id)).toEqual(['rp1', 'rp2', 'quiet', 'gone']);
    expect(plan.upstreamHops).toEqual([{ eid: 'idporten', idToken: 'u1' }]);
  });
});

describe('endSession', () => {
  it('with an id_token_hint for the session: logs out at once, revokes the grants, starts the back channel, continues with state', async () => {
    const { cookie, sid } = await login(['rp1'], ['quiet']);
    const t = await f.issue((await f.registry.get('rp1'))!.client, { sid, authTime: nowS });
    const out = await endSession(deps, { params: form({ id_token_hint: t.idToken, post_logout_redirect_uri: 'https://a.example.test/bye', state: 'st' }), sessionCookie: cookie, afterPost: true, locale: 'nb' });
    expect(out).toEqual({ kind: 'logged-out', frames: [`https://a.example.test/fcl?iss=${encodeURIComponent(ISSUER)}&sid=${sid}`], continueUrl: 'https://a.example.test/bye?state=st', afterPost: true });
    expect(await sessions.load(cookie)).toBeUndefined();
    expect((await f.stores.grants.getGrant(t.grant.id))!.revoked).toBe(true);
    expect(backChannel).toEqual([{ sid, clients: ['rp1', 'quiet'] }]);
  });

  it('without proof and with a live session: asks first and ends nothing', async () => {
    const { cookie, sid } = await login(['quiet']);
    const t = await f.issue((await f.registry.get('quiet'))!.client, { sid, authTime: nowS });
    for (const params of [form({}), form({ client_id: 'quiet', post_logout_redirect_uri: 'https://q.example.test/bye' }), form({ id_token_hint: 'garbage' })]) {
      const out = await endSession(deps, { params, sessionCookie: cookie, afterPost: false, locale: 'nb' });
      expect(out.kind).toBe('confirm');
    }
    expect(await sessions.load(cookie)).toBeDefined();
    expect((await f.stores.grants.getGrant(t.grant.id))!.revoked).toBe(false);
    expect(backChannel).toEqual([]);
  });

  it("an id_token of another session of the same client (another person) is no proof", async () => {
    const victim = await login(['quiet', { subjectRef: 'victim' }]);
    const attackerToken = await f.issue((await f.registry.get('quiet'))!.client, { subjectRef: 'attacker', authTime: nowS });
    const out = await endSession(deps, { params: form({ id_token_hint: attackerToken.idToken, post_logout_redirect_uri: 'https://q.example.test/bye' }), sessionCookie: victim.cookie, afterPost: false, locale: 'nb' });
    expect(out.kind).toBe('confirm');
    expect(await sessions.load(victim.cookie)).toBeDefined();
  });

  it('without a live session there is nothing to confirm: a validated redirect goes back at once', async () => {
    const out = await endSession(deps, { params: form({ client_id: 'quiet', post_logout_redirect_uri: 'https://q.example.test/bye', state: 'z' }), sessionCookie: undefined, afterPost: false, locale: 'nb' });
    expect(out).toEqual({ kind: 'logged-out', frames: [], continueUrl: 'https://q.example.test/bye?state=z', afterPost: false });
  });

  it('an invalid post_logout_redirect_uri: logged out on our page, with the reason for the log', async () => {
    const out = await endSession(deps, { params: form({ client_id: 'quiet', post_logout_redirect_uri: 'https://evil.example.test/' }), afterPost: false, locale: 'nb' });
    expect(out.kind).toBe('logged-out');
    expect(out.kind === 'logged-out' ? out.continueUrl : 'x').toBeUndefined();
    expect(out.kind === 'logged-out' && out.problem).toMatch(/not registered/);
  });

  it('logs out of the upstream eID first, with the final target after it', async () => {
    const { cookie, sid } = await login(['quiet', { upstream: { eid: 'idporten', idToken: 'up-token' } }]);
    const t = await f.issue((await f.registry.get('quiet'))!.client, { sid, authTime: nowS });
    const out = await endSession(deps, { params: form({ id_token_hint: t.idToken, post_logout_redirect_uri: 'https://q.example.test/bye', state: 's' }), sessionCookie: cookie, afterPost: false, locale: 'en' });
    expect(out.kind === 'logged-out' && out.continueUrl).toMatch(/^https:\/\/idporten\.example\.test\/end\?state=[A-Za-z0-9_-]+&h=up-token$/);
  });
});

describe('the confirmation (CSRF-protected, bound to the session)', () => {
  async function asked(params: Record<string, string>, afterPost = false) {
    const s = await login(['quiet']);
    const out = await endSession(deps, { params: form(params), sessionCookie: s.cookie, afterPost, locale: 'nb' });
    if (out.kind !== 'confirm') throw new Error('expected a confirmation');
    return { ...s, id: out.pendingId, csrf: out.csrf };
  }
  const answer = (a: { id?: string; csrf?: string; cookie?: string }, ans = 'logout') =>
    answerLogoutConfirmation(deps, { pendingId: a.id, csrf: a.csrf, answer: ans, sessionCookie: a.cookie, localeFor: (l) => l[0] ?? 'nb' });

  it('confirming runs the original request: logout, then the validated redirect (302 after GET, 303 after POST)', async () => {
    for (const afterPost of [false, true]) {
      const a = await asked({ client_id: 'quiet', post_logout_redirect_uri: 'https://q.example.test/bye', state: 'k', ui_locales: 'en' }, afterPost);
      const out = await answer(a);
      expect(out).toEqual({ kind: 'logged-out', frames: [], continueUrl: 'https://q.example.test/bye?state=k', afterPost, uiLocales: ['en'] });
      expect(await sessions.load(a.cookie)).toBeUndefined();
      expect(backChannel.at(-1)).toEqual({ sid: a.sid, clients: ['quiet'] });
    }
  });

  it('declining keeps the session and consumes the question', async () => {
    const a = await asked({});
    expect(await answer(a, 'stay')).toEqual({ kind: 'kept', uiLocales: [] });
    expect(await sessions.load(a.cookie)).toBeDefined();
    expect((await answer(a)).kind).toBe('refused');
    expect(await sessions.load(a.cookie)).toBeDefined();
  });

  it('refuses a wrong or missing csrf, another browser and an unknown id, without consuming the question', async () => {
    const a = await asked({});
    const other = await login(['quiet']);
    for (const forged of [{ ...a, csrf: 'x'.repeat(32) }, { ...a, csrf: undefined }, { ...a, cookie: other.cookie }, { ...a, cookie: undefined }, { ...a, id: 'y'.repeat(32) }, { ...a, id: undefined }]) {
      expect((await answer(forged)).kind).toBe('refused');
    }
    expect(await sessions.load(a.cookie)).toBeDefined();
    expect(backChannel).toEqual([]);
    expect((await answer(a)).kind).toBe('logged-out');
    expect((await answer(a)).kind).toBe('refused'); // single use
  });

  it('keeps the original parameters with their repeats (a repeated parameter still prevents the redirect)', async () => {
    const s = await login(['quiet']);
    const params = Params.fromSearchParams(new URLSearchParams('client_id=quiet&post_logout_redirect_uri=https%3A%2F%2Fq.example.test%2Fbye&state=a&state=b'));
    const out = await endSession(deps, { params, sessionCookie: s.cookie, afterPost: false, locale: 'nb' });
    if (out.kind !== 'confirm') throw new Error('expected a confirmation');
    const pending = await peekPendingLogout(f.stores.ephemeral, out.pendingId, SessionService.keyFor(s.cookie));
    expect(pending?.params).toEqual([['client_id', 'quiet'], ['post_logout_redirect_uri', 'https://q.example.test/bye'], ['state', 'a'], ['state', 'b']]);
    const done = await answer({ id: out.pendingId, csrf: out.csrf, cookie: s.cookie });
    expect(done.kind).toBe('logged-out');
    expect(done.kind === 'logged-out' ? done.continueUrl : 'x').toBeUndefined();
    expect(done.kind === 'logged-out' && done.problem).toMatch(/repeated/);
  });

  it('expires after ten minutes', async () => {
    const a = await asked({});
    f.clock.advance(601_000);
    expect(await takePendingLogout(f.stores.ephemeral, a.id, a.csrf, SessionService.keyFor(a.cookie))).toBeUndefined();
    expect(await f.stores.ephemeral.get(LOGOUT_CONFIRM_NS, a.id)).toBeUndefined();
  });
});
