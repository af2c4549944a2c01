import type { Acr } from '../oauth/authorize/authorization-request.js';

/** What one client's isolated authentication context remembers (spec §11). */
export interface ClientContext {
  /** Seconds since the epoch of the actual authentication. */
  authTime: number;
  acr: Acr;
  amr: string[];
  eid: string;
  pid?: string;
  /** Stable person reference for the pairwise subject: the pid, or the eID's issuer and subject. */
  subjectRef: string;
  /** Claims from the eID: given_name, family_name, name, email, groups. */
  claims: Record<string, unknown>;
  locale: string;
  /** For logins through an upstream eID: its id and the upstream id_token (for upstream logout). */
  upstream?: { eid: string; idToken: string };
  /** The organisations chosen last time (orgnos, or 'self'), preselected when the picker is shown again. */
  chosen?: string[] | 'self';
}

/** One browser session: one cookie, one sid, one isolated context per client, shared timers. */
export interface BrowserSession {
  sid: string;
  createdAt: number; // ms
  lastActivityAt: number; // ms
  contexts: Record<string, ClientContext>;
}

export interface SessionTimers {
  absoluteMs: number;
  idleMs: number;
}

/** Valid iff now < created + absolute and now < last activity + idle; either expiry ends the whole session. */
export function isSessionAlive(s: BrowserSession, now: number, t: SessionTimers): boolean {
  return now < s.createdAt + t.absoluteMs && now < s.lastActivityAt + t.idleMs;
}

/** Milliseconds until the session expires if nothing happens. */
export function sessionTtlMs(s: BrowserSession, now: number, t: SessionTimers): number {
  return Math.min(s.createdAt + t.absoluteMs, s.lastActivityAt + t.idleMs) - now;
}

const LEVEL: Record<Acr, number> = { substantial: 1, high: 2, entraid: 0 };

/** Does an acr obtained earlier satisfy the requested acr values? */
export function acrSatisfies(have: Acr, requested: readonly Acr[]): boolean {
  return requested.some((r) => (r === 'entraid' ? have === 'entraid' : have !== 'entraid' && LEVEL[have] >= LEVEL[r]));
}

/**
 * Can the client's existing context be reused silently for this request? Only the same client
 * (isolated SSO), no prompt=login, within max_age, and at an acceptable level.
 */
export function reusableContext(
  s: BrowserSession | undefined, clientId: string, req: { prompt: { login: boolean }; maxAge?: number; acrValues: readonly Acr[] }, nowS: number,
): ClientContext | undefined {
  const ctx = s?.contexts[clientId];
  if (!ctx) return undefined;
  if (req.prompt.login) return undefined;
  // max_age=0 is equivalent to prompt=login (OIDC Core §3.1.2.1), even within the same second.
  if (req.maxAge !== undefined && (req.maxAge === 0 || nowS - ctx.authTime > req.maxAge)) return undefined;
  if (!acrSatisfies(ctx.acr, req.acrValues)) return undefined;
  return ctx;
}
