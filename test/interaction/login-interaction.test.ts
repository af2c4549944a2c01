import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { Params } from '../../src/core/params.js';
import type { Eid, EidStart } from '../../src/eid/eid.js';
import { TestIdEid } from '../../src/eid/testid/testid-eid.js';
import { emptyTestWorldExtras, type Fixtures } from '../../src/fixtures/fixture-types.js';
import type { InteractionDeps } from '../../src/interaction/interaction-deps.js';
import { LoginInteraction } from '../../src/interaction/login-interaction.js';
import type { Step } from '../../src/interaction/outcome.js';
import type { AuthorizationRequest } from '../../src/oauth/authorize/authorization-request.js';
import { LoginFlows } from '../../src/oauth/login-flow.js';
import { AuthorisationSourceError, type AuthorisationSource, type Party } from '../../src/representation/authorisation-source.js';
import { parseAuthorizationDetails } from '../../src/representation/parse-authorization-details.js';
import { SessionService } from '../../src/session/session-service.js';
import { MemoryEphemeralStore } from '../../src/store/memory/memory-ephemeral-store.js';

/** The login phase unit by unit, without an HTTP server: every step is a plain value. */

const BASE = 'https://login.example';
const PID = '15895010046';

function request(over: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  return {
    clientId: 'rp', clientName: 'The RP', redirectUri: 'https://rp.example/cb', responseMode: 'query', scope: ['openid'],
    state: 'st', nonce: 'no', codeChallenge: 'x'.repeat(43), acrValues: ['substantial'], prompt: { none: false, login: false },
    uiLocales: [], ...over,
  };
}

/** A test world with only these persons. */
const world = (persons: { pid: string; given_name: string; family_name: string }[]): Fixtures =>
  ({ persons, organizations: [], resources: [], rights: [], employer_rules: [], ...emptyTestWorldExtras() }) as unknown as Fixtures;

const PARTY: Party = { orgno: '310000001', name: 'Org AS', unit_type: 'AS', parent_orgno: null, deleted: false, grants: [] };

/** A fake upstream eID: records starts, answers with a fixed identity. */
class FakeUpstream implements Eid {
  readonly id = 'up';
  readonly name = 'Upstream';
  readonly acr = ['substantial', 'high'] as const;
  readonly skipsSelector: boolean = true;
  starts: { forceLogin: boolean; maxAge?: number }[] = [];
  constructor(private readonly answer: EidStart = { kind: 'redirect', url: 'https://idp.example/authorize?x=1', pending: { state: 'up-state', nonce: 'n', verifier: 'v' }, correlation: 'up-state' }) {}
  async formTargets() { return ['https://idp.example']; }
  async start(ctx: { forceLogin: boolean; maxAge?: number }) { this.starts.push({ forceLogin: ctx.forceLogin, ...(ctx.maxAge !== undefined ? { maxAge: ctx.maxAge } : {}) }); return this.answer; }
  async complete() { return { kind: 'identity' as const, identity: { acr: 'high' as const, amr: ['BankID'], pid: PID, subjectRef: PID, claims: {}, authTime: 1_000 } }; }
}

/** The store with a record of the operations called on it (one operation = one round trip with Redis or PostgreSQL). */
function recordingStore(clock: ManualClock) {
  const inner = new MemoryEphemeralStore(clock);
  const calls: string[] = [];
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls.push(`${String(prop)} ${typeof args[0] === 'string' ? args[0] : ''}`.trim());
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, calls };
}

