import type { FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../core/oauth-error.js';
import { randomId } from '../core/random.js';
import type { Services } from '../services.js';
import type { Metrics } from '../observability/metrics.js';
import type { AuthorizationRequest } from '../oauth/authorize/authorization-request.js';
import { createCode } from '../oauth/authorization-code.js';
import type { LoginFlow, LoginFlows } from '../oauth/login-flow.js';
import { AuthorisationSourceError, type Party } from '../representation/authorisation-source.js';
import { issueAuthorizationDetails } from '../representation/issue-authorization-details.js';
import { reusableContext, type ClientContext } from '../session/browser-session.js';
import type { LoadedSession } from '../session/session-service.js';
import { pickLocale, type Locale } from '../ui/i18n.js';
import { renderErrorPage, renderNoRepresentationPage } from '../ui/index.js';
import { sendAuthorizationError, sendAuthorizationResponse, type ResponseTarget } from './authorization-response.js';
import { readCookie, setCookie } from './cookies.js';
import { sendHtml } from './respond.js';
import { eidsFor } from '../eid/eid.js';
import { startUpstreamLogin } from './routes/upstream-routes.js';

export function targetOf(request: AuthorizationRequest): ResponseTarget {
  return { redirectUri: request.redirectUri, responseMode: request.responseMode, state: request.state };
}

/**
 * The steps of a login after the authorization request is valid: reuse of the client's isolated
 * context, authentication, the organisation picker, then the code back to the client.
 */
export class LoginSteps {
  constructor(private readonly s: Services, readonly flows: LoginFlows, readonly metrics?: Metrics) {}

  /** nb by default → ui_locales → a language cookie from an earlier switch overrides both (spec §5.4); a switch during this flow wins. */
  locale(req: FastifyRequest, flow?: LoginFlow): Locale {
    return pickLocale([flow?.pickedLocale, readCookie(req, this.s.cookieNames.lang), ...(flow?.request.uiLocales ?? [])]);
  }

  /** The browser-binding cookie; created on the first visit. */
  browserCookie(req: FastifyRequest, reply: FastifyReply): string {
    let value = readCookie(req, this.s.cookieNames.browser);
    if (!value) {
      value = randomId(24);
      setCookie(reply, { secure: this.s.config.secureCookies }, this.s.cookieNames.browser, value);
    }
    return value;
  }

  async begin(req: FastifyRequest, reply: FastifyReply, request: AuthorizationRequest, afterPost: boolean): Promise<FastifyReply> {
    const loaded = await this.s.sessions.load(readCookie(req, this.s.cookieNames.session));
    if (loaded) await this.s.sessions.touch(loaded); // inactivity = time between two authorization requests
    const nowS = Math.floor(this.s.clock.now() / 1000);
    const ctx = reusableContext(loaded?.session, request.clientId, request, nowS);
    if (!ctx) {
      if (request.prompt.none) {
        this.metrics?.logins.inc({ eid: 'none', outcome: 'login_required' });
        return sendAuthorizationError(reply, this.s.config.issuer, targetOf(request), new OAuthError('login_required', 'the user must authenticate'), afterPost);
      }
      const browser = this.browserCookie(req, reply);
      const flow = await this.flows.create(request, browser);
      // The selector skips itself when exactly one eID fits and it is an upstream eID (spec §5.3).
      // TestID keeps its selector page, so test scripts have one stable path (eid=testid).
      const fitting = eidsFor(this.s.eids, request.acrValues);
      if (fitting.length === 1 && this.s.upstreams.has(fitting[0]!.id)) return startUpstreamLogin(this.s, this, reply, flow, fitting[0]!.id);
      return reply.code(afterPost ? 303 : 302).header('Cache-Control', 'no-store').redirect(`${this.s.config.loginBaseUrl}/login/select?flow=${flow.id}`, afterPost ? 303 : 302);
    }
    if (!request.authorizationDetails) return this.finish(req, reply, { request, context: ctx, reused: true }, undefined, afterPost, loaded);
    const browser = this.browserCookie(req, reply);
    const flow = await this.flows.create(request, browser, { context: ctx, reused: true });
    return this.afterAuthentication(req, reply, flow, afterPost);
  }

  /** After authentication (or reuse): ask the authorisation source, show the picker when there is a choice. */
  async afterAuthentication(req: FastifyRequest, reply: FastifyReply, flow: LoginFlow, afterPost: boolean): Promise<FastifyReply> {
    const rar = flow.request.authorizationDetails;
    const ctx = flow.context!;
    if (!rar) return this.finish(req, reply, flow, undefined, afterPost);
    const hasEmail = typeof ctx.claims.email === 'string';
    if (rar.type === 'ansattporten:orgno' && !hasEmail) {
      return this.finish(req, reply, flow, issueAuthorizationDetails(rar, 'none', this.s.resourceNames, false), afterPost);
    }
    let parties: Party[];
    try {
      parties = await this.s.source.listParties({
        pid: ctx.pid, email: hasEmail ? (ctx.claims.email as string) : undefined,
        groups: Array.isArray(ctx.claims.groups) ? (ctx.claims.groups as string[]) : undefined,
        clientId: flow.request.clientId, rar,
      });
    } catch (e) {
      if (!(e instanceof AuthorisationSourceError)) throw e;
      req.log.warn({ err: e.message }, 'authorisation source failed');
      const locale = this.locale(req, flow);
      return sendHtml(reply, 503, () => renderErrorPage({
        locale, errorCode: 'temporarily_unavailable',
        message: sourceDownMessage(locale),
        returnAction: { url: `${this.s.config.loginBaseUrl}/login/return`, fields: { flow: flow.id, csrf: flow.csrf, reason: 'source_unavailable' } },
      }));
    }
    if (parties.length === 0) {
      if (rar.representationRequired) {
        const locale = this.locale(req, flow);
        const client = await this.s.registry.getActive(flow.request.clientId);
        return sendHtml(reply, 403, () => renderNoRepresentationPage({
          locale, flow: flow.id, csrf: flow.csrf, clientName: client?.client.client_name ?? flow.request.clientId,
          returnUrl: `${this.s.config.loginBaseUrl}/login/return`,
        }));
      }
      return this.finish(req, reply, flow, issueAuthorizationDetails(rar, 'none', this.s.resourceNames, hasEmail), afterPost);
    }
    if (flow.request.prompt.none) {
      await this.flows.finish(flow.id);
      return sendAuthorizationError(reply, this.s.config.issuer, targetOf(flow.request), new OAuthError('interaction_required', 'the user must choose an organisation'), afterPost);
    }
    flow.parties = parties;
    await this.flows.save(flow);
    return reply.code(303).header('Cache-Control', 'no-store').redirect(`${this.s.config.loginBaseUrl}/login/organizations?flow=${flow.id}`, 303);
  }

  /** Records the context in the browser session, issues the code and answers the client. */
  async finish(
    req: FastifyRequest, reply: FastifyReply,
    flow: Pick<LoginFlow, 'request' | 'context' | 'reused'> & { id?: string },
    authorizationDetails: unknown[] | undefined, afterPost: boolean, loadedSession?: LoadedSession, chosen?: string[] | 'self',
  ): Promise<FastifyReply> {
    if (flow.id && !(await this.flows.finish(flow.id))) {
      throw new OAuthError('invalid_request', 'flow_expired', 'page');
    }
    const request = flow.request;
    const context: ClientContext = { ...flow.context!, ...(chosen ? { chosen } : {}) };
    let loaded = loadedSession ?? (await this.s.sessions.load(readCookie(req, this.s.cookieNames.session)));
    if (flow.reused && loaded && loaded.session.contexts[request.clientId]) {
      if (chosen) {
        loaded.session.contexts[request.clientId] = context;
        await this.s.sessions.save(loaded);
      }
    } else {
      const added = await this.s.sessions.addContext(loaded, request.clientId, context);
      loaded = added.loaded;
      if (added.cookieValue) setCookie(reply, { secure: this.s.config.secureCookies }, this.s.cookieNames.session, added.cookieValue);
    }
    const code = await createCode(this.s.stores.ephemeral, {
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      nonce: request.nonce,
      scope: request.scope.join(' '),
      sid: loaded.session.sid,
      resource: request.resource,
      authorizationDetails,
      context,
    }, this.s.config.lifetimes.code_seconds);
    this.metrics?.logins.inc({ eid: context.eid, outcome: flow.reused ? 'sso' : 'success' });
    return sendAuthorizationResponse(reply, this.s.config.issuer, targetOf(request), { code }, afterPost);
  }
}

function sourceDownMessage(locale: Locale): string {
  switch (locale) {
    case 'en': return 'We could not look up which organisations you can represent right now. Please try again later.';
    case 'nn': return 'Vi kunne ikkje slå opp kva verksemder du kan representere no. Prøv igjen seinare.';
    case 'se': return 'Mii eat sáhttán dál iskat makkár organisašuvnnaid don sáhtát ovddastit. Geahččal maŋŋelis.';
    default: return 'Vi kunne ikke slå opp hvilke virksomheter du kan representere akkurat nå. Prøv igjen senere.';
  }
}
