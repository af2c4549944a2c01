import type { Params } from '../../core/params.js';
import type { BrowserSession } from '../../session/browser-session.js';
import type { SigningKeys } from '../../tokens/signing-keys.js';
import { pairwiseSubject } from '../../tokens/pairwise-subject.js';
import { verifyIdTokenHint, type VerifiedIdTokenHint } from './end-session-request.js';

/**
 * Does a verified id_token_hint belong to this browser session? Only if it was issued to a client
 * with a context in the session, for the person of that context (the pairwise `sub`), for the
 * authentication that context remembers (`auth_time`), and — when it carries one — for this `sid`.
 * An id_token from another browser, another person or an earlier login proves nothing here.
 */
export function hintMatchesSession(hint: VerifiedIdTokenHint, session: BrowserSession, pairwiseSalt: string): boolean {
  const ctx = Object.hasOwn(session.contexts, hint.aud) ? session.contexts[hint.aud] : undefined;
  if (!ctx) return false;
  if (hint.sub === undefined || hint.sub !== pairwiseSubject(pairwiseSalt, hint.aud, ctx.subjectRef)) return false;
  if (hint.authTime === undefined || hint.authTime !== ctx.authTime) return false;
  if (hint.sid !== undefined && hint.sid !== session.sid) return false;
  return true;
}

/**
 * Whether the end-session request proves that the user's own relying party sent it: exactly one
 * id_token_hint, issued by us, for the current session (OpenID Connect RP-Initiated Logout 1.0 §2:
 * without such a hint the OP must ask the user whether to log out).
 */
export async function logoutRequestIsProven(
  params: Params, session: BrowserSession, deps: { keys: SigningKeys; issuer: string; pairwiseSalt: string },
): Promise<boolean> {
  const hints = params.all('id_token_hint');
  if (hints.length !== 1) return false;
  const hint = await verifyIdTokenHint(hints[0]!, deps.keys, deps.issuer);
  return !!hint && hintMatchesSession(hint, session, deps.pairwiseSalt);
}
