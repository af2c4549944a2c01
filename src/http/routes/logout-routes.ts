import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Params } from '../../core/params.js';
import type { Services } from '../../services.js';
import type { Client } from '../../clients/client-types.js';
import { decideEndSession } from '../../oauth/logout/end-session-request.js';
import { notifyBackChannel, type BackChannelOutcome } from '../../oauth/logout/back-channel-logout.js';
import { pickLocale } from '../../ui/i18n.js';
import { renderFrontChannelLogoutPage, renderLoggedOutPage } from '../../ui/index.js';
import { clearCookie, readCookie } from '../cookies.js';
import { sendHtml, withQuery } from '../respond.js';

/** How long the front-channel logout page waits for the client frames before it continues. */
const FRONT_CHANNEL_WAIT_MS = 5000;

/** Back-channel deliveries still running (awaited on shutdown and by tests). */
export const pendingBackChannel = new Set<Promise<BackChannelOutcome[]>>();

/** GET and POST /logout: RP-initiated logout with global front- and back-channel logout (spec §12). */
export function logoutRoutes(app: FastifyInstance, s: Services): void {
  const handler = async (req: FastifyRequest, reply: FastifyReply, params: Params, afterPost: boolean) => {
    const decision = await decideEndSession(params, {
      keys: s.keys, issuer: s.config.issuer, getClient: async (id) => (await s.registry.getActive(id))?.client,
    });
    if (decision.problem) req.log.info({ problem: decision.problem }, 'logout without redirect');
    const locale = pickLocale([...(params.get('ui_locales') ?? '').split(' '), readCookie(req, s.cookieNames.lang)]);

    const frames: string[] = [];
    const loaded = await s.sessions.load(readCookie(req, s.cookieNames.session));
    if (loaded) {
      const { sid, contexts } = loaded.session;
      await s.sessions.destroy(loaded.key);
      await s.stores.grants.revokeGrantsForLogout(sid);
      const participants: { client: Client; subjectRef: string }[] = [];
      for (const [clientId, ctx] of Object.entries(contexts)) {
        const stored = await s.registry.get(clientId);
        if (!stored) continue;
        participants.push({ client: stored.client, subjectRef: ctx.subjectRef });
        const fcl = stored.client.frontchannel_logout_uri;
        if (fcl) frames.push(stored.client.frontchannel_logout_session_required ? withQuery(fcl, { iss: s.config.issuer, sid }) : fcl);
      }
      const delivery = notifyBackChannel({
        keys: s.keys, issuer: s.config.issuer, production: s.config.production, pairwiseSalt: s.pairwiseSalt,
        nowS: () => Math.floor(s.clock.now() / 1000),
        record: (o) => req.log.info({ backchannel: { client_id: o.clientId, ok: o.ok, status: o.status, error: o.error, jti: o.jti } }, 'back-channel logout'),
      }, sid, participants);
      pendingBackChannel.add(delivery);
      void delivery.finally(() => pendingBackChannel.delete(delivery));
    }
    clearCookie(reply, { secure: s.config.secureCookies }, s.cookieNames.session);

    const r = decision.redirect;
    const continueUrl = r ? withQuery(r.uri, r.state !== undefined ? { state: r.state } : {}) : undefined;
    if (frames.length === 0) {
      if (continueUrl) return reply.code(afterPost ? 303 : 302).header('Cache-Control', 'no-store').redirect(continueUrl, afterPost ? 303 : 302);
      return sendHtml(reply, 200, () => renderLoggedOutPage({ locale }));
    }
    return sendHtml(reply, 200, (nonce) => renderFrontChannelLogoutPage({ locale, frames, continueUrl, nonce, waitMs: FRONT_CHANNEL_WAIT_MS }), {
      script: true, frameSrc: frames, formAction: continueUrl ? [continueUrl] : [],
    });
  };
  app.get('/logout', async (req, reply) => handler(req, reply, Params.fromSearchParams(new URL(req.url, 'http://x').searchParams), false));
  app.post('/logout', async (req, reply) => handler(req, reply, req.body instanceof Params ? req.body : Params.empty(), true));
}
