import type { Clock } from '../core/clock.js';
import { randomId, sha256b64url } from '../core/random.js';
import type { EphemeralStore, ShortLivedWrites } from '../store/ports.js';
import { isSessionAlive, sessionTtlMs, type BrowserSession, type ClientContext, type SessionTimers } from './browser-session.js';
import { joinWrites, shortLived, type ShortLived } from '../store/short-lived.js';


export interface LoadedSession {
  /** The store key: a hash of the cookie value, so the store never holds a usable cookie. */
  key: string;
  session: BrowserSession;
}

/** Browser sessions in the ephemeral store, keyed by the hash of the cookie value. */
export class SessionService {
  private readonly records: ShortLived<BrowserSession>;

  constructor(private readonly store: EphemeralStore, private readonly clock: Clock, readonly timers: SessionTimers) {
    this.records = shortLived<BrowserSession>(store, 'session');
  }

  static keyFor(cookieValue: string): string {
    return sha256b64url(cookieValue);
  }

  /** The live session behind a cookie, or undefined (absent, unknown, expired, logged out). */
  async load(cookieValue: string | undefined): Promise<LoadedSession | undefined> {
    if (!cookieValue || cookieValue.length > 100) return undefined;
    const key = SessionService.keyFor(cookieValue);
    const session = await this.records.get(key);
    if (!session) return undefined;
    if (!isSessionAlive(session, this.clock.now(), this.timers)) {
      await this.records.delete(key);
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
    await this.store.write(this.saveWrites(loaded));
  }

  /** What `save` writes: the session with its remaining lifetime, or its deletion when it has none left. */
  saveWrites(loaded: LoadedSession): ShortLivedWrites {
    const ttl = sessionTtlMs(loaded.session, this.clock.now(), this.timers);
    if (ttl <= 0) return { remove: [this.records.ref(loaded.key)] };
    return { put: [this.records.record(loaded.key, loaded.session, Math.ceil(ttl / 1000))] };
  }

  /**
   * Adds an authenticated context for a client. An existing live session gets the context
   * (same sid); otherwise a new session with a new sid and a new cookie value is started, so a
   * cookie value the server did not issue for a live session can never become one.
   */
  async addContext(existing: LoadedSession | undefined, clientId: string, ctx: ClientContext): Promise<{ loaded: LoadedSession; cookieValue?: string }> {
    const { writes, ...result } = this.contextAdded(existing, clientId, ctx);
    await this.store.write(writes);
    return result;
  }

  private contextAdded(existing: LoadedSession | undefined, clientId: string, ctx: ClientContext): { loaded: LoadedSession; cookieValue?: string; writes: ShortLivedWrites } {
    const now = this.clock.now();
    if (existing && isSessionAlive(existing.session, now, this.timers)) {
      existing.session.contexts[clientId] = ctx;
      existing.session.lastActivityAt = now;
      return { loaded: existing, writes: this.saveWrites(existing) };
    }
    const cookieValue = randomId(32);
    const loaded: LoadedSession = {
      key: SessionService.keyFor(cookieValue),
      session: { sid: randomId(32), createdAt: now, lastActivityAt: now, contexts: { [clientId]: ctx } },
    };
    return { loaded, cookieValue, writes: this.saveWrites(loaded) };
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
    const { writes, ...result } = this.authentication(existing, clientId, ctx);
    await this.store.write(writes);
    return result;
  }

  /** What `authenticate` decides, and the writes it makes (for the caller to make them in one step with its own). */
  authentication(existing: LoadedSession | undefined, clientId: string, ctx: ClientContext): { loaded: LoadedSession; cookieValue: string; ended?: BrowserSession; writes: ShortLivedWrites } {
    const now = this.clock.now();
    if (existing && isSessionAlive(existing.session, now, this.timers)) {
      const ended = { remove: [this.records.ref(existing.key)] };
      const samePerson = Object.values(existing.session.contexts).every((c) => !differentPersons(c, ctx));
      if (samePerson) {
        const cookieValue = randomId(32);
        const moved: LoadedSession = { key: SessionService.keyFor(cookieValue), session: existing.session };
        const { loaded, writes } = this.contextAdded(moved, clientId, ctx);
        return { loaded, cookieValue, writes: joinWrites(ended, writes) };
      }
      const started = this.contextAdded(undefined, clientId, ctx);
      return { loaded: started.loaded, cookieValue: started.cookieValue!, ended: existing.session, writes: joinWrites(ended, started.writes) };
    }
    const started = this.contextAdded(undefined, clientId, ctx);
    return { loaded: started.loaded, cookieValue: started.cookieValue!, writes: started.writes };
  }

  async destroy(key: string): Promise<void> {
    await this.records.delete(key);
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
