import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { BrowserSession, ClientContext } from '../../src/session/browser-session.js';
import { SessionService, differentPersons, type LoadedSession } from '../../src/session/session-service.js';
import { createSqliteStores } from '../../src/store/sqlite/sqlite-store.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 5, 1, 8);
const TIMERS = { absoluteMs: 120 * MIN, idleMs: 30 * MIN };

let clock: ManualClock;
let stores: ReturnType<typeof createSqliteStores>;
let svc: SessionService;

function context(over: Partial<ClientContext> = {}): ClientContext {
  return {
    authTime: Math.floor(clock.now() / 1000), acr: 'substantial', amr: ['TestID'], eid: 'testid', pid: '15895010046',
    subjectRef: '15895010046', claims: { name: 'FIKTIV TESTPERSON' }, locale: 'nb', ...over,
  };
}

/** An authorization request arriving with the cookie: load, then record the activity. */
async function authorizeHit(cookie: string | undefined): Promise<LoadedSession | undefined> {
  const loaded = await svc.load(cookie);
  if (loaded) await svc.touch(loaded);
  return loaded;
}

async function login(clientId = 'client-a', existing?: LoadedSession) {
  const r = await svc.addContext(existing, clientId, context());
  return r;
}

const sessionRows = () => (stores.db.prepare("SELECT count(*) AS n FROM ephemeral WHERE ns = 'session'").get() as { n: number }).n;

beforeEach(() => {
  clock = new ManualClock(T0);
  stores = createSqliteStores(':memory:', clock);
  svc = new SessionService(stores.ephemeral, clock, TIMERS);
});

afterEach(async () => {
  await stores.close();
});

