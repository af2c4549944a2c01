import type { Clock } from '../core/clock.js';
import { randomId, sha256b64url } from '../core/random.js';
import type { EphemeralStore } from '../store/ports.js';
import { isSessionAlive, sessionTtlMs, type BrowserSession, type ClientContext, type SessionTimers } from './browser-session.js';

const NS = 'session';

export interface LoadedSession {
  /** The store key: a hash of the cookie value, so the store never holds a usable cookie. */
  key: string;
  session: BrowserSession;
}

/** Browser sessions in the ephemeral store, keyed by the hash of the cookie value. */
export class SessionService {
  constructor(private readonly store: EphemeralStore, private readonly clock: Clock, readonly timers: SessionTimers) {}

  static keyFor(cookieValue: string): string {
    return sha256b64url(cookieValue);
  }

  /** The live session behind a cookie, or undefined (absent, unknown, expired, logged out). */
  async load(cookieValue: string | undefined): Promise<LoadedSession | undefined> {
    if (!cookieValue || cookieValue.length > 100) return undefined;
    const key = SessionService.keyFor(cookieValue);
    const session = await this.store.get<BrowserSession>(NS, key);
    if (!session) return undefined;
    if (!isSessionAlive(session, this.clock.now(), this.timers)) {
      await this.store.delete(NS, key);
      return undefined;
    }
    return { key, session };
  }

  /** Records activity (an authorization request) and saves; the idle timer restarts. */
  async touch(loaded: LoadedSession): Promise<void> {
    loaded.session.lastActivityAt = this.clock.now();
    await this.save(loaded);
  }

  async save(loaded: LoadedSession): Promise<void> {
    const ttl = sessionTtlMs(loaded.session, this.clock.now(), this.timers);
    if (ttl <= 0) {
      await this.store.delete(NS, loaded.key);
      return;
    }
    await this.store.put(NS, loaded.key, loaded.session, Math.ceil(ttl / 1000));
  }

  /**
   * Adds an authenticated context for a client. An existing live session gets the context
   * (same sid); otherwise a new session with a new sid and a new cookie value is started, so a
   * cookie value the server did not issue for a live session can never become one.
   */
  async addContext(existing: LoadedSession | undefined, clientId: string, ctx: ClientContext): Promise<{ loaded: LoadedSession; cookieValue?: string }> {
    const now = this.clock.now();
    if (existing && isSessionAlive(existing.session, now, this.timers)) {
      existing.session.contexts[clientId] = ctx;
      existing.session.lastActivityAt = now;
      await this.save(existing);
      return { loaded: existing };
    }
    const cookieValue = randomId(32);
    const loaded: LoadedSession = {
      key: SessionService.keyFor(cookieValue),
      session: { sid: randomId(32), createdAt: now, lastActivityAt: now, contexts: { [clientId]: ctx } },
    };
    await this.save(loaded);
    return { loaded, cookieValue };
  }

  /**
   * A person has just authenticated for a client (not a silent reuse). The cookie value always
   * changes, so a value planted in the browser beforehand is worthless afterwards (session
   * fixation, RFC 6819 §4.2.4 by analogy; OWASP session management). The same person keeps the
   * session (its sid, contexts and absolute timer) under the new value; another person never
   * joins it: the old session ends (returned as `ended`, for the logout notifications) and a new
   * one starts.
   */
  async authenticate(existing: LoadedSession | undefined, clientId: string, ctx: ClientContext): Promise<{ loaded: LoadedSession; cookieValue: string; ended?: BrowserSession }> {
    const now = this.clock.now();
    if (existing && isSessionAlive(existing.session, now, this.timers)) {
      await this.store.delete(NS, existing.key);
      const samePerson = Object.values(existing.session.contexts).every((c) => !differentPersons(c, ctx));
      if (samePerson) {
        const cookieValue = randomId(32);
        const moved: LoadedSession = { key: SessionService.keyFor(cookieValue), session: existing.session };
        const { loaded } = await this.addContext(moved, clientId, ctx);
        return { loaded, cookieValue };
      }
      const started = await this.addContext(undefined, clientId, ctx);
      return { loaded: started.loaded, cookieValue: started.cookieValue!, ended: existing.session };
    }
    const started = await this.addContext(undefined, clientId, ctx);
    return { loaded: started.loaded, cookieValue: started.cookieValue! };
  }

  async destroy(key: string): Promise<void> {
    await this.store.delete(NS, key);
  }
}

/**
 * Two contexts are of different persons when their identities can be compared and differ: two
 * national identity numbers, or two identities of the same kind without one (work accounts by
 * issuer and subject). A national identity number and a work account cannot be compared: the same
 * employee often has both, and they may share one session.
 */
export function differentPersons(a: Pick<ClientContext, 'pid' | 'subjectRef'>, b: Pick<ClientContext, 'pid' | 'subjectRef'>): boolean {
  if (a.pid !== undefined && b.pid !== undefined) return a.pid !== b.pid;
  if (a.pid === undefined && b.pid === undefined) return a.subjectRef !== b.subjectRef;
  return false;
}