function setup(o: { eids?: (clock: ManualClock) => Eid[]; parties?: Party[] | Error; flowLimits?: { perBrowser: number } } = {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const { store: ephemeral, calls } = recordingStore(clock);
  const flows = new LoginFlows(ephemeral, 600);
  const sessions = new SessionService(ephemeral, clock, { absoluteMs: 120 * 60_000, idleMs: 30 * 60_000 });
  const counted: { eid: string; outcome: string }[] = [];
  const source: AuthorisationSource = {
    listParties: async () => {
      if (o.parties instanceof Error) throw o.parties;
      return o.parties ?? [];
    },
  };
  const deps: InteractionDeps = {
    issuer: BASE, loginBaseUrl: BASE, clock, flows, sessions,
    eids: o.eids?.(clock) ?? [new TestIdEid({ clock, world: async () => ({ world: world([{ pid: PID, given_name: 'Kari', family_name: 'Nordmann' }]) }) })],
    source, resourceNames: { resourceName: () => undefined }, clientName: async () => 'The RP', ephemeral,
    lifetimes: { codeSeconds: 60, flowSeconds: 600 }, logins: { inc: (l) => counted.push(l) },
    ...(o.flowLimits ? {
      flowLimits: {
        perBrowser: { store: ephemeral, ns: 'rl-flows-browser', max: o.flowLimits.perBrowser, windowSeconds: 600 },
        perAddress: { store: ephemeral, ns: 'rl-flows-address', max: 1000, windowSeconds: 600 },
        total: { store: ephemeral, ns: 'rl-flows-total', max: 1000, windowSeconds: 600 },
      },
    } : {}),
  };
  return { clock, flows, sessions, counted, interaction: new LoginInteraction(deps), deps, ephemeral, calls };
}

const flowIdOf = (step: Step): string => {
  if (step.kind !== 'redirect') throw new Error(`expected a redirect, got ${step.kind}`);
  return new URL(step.url).searchParams.get('flow')!;
};
const cookie = (step: Step, name: string) => step.cookies?.find((c) => c.cookie === name)?.value;

/** Logs in through TestID from scratch and returns the step that answers the client and the cookies. */
async function testIdLogin(t: ReturnType<typeof setup>, req = request(), cookies: { session?: string; browser?: string } = {}) {
  const begun = await t.interaction.begin({ request: req, cookies, afterPost: false });
  const browser = cookie(begun, 'browser') ?? cookies.browser!;
  const flow = await t.flows.load(flowIdOf(begun), browser);
  const chosen = await t.interaction.chooseEid({ fields: Params.fromRecord({ flow: flow.id, csrf: flow.csrf, eid: 'testid' }), cookies: { ...cookies, browser } });
  expect(chosen).toMatchObject({ kind: 'redirect', status: 303, url: `${BASE}/login/testid?flow=${flow.id}` });
  const answered = await t.interaction.answerEidForm('testid', { fields: Params.fromRecord({ flow: flow.id, csrf: flow.csrf, pid: PID, acr: 'substantial' }), cookies: { ...cookies, browser } });
  return { begun, answered, browser, flow, session: cookie(answered, 'session') ?? cookies.session };
}

describe('begin: silent SSO, prompt, max_age, the selector', () => {
  it('without a session sends the browser to the selector (302 after GET, 303 after POST) and sets the browser cookie', async () => {
    const t = setup();
    const get = await t.interaction.begin({ request: request(), cookies: {}, afterPost: false });
    expect(get).toMatchObject({ kind: 'redirect', status: 302 });
    expect(get.kind === 'redirect' && get.url.startsWith(`${BASE}/login/select?flow=`)).toBe(true);
    expect(cookie(get, 'browser')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const post = await t.interaction.begin({ request: request(), cookies: { browser: 'b'.repeat(24) }, afterPost: true });
    expect(post).toMatchObject({ kind: 'redirect', status: 303 });
    expect(post.cookies).toBeUndefined();
  });

  it('prompt=none without a session answers login_required to the client, with state', async () => {
    const t = setup();
    const step = await t.interaction.begin({ request: request({ prompt: { none: true, login: false } }), cookies: {}, afterPost: false });
    expect(step).toEqual({ kind: 'respond', target: { clientId: 'rp', redirectUri: 'https://rp.example/cb', responseMode: 'query', state: 'st' }, params: { error: 'login_required', error_description: 'the user must authenticate' }, locale: 'nb' });
    expect(t.counted).toContainEqual({ eid: 'none', outcome: 'login_required' });
  });

  it('a TestID login ends with a code and a new session cookie; the next request of the same client is silent', async () => {
    const t = setup();
    const { answered, session, browser } = await testIdLogin(t);
    expect(answered.kind).toBe('respond');
    expect(answered.kind === 'respond' && answered.params.code).toMatch(/^[A-Za-z0-9_-]{30,}$/);
    expect(session).toBeDefined();
    const again = await t.interaction.begin({ request: request({ prompt: { none: true, login: false } }), cookies: { session, browser }, afterPost: false });
    expect(again.kind === 'respond' && again.params.code).toBeTruthy();
    expect(again.cookies).toBeUndefined();
    expect(t.counted.map((c) => c.outcome)).toEqual(['success', 'sso']);
  });

  it('isolated SSO: another client with the same cookie is not silent (prompt=none → login_required)', async () => {
    const t = setup();
    const { session, browser } = await testIdLogin(t);
    const other = await t.interaction.begin({ request: request({ clientId: 'other', prompt: { none: true, login: false } }), cookies: { session, browser }, afterPost: false });
    expect(other.kind === 'respond' && other.params.error).toBe('login_required');
  });

  it('prompt=login, max_age=0 and an exceeded max_age force a new login; a higher acr than held too', async () => {
    const t = setup();
    const { session, browser } = await testIdLogin(t);
    for (const over of [{ prompt: { none: false, login: true } }, { maxAge: 0 }, { acrValues: ['high' as const], prompt: { none: true, login: false } }]) {
      const step = await t.interaction.begin({ request: request(over), cookies: { session, browser }, afterPost: false });
      expect(step.kind === 'respond' && step.params.code).toBeFalsy();
    }
    t.clock.advance(61_000);
    const old = await t.interaction.begin({ request: request({ maxAge: 60 }), cookies: { session, browser }, afterPost: false });
    expect(old.kind).toBe('redirect');
    const fresh = await t.interaction.begin({ request: request({ maxAge: 600 }), cookies: { session, browser }, afterPost: false });
    expect(fresh.kind === 'respond' && fresh.params.code).toBeTruthy();
  });
});

describe('store steps', () => {
  it('a new login counts its bounds and stores its flow in one step; a refused one stores no flow', async () => {
    const t = setup({ flowLimits: { perBrowser: 1 } });
    const browser = 'b'.repeat(24);
    const first = await t.interaction.begin({ request: request(), cookies: { browser }, afterPost: false, address: '192.0.2.1' });
    expect(first.kind).toBe('redirect');
    expect(t.calls).toEqual(['incrementAll']);
    expect(await t.ephemeral.count('flow')).toBe(1);
    const refused = await t.interaction.begin({ request: request(), cookies: { browser }, afterPost: false, address: '192.0.2.1' });
    expect(refused).toMatchObject({ kind: 'error', error: { description: 'too_many_logins', status: 429, headers: { 'Retry-After': '600' } } });
    expect(await t.ephemeral.count('flow')).toBe(1);
    expect(await t.ephemeral.get('rl-flows-total', 'all')).toBe(2);
  });

  it('the end of a login takes its flow and writes the session and the code in one step', async () => {
    const t = setup();
    const begun = await t.interaction.begin({ request: request(), cookies: {}, afterPost: false });
    const browser = cookie(begun, 'browser')!;
    const flow = await t.flows.load(flowIdOf(begun), browser);
    t.calls.length = 0;
    const answered = await t.interaction.answerEidForm('testid', { fields: Params.fromRecord({ flow: flow.id, csrf: flow.csrf, pid: PID, acr: 'substantial' }), cookies: { browser } });
    expect(answered.kind).toBe('respond');
    expect(t.calls).toEqual(['get flow', 'write']);
    expect(await t.ephemeral.count('session')).toBe(1);
    expect(await t.ephemeral.count('code')).toBe(1);
    expect(await t.ephemeral.count('flow')).toBe(0);
  });

  it('of two concurrent answers to one flow one ends the login; the other writes neither session nor code', async () => {
    const t = setup();
    const begun = await t.interaction.begin({ request: request(), cookies: {}, afterPost: false });
    const browser = cookie(begun, 'browser')!;
    const flow = await t.flows.load(flowIdOf(begun), browser);
    const answer = () => t.interaction.answerEidForm('testid', { fields: Params.fromRecord({ flow: flow.id, csrf: flow.csrf, pid: PID, acr: 'substantial' }), cookies: { browser } });
    const [a, b] = await Promise.all([answer(), answer()]);
    expect([a.kind, b.kind].sort()).toEqual(['error', 'respond']);
    expect([a, b].find((s) => s.kind === 'error')).toMatchObject({ error: { description: 'flow_expired' } });
    expect(await t.ephemeral.count('session')).toBe(1);
    expect(await t.ephemeral.count('code')).toBe(1);
  });

  it('a login for a second client in the same browser replaces the session under a new cookie in the same step', async () => {
    const t = setup();
    const { session, browser } = await testIdLogin(t);
    const before = await t.sessions.load(session);
    const second = await testIdLogin(t, request({ clientId: 'rp2' }), { session, browser });
    expect(second.session).not.toBe(session);
    expect(await t.sessions.load(session)).toBeUndefined();
    const after = await t.sessions.load(second.session);
    expect(after?.session.sid).toBe(before?.session.sid);
    expect(Object.keys(after!.session.contexts).sort()).toEqual(['rp', 'rp2']);
    expect(await t.ephemeral.count('session')).toBe(1);
  });
});

describe('eIDs', () => {
  it('the selector lists the eIDs that fit the acr values and allows their targets as form actions', async () => {
    const t = setup({ eids: (clock) => [new TestIdEid({ clock, world: async () => ({ world: world([]) }) }), new FakeUpstream()] });
    const begun = await t.interaction.begin({ request: request(), cookies: {}, afterPost: false });
    const page = await t.interaction.showSelector({ flowId: flowIdOf(begun), lang: 'en', cookies: { browser: cookie(begun, 'browser')! } });
    expect(page.kind).toBe('page');
    if (page.kind !== 'page' || page.view.page !== 'eid-select') throw new Error('selector expected');
    expect(page.view.props.eids.map((e) => e.id)).toEqual(['testid', 'up']);
    expect(page.view.props.locale).toBe('en');
    expect(page.formTargets).toEqual(['https://rp.example/cb', 'https://idp.example']);
    expect(cookie(page, 'lang')).toBe('en');
  });

  it('the selector opens an eID with its own page by GET there; upstream eIDs are still chosen by POST', async () => {
    const t = setup({ eids: (clock) => [new TestIdEid({ clock, world: async () => ({ world: world([]) }) }), new FakeUpstream()] });
    const begun = await t.interaction.begin({ request: request(), cookies: {}, afterPost: false });
    const page = await t.interaction.showSelector({ flowId: flowIdOf(begun), lang: undefined, cookies: { browser: cookie(begun, 'browser')! } });
    if (page.kind !== 'page' || page.view.page !== 'eid-select') throw new Error('selector expected');
    expect(page.view.props.eids).toEqual([{ id: 'testid', name: 'TestID', page: '/login/testid' }, { id: 'up', name: 'Upstream' }]);
  });

  it('GET /login/{eid} for an eID that does not fit the acr values shows the selector with 400, as the POST does', async () => {
    /** An upstream for acr_values=entraid only, listed in the selector. */
    class EntraOnly extends FakeUpstream {
      override readonly acr = ['entraid'] as never;
      override readonly skipsSelector = false;
    }
    const t = setup({ eids: (clock) => [new TestIdEid({ clock, world: async () => ({ world: world([]) }) }), new EntraOnly()] });
    const begun = await t.interaction.begin({ request: request({ acrValues: ['entraid'] }), cookies: {}, afterPost: false });
    const browser = cookie(begun, 'browser')!;
    const refused = await t.interaction.showEidPage('testid', { flowId: flowIdOf(begun), lang: undefined, cookies: { browser } });
    expect(refused).toMatchObject({ kind: 'page', status: 400, view: { page: 'eid-select', props: { eids: [{ id: 'up' }], langPath: '/login/select' } } });
    const begunSubstantial = await t.interaction.begin({ request: request(), cookies: { browser }, afterPost: false });
    const shown = await t.interaction.showEidPage('testid', { flowId: flowIdOf(begunSubstantial), lang: undefined, cookies: { browser } });
    expect(shown).toMatchObject({ kind: 'page', status: 200, view: { page: 'testid' } });
  });

  it('a single fitting upstream eID skips the selector and starts at once, forwarding prompt=login and max_age', async () => {
    const up = new FakeUpstream();
    const t = setup({ eids: () => [up] });
    const step = await t.interaction.begin({ request: request({ prompt: { none: false, login: true }, maxAge: 300 }), cookies: {}, afterPost: false });
    expect(step).toMatchObject({ kind: 'redirect', status: 303, url: 'https://idp.example/authorize?x=1' });
    expect(up.starts).toEqual([{ forceLogin: true, maxAge: 300 }]);
  });

  it('TestID alone keeps its selector (one stable path for test scripts)', async () => {
    const t = setup();
    const step = await t.interaction.begin({ request: request(), cookies: {}, afterPost: false });
    expect(step.kind === 'redirect' && step.url).toContain('/login/select?flow=');
  });

  it('an upstream that cannot start sends its error back to the client and ends the flow', async () => {
    const t = setup({ eids: () => [new FakeUpstream({ kind: 'failed', error: 'temporarily_unavailable', description: 'the eID up is unavailable' })] });
    const step = await t.interaction.begin({ request: request(), cookies: {}, afterPost: false });
    expect(step.kind === 'respond' && step.params).toEqual({ error: 'temporarily_unavailable', error_description: 'the eID up is unavailable' });
    expect(t.counted).toContainEqual({ eid: 'up', outcome: 'temporarily_unavailable' });
  });

  it('the upstream callback finds its flow by state exactly once; a forged or replayed state is an error page', async () => {
    const t = setup({ eids: () => [new FakeUpstream()] });
    const begun = await t.interaction.begin({ request: request(), cookies: {}, afterPost: false });
    const browser = cookie(begun, 'browser')!;
    const forged = await t.interaction.answerEidCallback('up', { params: Params.fromRecord({ state: 'forged', code: 'c' }), callbackUrl: `${BASE}/login/callback/up`, cookies: { browser } });
    expect(forged.kind === 'error' && forged.error.description).toBe('flow_expired');
    const ok = await t.interaction.answerEidCallback('up', { params: Params.fromRecord({ state: 'up-state', code: 'c' }), callbackUrl: `${BASE}/login/callback/up`, cookies: { browser } });
    expect(ok.kind === 'respond' && ok.params.code).toBeTruthy();
    const replay = await t.interaction.answerEidCallback('up', { params: Params.fromRecord({ state: 'up-state', code: 'c' }), callbackUrl: `${BASE}/login/callback/up`, cookies: { browser } });
    expect(replay.kind).toBe('error');
  });

  it('an upstream auth_time in the future is not believed beyond now', async () => {
    const t = setup({ eids: () => [new FakeUpstream()] });
    const begun = await t.interaction.begin({ request: request(), cookies: {}, afterPost: false });
    const step = await t.interaction.answerEidCallback('up', { params: Params.fromRecord({ state: 'up-state', code: 'c' }), callbackUrl: `${BASE}/login/callback/up`, cookies: { browser: cookie(begun, 'browser')! } });
    const session = await t.sessions.load(cookie(step, 'session'));
    expect(session?.session.contexts.rp?.authTime).toBe(1_000); // the upstream's own (past) auth_time is kept
  });

  it('TestID refuses a non-synthetic number by showing its page again with an error', async () => {
    const t = setup();
    const begun = await t.interaction.begin({ request: request(), cookies: {}, afterPost: false });
    const browser = cookie(begun, 'browser')!;
    const flow = await t.flows.load(flowIdOf(begun), browser);
    const step = await t.interaction.answerEidForm('testid', { fields: Params.fromRecord({ flow: flow.id, csrf: flow.csrf, pid: '01010112345', acr: 'high' }), cookies: { browser } });
    expect(step.kind).toBe('page');
    expect(step.kind === 'page' && step.status).toBe(400);
  });

  it('a form with a wrong CSRF token or from another browser is an error page, never a response to the client', async () => {
    const t = setup();
    const begun = await t.interaction.begin({ request: request(), cookies: {}, afterPost: false });
    const browser = cookie(begun, 'browser')!;
    const flow = await t.flows.load(flowIdOf(begun), browser);
    const bad = await t.interaction.cancel({ fields: Params.fromRecord({ flow: flow.id, csrf: 'wrong' }), cookies: { browser } });
    expect(bad).toMatchObject({ kind: 'error', error: { description: 'csrf', status: 403 } });
    const other = await t.interaction.cancel({ fields: Params.fromRecord({ flow: flow.id, csrf: flow.csrf }), cookies: { browser: 'x'.repeat(24) } });
    expect(other).toMatchObject({ kind: 'error', error: { description: 'flow_other_browser' } });
  });
});

describe('cancel and the picker', () => {
  it('cancel answers access_denied with state and ends the flow', async () => {
    const t = setup();
    const begun = await t.interaction.begin({ request: request(), cookies: {}, afterPost: false });
    const browser = cookie(begun, 'browser')!;
    const flow = await t.flows.load(flowIdOf(begun), browser);
    const step = await t.interaction.cancel({ fields: Params.fromRecord({ flow: flow.id, csrf: flow.csrf }), cookies: { browser } });
    expect(step).toMatchObject({ kind: 'respond', target: { state: 'st' }, params: { error: 'access_denied' } });
    await expect(t.flows.load(flow.id, browser)).rejects.toMatchObject({ description: 'flow_expired' });
  });

  const rar = parseAuthorizationDetails(JSON.stringify([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:app' }]))!;

  it('with organisations to choose the picker follows the login; its answer issues authorization_details', async () => {
    const t = setup({ parties: [{ ...PARTY, grants: [{ resourceId: 'app', actions: [] }] }] });
    const { answered, browser } = await testIdLogin(t, request({ authorizationDetails: rar }));
    expect(answered).toMatchObject({ kind: 'redirect', status: 303 });
    const flowId = flowIdOf(answered);
    const picker = await t.interaction.showPicker({ flowId, lang: undefined, cookies: { browser } });
    expect(picker.kind === 'page' && picker.view.page).toBe('org-picker');
    const flow = await t.flows.load(flowId, browser);
    const done = await t.interaction.chooseOrganization({ fields: Params.fromRecord({ flow: flowId, csrf: flow.csrf, orgno: PARTY.orgno }), cookies: { browser } });
    expect(done.kind === 'respond' && done.params.code).toBeTruthy();
  });

  it('no organisations: the login ends without the picker; representation_is_required shows the refusal page', async () => {
    const t = setup({ parties: [] });
    const plain = await testIdLogin(t, request({ authorizationDetails: rar }));
    expect(plain.answered.kind === 'respond' && plain.answered.params.code).toBeTruthy();
    const required = parseAuthorizationDetails(JSON.stringify([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:app', representation_is_required: true }]))!;
    const refused = await testIdLogin(t, request({ authorizationDetails: required }));
    expect(refused.answered).toMatchObject({ kind: 'page', status: 403, view: { page: 'no-representation' } });
  });

  it('prompt=none with a choice to make answers interaction_required', async () => {
    const t = setup({ parties: [PARTY] });
    const { session, browser } = await testIdLogin(t, request());
    const step = await t.interaction.begin({ request: request({ authorizationDetails: rar, prompt: { none: true, login: false } }), cookies: { session, browser }, afterPost: false });
    expect(step.kind === 'respond' && step.params.error).toBe('interaction_required');
  });

  it('a source that is down gives the temporarily-unavailable page with a way back to the client', async () => {
    const t = setup({ parties: new AuthorisationSourceError('down') });
    const { answered } = await testIdLogin(t, request({ authorizationDetails: rar }));
    expect(answered).toMatchObject({ kind: 'page', status: 503, view: { page: 'error', props: { errorCode: 'temporarily_unavailable' } } });
  });
});
