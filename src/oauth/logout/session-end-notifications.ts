import type { Client } from '../../clients/client-types.js';
import type { BrowserSession } from '../../session/browser-session.js';
import type { GrantStore } from '../../store/ports.js';
import { notifyBackChannel, type BackChannelDeps, type BackChannelOutcome } from './back-channel-logout.js';

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
 * the user wait. Front-channel frames need the browser and are shown by the logout page only.
 */
export async function notifySessionEnd(deps: SessionEndDeps, session: BrowserSession): Promise<void> {
  await deps.grants.revokeGrantsForLogout(session.sid);
  const participants: { client: Client; subjectRef: string }[] = [];
  for (const [clientId, ctx] of Object.entries(session.contexts)) {
    const client = await deps.getClient(clientId);
    if (client) participants.push({ client, subjectRef: ctx.subjectRef });
  }
  const delivery = notifyBackChannel(deps.backChannel, session.sid, participants);
  deps.pending.add(delivery);
  void delivery.finally(() => deps.pending.delete(delivery));
}
