import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Params } from '../../core/params.js';
import type { Services } from '../../services.js';
import type { Client } from '../../clients/client-types.js';
import { decideEndSession } from '../../oauth/logout/end-session-request.js';
import { notifyBackChannel, type BackChannelOutcome } from '../../oauth/logout/back-channel-logout.js';
import { pickLocale, type Locale } from '../../ui/i18n.js';
import { randomId } from '../../core/random.js';
import { renderFrontChannelLogoutPage, renderLoggedOutPage } from '../../ui/index.js';
import { clearCookie, readCookie } from '../cookies.js';
import { sendHtml, withQuery } from '../respond.js';

const CHAIN_NS = 'upstream-logout';

interface UpstreamLogoutChain {
  hops: { eid: string; idToken: string }[];
  /** The validated post_logout_redirect_uri with state, or none (our logged-out page). */
  final?: string;
  locale: string;
}

/** The URL of the next upstream end-session hop, with the rest of the chain stored under its state; undefined when none is left. */
async function nextUpstreamHop(s: Services, chain: UpstreamLogoutChain): Promise<string | undefined> {
  while (chain.hops.length > 0) {
    const hop = chain.hops.shift()!;
    const eid = s.eids.find((e) => e.id === hop.eid);
    if (!eid?.logoutUrl) continue;
    const state = randomId(24);
    const url = await eid.logoutUrl(hop.idToken, `${s.config.loginBaseUrl}/logout/upstream-return`, state);
    if (!url) continue;
    await s.stores.ephemeral.put(CHAIN_NS, state, chain, 600);
    return url;
  }
  return undefined;
}

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
    const locale = pickLocale([readCookie(req, s.cookieNames.lang), ...(params.get('ui_locales') ?? '').split(' ')]);

    const frames: string[] = [];
    const upstreamLogouts: { eid: string; idToken: string }[] = [];
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
        if (ctx.upstream && !upstreamLogouts.some((u) => u.eid === ctx.upstream!.eid)) upstreamLogouts.push(ctx.upstream);
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
    let continueUrl = r ? withQuery(r.uri, r.state !== undefined ? { state: r.state } : {}) : undefined;
    // Upstream eIDs with an end-session endpoint are logged out too, one after the other, then the user continues.
    if (upstreamLogouts.length > 0) {
      const first = await nextUpstreamHop(s, { hops: upstreamLogouts, final: continueUrl, locale });
      if (first) continueUrl = first;
    }
    if (frames.length === 0) {
      if (continueUrl) return reply.code(afterPost ? 303 : 302).header('Cache-Control', 'no-store').redirect(continueUrl, afterPost ? 303 : 302);
      return sendHtml(reply, 200, () => renderLoggedOutPage({ locale }));
    }
    return sendHtml(reply, 200, (nonce) => renderFrontChannelLogoutPage({ locale, frames, continueUrl, nonce, waitMs: FRONT_CHANNEL_WAIT_MS }), {
      script: true, frameSrc: frames, formAction: continueUrl ? [continueUrl] : [],
    });
  };
  /** Where upstream eIDs send the user back after their logout: continue with the next hop or the final target. */
  app.get('/logout/upstream-return', async (req, reply) => {
    const state = new URL(req.url, 'http://x').searchParams.get('state');
    const chain = state && state.length <= 64 ? await s.stores.ephemeral.take<UpstreamLogoutChain>(CHAIN_NS, state) : undefined;
    if (!chain) return sendHtml(reply, 200, () => renderLoggedOutPage({ locale: pickLocale([readCookie(req, s.cookieNames.lang)]) }));
    const next = await nextUpstreamHop(s, chain);
    if (next) return reply.code(302).header('Cache-Control', 'no-store').redirect(next, 302);
    if (chain.final) return reply.code(302).header('Cache-Control', 'no-store').redirect(chain.final, 302);
    return sendHtml(reply, 200, () => renderLoggedOutPage({ locale: chain.locale as Locale }));
  });

  app.get('/logout', async (req, reply) => handler(req, reply, Params.fromSearchParams(new URL(req.url, 'http://x').searchParams), false));
  app.post('/logout', async (req, reply) => handler(req, reply, req.body instanceof Params ? req.body : Params.empty(), true));
}
