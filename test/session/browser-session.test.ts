import { describe, expect, it } from 'vitest';
import type { Acr } from '../../src/oauth/authorize/authorization-request.js';
import {
  acrSatisfies, isSessionAlive, reusableContext, sessionTtlMs, type BrowserSession, type ClientContext, type SessionTimers,
} from '../../src/session/browser-session.js';

const MIN = 60_000;
const TIMERS: SessionTimers = { absoluteMs: 120 * MIN, idleMs: 30 * MIN };
const T0 = Date.UTC(2025, 5, 1, 8);
const T0S = T0 / 1000;

function context(over: Partial<ClientContext> = {}): ClientContext {
  return {
    authTime: T0S, acr: 'substantial', amr: ['TestID'], eid: 'testid', pid: '15895010046', subjectRef: '15895010046',
    claims: {}, locale: 'nb', ...over,
  };
}

function session(over: Partial<BrowserSession> = {}): BrowserSession {
  return { sid: 'sid-1', createdAt: T0, lastActivityAt: T0, contexts: { 'client-a': context() }, ...over };
}

const req = (over: { login?: boolean; maxAge?: number; acr?: Acr[] } = {}) => {
  const r: { prompt: { login: boolean }; maxAge?: number; acrValues: Acr[] } = { prompt: { login: over.login ?? false }, acrValues: over.acr ?? ['substantial'] };
  if (over.maxAge !== undefined) r.maxAge = over.maxAge;
  return r;
};

describe('isSessionAlive: the two shared timers', () => {
  it('is alive right after the first login', () => {
    expect(isSessionAlive(session(), T0, TIMERS)).toBe(true);
  });

  it('ends after 30 minutes without activity (exclusive bound)', () => {
    expect(isSessionAlive(session(), T0 + 30 * MIN - 1, TIMERS)).toBe(true);
    expect(isSessionAlive(session(), T0 + 30 * MIN, TIMERS)).toBe(false);
  });

  it('measures idle time from the last activity', () => {
    const s = session({ lastActivityAt: T0 + 60 * MIN });
    expect(isSessionAlive(s, T0 + 89 * MIN, TIMERS)).toBe(true);
    expect(isSessionAlive(s, T0 + 90 * MIN, TIMERS)).toBe(false);
  });

  it('ends 120 minutes after the first login even with recent activity', () => {
    const s = session({ lastActivityAt: T0 + 119 * MIN });
    expect(isSessionAlive(s, T0 + 120 * MIN - 1, TIMERS)).toBe(true);
    expect(isSessionAlive(s, T0 + 120 * MIN, TIMERS)).toBe(false);
  });

  it('does not depend on the contexts (timers are shared, not per client)', () => {
    const s = session({ contexts: { a: context({ authTime: T0S + 7000 }), b: context() } });
    expect(isSessionAlive(s, T0 + 30 * MIN, TIMERS)).toBe(false);
  });
});

describe('sessionTtlMs', () => {
  it('is the time to the nearer of the two expiries', () => {
    expect(sessionTtlMs(session(), T0, TIMERS)).toBe(30 * MIN);
    expect(sessionTtlMs(session({ lastActivityAt: T0 + 100 * MIN }), T0 + 100 * MIN, TIMERS)).toBe(20 * MIN);
    expect(sessionTtlMs(session({ lastActivityAt: T0 + 10 * MIN }), T0 + 15 * MIN, TIMERS)).toBe(25 * MIN);
  });

  it('is zero or negative once expired', () => {
    expect(sessionTtlMs(session(), T0 + 30 * MIN, TIMERS)).toBe(0);
    expect(sessionTtlMs(session(), T0 + 31 * MIN, TIMERS)).toBe(-MIN);
  });
});

describe('acrSatisfies', () => {
  const cases: [Acr, Acr[], boolean][] = [
    ['substantial', ['substantial'], true],
    ['high', ['high'], true],
    ['high', ['substantial'], true],
    ['substantial', ['high'], false],
    ['substantial', ['high', 'substantial'], true],
    ['entraid', ['entraid'], true],
    ['entraid', ['substantial'], false],
    ['entraid', ['high'], false],
    ['substantial', ['entraid'], false],
    ['high', ['entraid'], false],
    ['entraid', ['substantial', 'entraid'], true],
    ['high', ['entraid', 'substantial'], true],
    ['high', [], false],
  ];
  for (const [have, requested, want] of cases) {
    it(`${have} ${want ? 'satisfies' : 'does not satisfy'} [${requested.join(' ')}]`, () => {
      expect(acrSatisfies(have, requested)).toBe(want);
    });
  }
});

describe('reusableContext', () => {
  const now = T0S + 600;

  it('returns the context of the same client', () => {
    const s = session();
    expect(reusableContext(s, 'client-a', req(), now)).toBe(s.contexts['client-a']);
  });

  it('never reuses across clients (isolated SSO)', () => {
    expect(reusableContext(session(), 'client-b', req(), now)).toBeUndefined();
  });

  it('picks the right client among several', () => {
    const b = context({ acr: 'high', eid: 'bankid' });
    const s = session({ contexts: { 'client-a': context(), 'client-b': b } });
    expect(reusableContext(s, 'client-b', req(), now)).toBe(b);
  });

  it('returns nothing without a session', () => {
    expect(reusableContext(undefined, 'client-a', req(), now)).toBeUndefined();
  });

  it('prompt=login forces a new authentication', () => {
    expect(reusableContext(session(), 'client-a', req({ login: true }), now)).toBeUndefined();
  });

  it('max_age: reuses when the authentication is not older than max_age', () => {
    expect(reusableContext(session(), 'client-a', req({ maxAge: 600 }), now)).toBeDefined();
    expect(reusableContext(session(), 'client-a', req({ maxAge: 599 }), now)).toBeUndefined();
    expect(reusableContext(session(), 'client-a', req({ maxAge: 1 }), T0S + 1)).toBeDefined();
    expect(reusableContext(session(), 'client-a', req({ maxAge: 1 }), T0S + 2)).toBeUndefined();
  });

  it('max_age=0 forces a new authentication, even within the same second (like prompt=login)', () => {
    expect(reusableContext(session(), 'client-a', req({ maxAge: 0 }), T0S)).toBeUndefined();
    expect(reusableContext(session(), 'client-a', req({ maxAge: 0 }), T0S + 1)).toBeUndefined();
  });

  it('a substantial context does not satisfy a request for only high', () => {
    expect(reusableContext(session(), 'client-a', req({ acr: ['high'] }), now)).toBeUndefined();
  });

  it('a high context satisfies a request for substantial', () => {
    const s = session({ contexts: { 'client-a': context({ acr: 'high' }) } });
    expect(reusableContext(s, 'client-a', req({ acr: ['substantial'] }), now)).toBe(s.contexts['client-a']);
    expect(reusableContext(s, 'client-a', req({ acr: ['high'] }), now)).toBe(s.contexts['client-a']);
  });

  it('an entraid context is reused only when entraid is acceptable', () => {
    const s = session({ contexts: { 'client-a': context({ acr: 'entraid', eid: 'entraid' }) } });
    expect(reusableContext(s, 'client-a', req({ acr: ['substantial'] }), now)).toBeUndefined();
    expect(reusableContext(s, 'client-a', req({ acr: ['substantial', 'entraid'] }), now)).toBeDefined();
  });

  it('a substantial context is not reused for an entraid-only request', () => {
    expect(reusableContext(session(), 'client-a', req({ acr: ['entraid'] }), now)).toBeUndefined();
  });
});
