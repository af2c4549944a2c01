import type { Client } from '../../clients/client-types.js';
import type { BrowserSession } from '../../session/browser-session.js';
import type { GrantStore } from '../../store/ports.js';
import { notifyBackChannel, type BackChannelDeps, type BackChannelOutcome } from './back-channel-logout.js';
import { planGlobalLogout } from './global-logout.js';

export interface SessionEndDeps {
  grants: Pick<GrantStore, 'revokeGrantsForLogout'>;
  getClient(clientId: string): Promise<Client | undefined>;
  backChannel: BackChannelDeps;
  /** Deliveries still running (awaited on shutdown and by tests). */
  pending: Set<Promise<BackChannelOutcome[]>>;
}

/**
 * What a logout does for the server side of an ended browser session (OIDC Back-Channel Logout
 * 1.0 §2.5, spec §12 (docs/spec.md)): the grants with only openid/profile are revoked, and
 * every client of the session with a backchannel_logout_uri gets a logout token, without making
 * the user wait. The front-channel frames (OIDC Front-Channel Logout 1.0 §2) are returned: they
 * need the browser, which loads them before it continues.
 */
export async function notifySessionEnd(deps: SessionEndDeps, session: BrowserSession): Promise<{ frames: string[] }> {
  await deps.grants.revokeGrantsForLogout(session.sid);
  const plan = await planGlobalLogout(session, { issuer: deps.backChannel.issuer, getClient: deps.getClient });
  const delivery = notifyBackChannel(deps.backChannel, session.sid, plan.backChannel);
  deps.pending.add(delivery);
  void delivery.finally(() => deps.pending.delete(delivery));
  return { frames: plan.frames };
}
