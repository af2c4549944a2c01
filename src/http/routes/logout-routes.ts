import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Params } from '../../core/params.js';
import type { Services } from '../../services.js';
import { backChannelStarter } from '../back-channel-start.js';
import { answerLogoutConfirmation, endSession, type ConfirmOutcome, type GlobalLogoutDeps } from '../../oauth/logout/global-logout.js';
import { peekPendingLogout } from '../../oauth/logout/logout-confirmation.js';
import { continueUpstreamLogout } from '../../oauth/logout/upstream-logout-chain.js';
import { SessionService } from '../../session/session-service.js';
import { LOCALES, pickLocale, type Locale } from '../../ui/i18n.js';
import { FRONT_CHANNEL_WAIT_MS, renderErrorPage, renderFrontChannelLogoutPage, renderLoggedOutPage } from '../../ui/index.js';
import { renderLogoutConfirmPage } from '../../ui/pages/logout-confirm.js';
import { renderLogoutDeclinedPage } from '../../ui/pages/logout-confirm-declined.js';
import { clearCookie, readCookie, setCookie } from '../cookies.js';
import { sendHtml } from '../respond.js';


export { pendingBackChannel } from '../back-channel-start.js';

const EXPIRED_CONFIRMATION: Record<Locale, string> = {
  nb: 'Spørsmålet om utlogging er utløpt eller allerede besvart. Gå tilbake til tjenesten og prøv på nytt.',
  nn: 'Spørsmålet om utlogging er utgått eller allereie svart på. Gå tilbake til tenesta og prøv på nytt.',
  en: 'The logout question has expired or was already answered. Go back to the service and try again.',
  se: 'Olggosčáliheami gažaldat lea nohkan dahje juo vástiduvvon. Mana ruovttoluotta bálvalussii ja geahččal ođđasit.',
};

/** GET and POST /logout: RP-initiated logout with global front- and back-channel logout (spec §12). */
export function logoutRoutes(app: FastifyInstance, s: Services): void {
  const confirmPath = `${s.config.loginBaseUrl}/logout/confirm`;

  const deps = (req: FastifyRequest): GlobalLogoutDeps => ({
    issuer: s.config.issuer, keys: s.keys, pairwiseSalt: s.pairwiseSalt,
    getActiveClient: async (id) => (await s.registry.getActive(id))?.client,
    getClient: async (id) => (await s.registry.get(id))?.client,
    sessions: s.sessions, grants: s.stores.grants, ephemeral: s.stores.ephemeral,
    startBackChannel: backChannelStarter(s, (fields, msg) => req.log.info(fields, msg), 'back-channel logout'),
    upstream: {
      ephemeral: s.stores.ephemeral,
      endSessionUrl: async (eid, idToken, state) => s.eids.find((e) => e.id === eid)?.logoutUrl?.(idToken, `${s.config.loginBaseUrl}/logout/upstream-return`, state),
    },
  });

  const cookieLocale = (req: FastifyRequest, ...more: (string | undefined)[]) => pickLocale([readCookie(req, s.cookieNames.lang), ...more]);

  const confirmPage = (reply: FastifyReply, locale: Locale, flow: string, csrf: string) =>
    sendHtml(reply, 200, () => renderLogoutConfirmPage({ locale, flow, csrf, action: confirmPath, langPath: confirmPath }));

  /** Turns the outcome of the end-session logic into the reply. */
  const respond = (req: FastifyRequest, res: FastifyReply, outcome: ConfirmOutcome, locale: Locale): FastifyReply => {
    switch (outcome.kind) {
      case 'confirm':
        return confirmPage(res, locale, outcome.pendingId, outcome.csrf);
      case 'kept':
        return sendHtml(res, 200, () => renderLogoutDeclinedPage({ locale }));
      case 'refused':
        return sendHtml(res, 403, () => renderErrorPage({ locale, errorCode: 'invalid_request', message: EXPIRED_CONFIRMATION[locale] }));
      case 'logged-out': {
        if (outcome.problem) req.log.info({ problem: outcome.problem }, 'logout without redirect');
        clearCookie(res, { secure: s.config.secureCookies }, s.cookieNames.session);
        const { frames, continueUrl, afterPost } = outcome;
        if (frames.length === 0) {
          if (continueUrl) return res.code(afterPost ? 303 : 302).header('Cache-Control', 'no-store').redirect(continueUrl, afterPost ? 303 : 302);
          return sendHtml(res, 200, () => renderLoggedOutPage({ locale }));
        }
        return sendHtml(res, 200, (nonce) => renderFrontChannelLogoutPage({ locale, frames, continueUrl, nonce, waitMs: FRONT_CHANNEL_WAIT_MS }), {
          script: true, frameSrc: frames, formAction: continueUrl ? [continueUrl] : [],
        });
      }
    }
  };

  const handler = async (req: FastifyRequest, res: FastifyReply, params: Params, afterPost: boolean) => {
    const locale = cookieLocale(req, ...(params.get('ui_locales') ?? '').split(' '));
    const outcome = await endSession(deps(req), { params, sessionCookie: readCookie(req, s.cookieNames.session), afterPost, locale });
    return respond(req, res, outcome, locale);
  };

  app.get('/logout', async (req, res) => handler(req, res, Params.fromSearchParams(new URL(req.url, 'http://x').searchParams), false));
  app.post('/logout', async (req, res) => handler(req, res, req.body instanceof Params ? req.body : Params.empty(), true));

  /** The confirmation page again, e.g. in another language (`lang` is remembered like on the login pages). */
  app.get('/logout/confirm', async (req, res) => {
    const q = new URL(req.url, 'http://x').searchParams;
    const lang = q.get('lang');
    let locale = cookieLocale(req);
    if (lang && (LOCALES as readonly string[]).includes(lang)) {
      locale = lang as Locale;
      setCookie(res, { secure: s.config.secureCookies }, s.cookieNames.lang, lang, 365 * 24 * 3600);
    }
    const cookie = readCookie(req, s.cookieNames.session);
    const pending = await peekPendingLogout(s.stores.ephemeral, q.get('flow') ?? undefined, cookie ? SessionService.keyFor(cookie) : undefined);
    if (!pending) return respond(req, res, { kind: 'refused' }, locale);
    return confirmPage(res, locale, q.get('flow')!, pending.csrf);
  });

  /** The user's answer: `answer=logout` logs out as the original request asked; anything else keeps the session. */
  app.post('/logout/confirm', async (req, res) => {
    const body = req.body instanceof Params ? req.body : Params.empty();
    const single = (name: string) => (body.isRepeated(name) ? undefined : body.get(name));
    const outcome = await answerLogoutConfirmation(deps(req), {
      pendingId: single('flow'), csrf: single('csrf'), answer: single('answer'), sessionCookie: readCookie(req, s.cookieNames.session),
      localeFor: (uiLocales) => cookieLocale(req, ...uiLocales),
    });
    return respond(req, res, outcome, cookieLocale(req, ...outcome.uiLocales));
  });

  /** Where upstream eIDs send the user back after their logout: continue with the next hop or the final target. */
  app.get('/logout/upstream-return', async (req, res) => {
    const state = new URL(req.url, 'http://x').searchParams.get('state');
    const next = await continueUpstreamLogout(deps(req).upstream, state);
    if (next.kind === 'redirect') return res.code(302).header('Cache-Control', 'no-store').redirect(next.url, 302);
    return sendHtml(res, 200, () => renderLoggedOutPage({ locale: (next.locale as Locale | undefined) ?? cookieLocale(req) }));
  });
}