describe('SessionService.addContext', () => {
  it('starts a new session with a new sid and a new cookie value', async () => {
    const { loaded, cookieValue } = await login();
    expect(cookieValue).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(loaded.session.sid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(loaded.session.sid).not.toBe(cookieValue);
    expect(loaded.key).toBe(SessionService.keyFor(cookieValue!));
    expect(loaded.session.createdAt).toBe(T0);
    expect(loaded.session.lastActivityAt).toBe(T0);
    expect(Object.keys(loaded.session.contexts)).toEqual(['client-a']);
    const again = await svc.load(cookieValue);
    expect(again?.session).toEqual(loaded.session);
  });

  it('two new sessions get different sids and cookies', async () => {
    const a = await login();
    const b = await login();
    expect(a.cookieValue).not.toBe(b.cookieValue);
    expect(a.loaded.session.sid).not.toBe(b.loaded.session.sid);
  });

  it('adds to an existing live session: same sid, no new cookie, earlier contexts kept', async () => {
    const first = await login('client-a');
    clock.advance(10 * MIN);
    const loaded = await svc.load(first.cookieValue);
    const second = await login('client-b', loaded);
    expect(second.cookieValue).toBeUndefined();
    expect(second.loaded.session.sid).toBe(first.loaded.session.sid);
    expect(second.loaded.key).toBe(first.loaded.key);
    const stored = await svc.load(first.cookieValue);
    expect(Object.keys(stored!.session.contexts).sort()).toEqual(['client-a', 'client-b']);
    expect(stored!.session.createdAt).toBe(T0); // the absolute timer counts from the first login
    expect(stored!.session.lastActivityAt).toBe(T0 + 10 * MIN);
  });

  it('replaces the context of a client that logs in again', async () => {
    const first = await login('client-a');
    const loaded = await svc.load(first.cookieValue);
    await svc.addContext(loaded, 'client-a', context({ acr: 'high', eid: 'bankid' }));
    const stored = await svc.load(first.cookieValue);
    expect(stored!.session.contexts['client-a']).toMatchObject({ acr: 'high', eid: 'bankid' });
  });

  it('a cookie of an expired session yields a NEW sid and a new cookie', async () => {
    const first = await login('client-a');
    clock.advance(31 * MIN);
    const loaded = await svc.load(first.cookieValue);
    expect(loaded).toBeUndefined();
    const second = await login('client-b', loaded);
    expect(second.cookieValue).toBeDefined();
    expect(second.cookieValue).not.toBe(first.cookieValue);
    expect(second.loaded.session.sid).not.toBe(first.loaded.session.sid);
    expect(Object.keys(second.loaded.session.contexts)).toEqual(['client-b']);
    expect(second.loaded.session.createdAt).toBe(T0 + 31 * MIN);
    expect(await svc.load(first.cookieValue)).toBeUndefined();
  });

  it('a session that expired while held in memory is not extended: new sid, old contexts dropped', async () => {
    const first = await login('client-a');
    clock.advance(29 * MIN);
    const loaded = await svc.load(first.cookieValue);
    expect(loaded).toBeDefined();
    clock.advance(2 * MIN); // the user took long at the eID
    const second = await login('client-b', loaded);
    expect(second.cookieValue).toBeDefined();
    expect(second.loaded.session.sid).not.toBe(first.loaded.session.sid);
    expect(second.loaded.session.contexts['client-a']).toBeUndefined();
    expect(await svc.load(first.cookieValue)).toBeUndefined();
  });

  it('a session past its absolute lifetime is not extended either', async () => {
    const first = await login('client-a');
    let loaded: LoadedSession | undefined;
    for (let t = 25; t < 120; t += 25) {
      clock.set(T0 + t * MIN);
      loaded = await authorizeHit(first.cookieValue);
      expect(loaded).toBeDefined();
    }
    clock.set(T0 + 120 * MIN);
    const second = await login('client-a', loaded);
    expect(second.cookieValue).toBeDefined();
    expect(second.loaded.session.sid).not.toBe(first.loaded.session.sid);
  });

  it('the cookie value itself is never the store key', async () => {
    const { cookieValue, loaded } = await login();
    expect(loaded.key).not.toBe(cookieValue);
    expect(await stores.ephemeral.get('session', cookieValue!)).toBeUndefined();
    expect(await stores.ephemeral.get<BrowserSession>('session', loaded.key)).toBeDefined();
  });
});

describe('SessionService: the idle timer (30 min between authorization requests)', () => {
  it('is alive just before 30 minutes and gone at 30 minutes', async () => {
    const { cookieValue } = await login();
    clock.set(T0 + 30 * MIN - 1);
    expect(await svc.load(cookieValue)).toBeDefined();
    clock.set(T0 + 30 * MIN);
    expect(await svc.load(cookieValue)).toBeUndefined();
  });

  it('each authorization request restarts the idle timer', async () => {
    const { cookieValue } = await login();
    for (let i = 1; i <= 3; i++) {
      clock.advance(29 * MIN);
      expect(await authorizeHit(cookieValue)).toBeDefined();
    }
    clock.advance(30 * MIN - 1);
    expect(await svc.load(cookieValue)).toBeDefined();
    clock.advance(1);
    expect(await svc.load(cookieValue)).toBeUndefined();
  });

  it('activity for any client counts for the whole session (shared timer)', async () => {
    const first = await login('client-a');
    clock.advance(20 * MIN);
    await login('client-b', await svc.load(first.cookieValue));
    clock.advance(20 * MIN); // 40 min after client-a's login, 20 after client-b's
    const loaded = await svc.load(first.cookieValue);
    expect(loaded?.session.contexts['client-a']).toBeDefined();
  });

  it('idle expiry ends the whole session, every client context with it', async () => {
    const first = await login('client-a');
    await login('client-b', await svc.load(first.cookieValue));
    clock.advance(30 * MIN);
    expect(await svc.load(first.cookieValue)).toBeUndefined();
    const next = await login('client-b', undefined);
    expect(next.loaded.session.contexts['client-a']).toBeUndefined();
  });

  it('merely loading the session (e.g. at logout) is not activity', async () => {
    const { cookieValue } = await login();
    clock.advance(20 * MIN);
    expect(await svc.load(cookieValue)).toBeDefined();
    clock.advance(10 * MIN);
    expect(await svc.load(cookieValue)).toBeUndefined();
  });

  it('touch records the current time', async () => {
    const { cookieValue } = await login();
    clock.advance(7 * MIN);
    const loaded = await authorizeHit(cookieValue);
    expect(loaded!.session.lastActivityAt).toBe(T0 + 7 * MIN);
    expect((await svc.load(cookieValue))!.session.lastActivityAt).toBe(T0 + 7 * MIN);
  });
});

describe('SessionService: the absolute timer (120 min from the first login)', () => {
  it('ends the session at 120 minutes despite continuous activity', async () => {
    const { cookieValue } = await login('client-a');
    for (const t of [20, 40, 60, 80, 100, 119]) {
      clock.set(T0 + t * MIN);
      expect(await authorizeHit(cookieValue)).toBeDefined();
    }
    clock.set(T0 + 120 * MIN - 1);
    expect(await svc.load(cookieValue)).toBeDefined();
    clock.set(T0 + 120 * MIN);
    expect(await svc.load(cookieValue)).toBeUndefined();
  });

  it('counts from the first login, not from later logins to other clients', async () => {
    const first = await login('client-a');
    // keep it alive up to 100 minutes
    for (const t of [25, 50, 75]) {
      clock.set(T0 + t * MIN);
      await authorizeHit(first.cookieValue);
    }
    clock.set(T0 + 100 * MIN);
    await login('client-b', await svc.load(first.cookieValue));
    clock.set(T0 + 120 * MIN);
    expect(await svc.load(first.cookieValue)).toBeUndefined();
  });

  it('the store entry expires with the session', async () => {
    const { loaded, cookieValue } = await login();
    const row = stores.db.prepare("SELECT expires_at FROM ephemeral WHERE ns = 'session' AND key = ?").get(loaded.key) as { expires_at: number };
    expect(row.expires_at).toBe(T0 + 30 * MIN);
    for (const t of [25, 50, 75, 100, 110]) {
      clock.set(T0 + t * MIN);
      expect(await authorizeHit(cookieValue)).toBeDefined();
    }
    const row2 = stores.db.prepare("SELECT expires_at FROM ephemeral WHERE ns = 'session' AND key = ?").get(loaded.key) as { expires_at: number };
    expect(row2.expires_at).toBe(T0 + 120 * MIN);
  });
});

describe('SessionService.load', () => {
  it('returns undefined for absent and empty cookies', async () => {
    expect(await svc.load(undefined)).toBeUndefined();
    expect(await svc.load('')).toBeUndefined();
  });

  it('returns undefined for unknown and garbage values', async () => {
    await login();
    for (const v of ['x', 'A'.repeat(43), '../../etc/passwd', '%00%ff', '<script>', "' OR 1=1 --", 'é漢字']) {
      expect(await svc.load(v)).toBeUndefined();
    }
  });

  it('refuses oversized cookie values without looking them up, even if such a session existed', async () => {
    const long = 'a'.repeat(101);
    const limit = 'b'.repeat(100);
    const s: BrowserSession = { sid: 's', createdAt: T0, lastActivityAt: T0, contexts: {} };
    await stores.ephemeral.put('session', SessionService.keyFor(long), s, 600);
    await stores.ephemeral.put('session', SessionService.keyFor(limit), s, 600);
    expect(await svc.load(long)).toBeUndefined();
    expect(await svc.load('c'.repeat(100_000))).toBeUndefined();
    expect((await svc.load(limit))?.session.sid).toBe('s');
  });

  it('removes a session that the timers have ended from the store', async () => {
    const long = new SessionService(stores.ephemeral, clock, { absoluteMs: 600 * MIN, idleMs: 600 * MIN });
    const { cookieValue } = await long.addContext(undefined, 'client-a', context());
    expect(sessionRows()).toBe(1);
    clock.advance(31 * MIN);
    expect(await long.load(cookieValue)).toBeDefined();
    expect(await svc.load(cookieValue)).toBeUndefined(); // stricter timers: expired
    expect(sessionRows()).toBe(0);
    expect(await long.load(cookieValue)).toBeUndefined();
  });
});

describe('SessionService.destroy', () => {
  it('ends the session: the cookie no longer loads', async () => {
    const { cookieValue, loaded } = await login();
    await svc.destroy(loaded.key);
    expect(await svc.load(cookieValue)).toBeUndefined();
    expect(sessionRows()).toBe(0);
  });

  it('only ends that session', async () => {
    const a = await login();
    const b = await login();
    await svc.destroy(a.loaded.key);
    expect(await svc.load(a.cookieValue)).toBeUndefined();
    expect(await svc.load(b.cookieValue)).toBeDefined();
  });

  it('a later login with the old cookie starts a new session with a new sid', async () => {
    const a = await login();
    await svc.destroy(a.loaded.key);
    const next = await login('client-a', await svc.load(a.cookieValue));
    expect(next.cookieValue).toBeDefined();
    expect(next.loaded.session.sid).not.toBe(a.loaded.session.sid);
  });

  it('is harmless for an unknown key', async () => {
    const a = await login();
    await svc.destroy('unknown');
    expect(await svc.load(a.cookieValue)).toBeDefined();
  });
});

describe('SessionService.keyFor', () => {
  it('is a deterministic SHA-256 base64url hash of the cookie value', () => {
    expect(SessionService.keyFor('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    expect(SessionService.keyFor('abc')).toBe(SessionService.keyFor('abc'));
    expect(SessionService.keyFor('abd')).not.toBe(SessionService.keyFor('abc'));
  });
});

describe('SessionService.authenticate (session fixation)', () => {
  it('without a session starts one with a new cookie', async () => {
    const r = await svc.authenticate(undefined, 'client-a', context());
    expect(r.cookieValue).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.ended).toBeUndefined();
    expect((await svc.load(r.cookieValue))?.session.sid).toBe(r.loaded.session.sid);
  });

  it('the same person keeps sid, contexts and the absolute timer under a NEW cookie value; the old value is dead', async () => {
    const first = await svc.authenticate(undefined, 'client-a', context());
    clock.advance(10 * MIN);
    const again = await svc.authenticate(await svc.load(first.cookieValue), 'client-b', context());
    expect(again.cookieValue).not.toBe(first.cookieValue);
    expect(again.ended).toBeUndefined();
    expect(again.loaded.session.sid).toBe(first.loaded.session.sid);
    expect(await svc.load(first.cookieValue)).toBeUndefined();
    const stored = await svc.load(again.cookieValue);
    expect(Object.keys(stored!.session.contexts).sort()).toEqual(['client-a', 'client-b']);
    expect(stored!.session.createdAt).toBe(T0);
  });

  it('another person never joins the session: the old one ends (returned for the logout notifications) and a new one starts', async () => {
    const first = await svc.authenticate(undefined, 'client-a', context({ pid: '15895010046', subjectRef: '15895010046' }));
    const other = await svc.authenticate(await svc.load(first.cookieValue), 'client-b', context({ pid: '23846821082', subjectRef: '23846821082' }));
    expect(other.ended?.sid).toBe(first.loaded.session.sid);
    expect(other.loaded.session.sid).not.toBe(first.loaded.session.sid);
    expect(Object.keys(other.loaded.session.contexts)).toEqual(['client-b']);
    expect(await svc.load(first.cookieValue)).toBeUndefined();
  });

  it('compares persons only where identities are comparable', () => {
    expect(differentPersons({ pid: '1', subjectRef: '1' }, { pid: '2', subjectRef: '2' })).toBe(true);
    expect(differentPersons({ pid: '1', subjectRef: '1' }, { pid: '1', subjectRef: '1' })).toBe(false);
    expect(differentPersons({ subjectRef: 'entraid:t:o1' }, { subjectRef: 'entraid:t:o2' })).toBe(true);
    expect(differentPersons({ subjectRef: 'entraid:t:o1' }, { subjectRef: 'entraid:t:o1' })).toBe(false);
    expect(differentPersons({ pid: '1', subjectRef: '1' }, { subjectRef: 'entraid:t:o1' })).toBe(false);
  });
});
