/**
 * Login sessions of the self-service pages. A browser cannot send a Bearer header by itself, so
 * the admin pastes a token into a login form once; the server checks it and keeps the verified
 * caller in a server-side session. The cookie holds only a random session id (HttpOnly,
 * SameSite=Strict); the store is keyed by the id's hash, and the token itself is never kept.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.js';
import { randomId, safeEqual, sha256b64url } from '../core/random.js';
import { readCookie } from '../http/cookies.js';
import type { EphemeralStore } from '../store/ports.js';
import type { AdminPrincipal } from './admin-auth.js';

const NS = 'admin-session';
const LOGIN_NS = 'admin-login';
const LOGIN_TTL_S = 30 * 60;

export interface AdminSession {
  principal: AdminPrincipal;
  /** Anti-CSRF token put into every form of the session. */
  csrf: string;
  /** Absolute end of the session (ms). */
  expiresAt: number;
  /** For the static admin token: its fingerprint, so that a changed ADMIN_TOKEN ends the session. */
  tokenFingerprint?: string;
}

export class AdminSessions {
  readonly cookieName: string;
  readonly loginCookieName: string;

  constructor(
    private readonly store: EphemeralStore,
    private readonly clock: Clock,
    private readonly opts: { ttlMinutes: number; secure: boolean; currentFingerprint: () => string | undefined },
  ) {
    const prefix = opts.secure ? '__Host-' : '';
    this.cookieName = `${prefix}ansattporten_admin`;
    this.loginCookieName = `${prefix}ansattporten_admin_login`;
  }

  private cookie(reply: FastifyReply, name: string, value: string, maxAgeS: number): void {
    const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(maxAgeS))}`];
    if (this.opts.secure) parts.push('Secure');
    const existing = reply.getHeader('Set-Cookie');
    const list = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
    reply.header('Set-Cookie', [...list, parts.join('; ')]);
  }

  /**
   * Starts the login form: a pre-login cookie bound to the form's CSRF token. Creating new state is
   * subject to `admit` (the bounds on unauthenticated state); undefined when it refuses.
   */
  async beginLogin(req: FastifyRequest, reply: FastifyReply, admit: () => Promise<boolean> = async () => true): Promise<string | undefined> {
    let id = readCookie(req, this.loginCookieName);
    if (id) {
      const existing = await this.store.get<{ csrf: string }>(LOGIN_NS, sha256b64url(id));
      if (existing) return existing.csrf;
    }
    if (!(await admit())) return undefined;
    id = randomId();
    const csrf = randomId();
    await this.store.put(LOGIN_NS, sha256b64url(id), { csrf }, LOGIN_TTL_S);
    this.cookie(reply, this.loginCookieName, id, LOGIN_TTL_S);
    return csrf;
  }

  /** Whether the login form's CSRF token matches the pre-login cookie. */
  async checkLoginCsrf(req: FastifyRequest, csrf: string | undefined): Promise<boolean> {
    const id = readCookie(req, this.loginCookieName);
    if (!id || !csrf) return false;
    const rec = await this.store.get<{ csrf: string }>(LOGIN_NS, sha256b64url(id));
    return !!rec && safeEqual(rec.csrf, csrf);
  }

  async create(req: FastifyRequest, reply: FastifyReply, principal: AdminPrincipal, tokenFingerprint?: string): Promise<void> {
    const loginId = readCookie(req, this.loginCookieName);
    if (loginId) await this.store.delete(LOGIN_NS, sha256b64url(loginId));
    const now = this.clock.now();
    const expiresAt = Math.min(now + this.opts.ttlMinutes * 60_000, principal.expiresAt ?? Number.MAX_SAFE_INTEGER);
    const id = randomId();
    const session: AdminSession = { principal, csrf: randomId(), expiresAt, ...(tokenFingerprint ? { tokenFingerprint } : {}) };
    const ttlS = Math.max(1, Math.ceil((expiresAt - now) / 1000));
    await this.store.put(NS, sha256b64url(id), session, ttlS);
    this.cookie(reply, this.loginCookieName, '', 0);
    this.cookie(reply, this.cookieName, id, ttlS);
  }

  async get(req: FastifyRequest): Promise<AdminSession | undefined> {
    const id = readCookie(req, this.cookieName);
    if (!id) return undefined;
    const s = await this.store.get<AdminSession>(NS, sha256b64url(id));
    if (!s || s.expiresAt <= this.clock.now()) return undefined;
    if (s.principal.kind === 'static') {
      const current = this.opts.currentFingerprint();
      if (!current || !s.tokenFingerprint || !safeEqual(current, s.tokenFingerprint)) return undefined;
    }
    return s;
  }

  async destroy(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const id = readCookie(req, this.cookieName);
    if (id) await this.store.delete(NS, sha256b64url(id));
    this.cookie(reply, this.cookieName, '', 0);
  }
}
