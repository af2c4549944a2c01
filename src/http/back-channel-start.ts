import { notifyBackChannel, type BackChannelOutcome } from '../oauth/logout/back-channel-logout.js';
import type { GlobalLogoutPlan } from '../oauth/logout/global-logout.js';
import type { Services } from '../services.js';

/** Back-channel deliveries still running (awaited on shutdown and by tests). */
export const pendingBackChannel = new Set<Promise<BackChannelOutcome[]>>();

/**
 * Starts the back-channel logout deliveries of one ended session without making the user wait
 * (OIDC Back-Channel Logout 1.0 §2.5), each outcome handed to `log` with `message`; the same for a logout
 * and for a session ended because another person authenticated in the browser.
 */
export function backChannelStarter(s: Services, log: ((fields: Record<string, unknown>, msg: string) => void) | undefined, message: string) {
  return (sid: string, participants: GlobalLogoutPlan['backChannel']): void => {
    const delivery = notifyBackChannel({
      keys: s.keys, issuer: s.config.issuer, production: s.config.production, pairwiseSalt: s.pairwiseSalt,
      nowS: () => Math.floor(s.clock.now() / 1000),
      record: (o) => log?.({ backchannel: { client_id: o.clientId, ok: o.ok, status: o.status, error: o.error, jti: o.jti } }, message),
    }, sid, participants);
    pendingBackChannel.add(delivery);
    void delivery.finally(() => pendingBackChannel.delete(delivery));
  };
}
