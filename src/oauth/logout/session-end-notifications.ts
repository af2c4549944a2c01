import type { BrowserSession } from '../../session/browser-session.js';
import { planGlobalLogout, type GlobalLogoutDeps } from './global-logout.js';

/** The part of a global logout's dependencies that ending a session without the logout endpoint needs. */
export type SessionEndDeps = Pick<GlobalLogoutDeps, 'issuer' | 'grants' | 'getClient' | 'startBackChannel'>;

/**
 * What a logout does for the server side of an ended browser session (OIDC Back-Channel Logout
 * 1.0 §2.5, spec §12 (docs/spec.md)): the grants with only openid/profile are revoked, and
 * every client of the session with a backchannel_logout_uri gets a logout token, without making
 * the user wait. The front-channel frames (OIDC Front-Channel Logout 1.0 §2) are returned: they
 * need the browser, which loads them before it continues.
 */
export async function notifySessionEnd(deps: SessionEndDeps, session: BrowserSession): Promise<{ frames: string[] }> {
  await deps.grants.revokeGrantsForLogout(session.sid);
  const plan = await planGlobalLogout(session, deps);
  deps.startBackChannel(session.sid, plan.backChannel);
  return { frames: plan.frames };
}
