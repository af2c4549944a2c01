import { randomId, safeEqual } from '../../core/random.js';
import type { EphemeralStore } from '../../store/ports.js';

/** Namespace of end-session requests waiting for the user's answer in the short-lived store. */
export const LOGOUT_CONFIRM_NS = 'logout-confirm';
/** How long the confirmation page stays valid. */
export const LOGOUT_CONFIRM_TTL_S = 600;

/**
 * An end-session request that did not prove it came from the user's relying party, kept until the
 * user answers the confirmation page (OpenID Connect RP-Initiated Logout 1.0 §2).
 */
export interface PendingLogout {
  /** Anti-CSRF token of the confirmation form. */
  csrf: string;
  /** The store key of the session the question is about (a hash of its cookie). */
  sessionKey: string;
  /** The original parameters, repeats kept, so the logout proceeds exactly as asked. */
  params: [string, string][];
  /** Whether the original request was a POST (the final redirect is then 303, as without confirmation). */
  afterPost: boolean;
}

/** Stores a pending logout; returns its id (the form's `flow`) and CSRF token. */
export async function createPendingLogout(
  ephemeral: EphemeralStore, p: Omit<PendingLogout, 'csrf'>,
): Promise<{ id: string; csrf: string }> {
  const id = randomId(24);
  const csrf = randomId(24);
  await ephemeral.put(LOGOUT_CONFIRM_NS, id, { ...p, csrf } satisfies PendingLogout, LOGOUT_CONFIRM_TTL_S);
  return { id, csrf };
}

const ID_SHAPE = /^[A-Za-z0-9_-]{16,64}$/;

/** The pending logout `id` for this session (to show its page again, e.g. in another language); not consumed. */
export async function peekPendingLogout(ephemeral: EphemeralStore, id: string | undefined, sessionKey: string | undefined): Promise<PendingLogout | undefined> {
  if (!id || !ID_SHAPE.test(id) || !sessionKey) return undefined;
  const p = await ephemeral.get<PendingLogout>(LOGOUT_CONFIRM_NS, id);
  return p && safeEqual(p.sessionKey, sessionKey) ? p : undefined;
}

/**
 * Consumes the pending logout `id` when the form's CSRF token and the browser's session match it;
 * undefined otherwise (a forged, replayed, expired or foreign answer), and then nothing is consumed.
 */
export async function takePendingLogout(
  ephemeral: EphemeralStore, id: string | undefined, csrf: string | undefined, sessionKey: string | undefined,
): Promise<PendingLogout | undefined> {
  const p = await peekPendingLogout(ephemeral, id, sessionKey);
  if (!p || !csrf || !safeEqual(csrf, p.csrf)) return undefined;
  return ephemeral.take<PendingLogout>(LOGOUT_CONFIRM_NS, id!);
}
