import { OAuthError } from '../core/oauth-error.js';
import { consumeAll } from '../oauth/limits/fixed-window-limit.js';
import type { AuthorizationRequest } from '../oauth/authorize/authorization-request.js';
import type { LoginFlow } from '../oauth/login-flow.js';
import { reusableContext } from '../session/browser-session.js';
import { afterAuthentication } from './after-authentication.js';
import { fittingEids, startEid } from './eid-steps.js';
import { ensureBrowserCookie } from './flow-access.js';
import { finishLogin } from './finish-login.js';
import type { InteractionDeps, StepLogger } from './interaction-deps.js';
import { respondError, withCookies, type Step, type StepCookies } from './outcome.js';
import { targetOf } from './response-target.js';
import { pickLocale } from '../ui/i18n.js';

export interface BeginInput {
  /** A request that passed the authorization pipeline (src/oauth/authorize/authorization-pipeline.ts). */
  request: AuthorizationRequest;
  cookies: StepCookies;
  /** The request came as a POST (a redirect then answers 303, RFC 9110 §15.4.4). */
  afterPost: boolean;
  /** The client address (from configured proxies only), for the bounds on logins in progress. */
  address?: string;
  log?: StepLogger;
}

/**
 * The login phase begins once the authorization request is valid (spec §5, §11):
 * - the client's own context in the browser session is reused silently when prompt, max_age and
 *   the acr values allow it (isolated SSO: never another client's context);
 * - otherwise prompt=none ends here with login_required (OIDC Core §3.1.2.6);
 * - otherwise a flow starts at the eID selector, which skips itself when exactly one eID fits and
 *   that eID allows it (spec §5.3).
 */
export async function beginLogin(d: InteractionDeps, input: BeginInput): Promise<Step> {
  const { request, cookies } = input;
  const loaded = await d.sessions.load(cookies.session);
  if (loaded) await d.sessions.touch(loaded); // inactivity = time between two authorization requests
  const nowS = Math.floor(d.clock.now() / 1000);
  const ctx = reusableContext(loaded?.session, request.clientId, request, nowS);
  if (!ctx) {
    if (request.prompt.none) {
      d.logins?.inc({ eid: 'none', outcome: 'login_required' });
      return respondError(targetOf(request), new OAuthError('login_required', 'the user must authenticate'), pickLocale([cookies.lang, ...request.uiLocales]));
    }
    const browser = ensureBrowserCookie(cookies);
    const { flow, refused } = await startFlow(d, input.address, d.flows.newFlow(request, browser.value));
    if (refused) return refused;
    const fitting = fittingEids(d, flow);
    if (fitting.length === 1 && fitting[0]!.skipsSelector) {
      return withCookies(await startEid(d, flow, fitting[0]!, { ...cookies, browser: browser.value }), browser.cookies);
    }
    const status = input.afterPost ? 303 : 302;
    return withCookies({ kind: 'redirect', url: `${d.loginBaseUrl}/login/select?flow=${flow.id}`, status }, browser.cookies);
  }
  if (!request.authorizationDetails) return finishLogin(d, { flow: { request, context: ctx, reused: true }, loaded, cookies });
  const browser = ensureBrowserCookie(cookies);
  const { flow, refused } = await startFlow(d, input.address, d.flows.newFlow(request, browser.value, { context: ctx, reused: true, sid: loaded!.session.sid }));
  if (refused) return refused;
  return withCookies(await afterAuthentication(d, flow, { ...cookies, browser: browser.value }, input.log), browser.cookies);
}

/**
 * Every login in progress is stored until it ends or expires: a browser, an address and all
 * requests together may start only so many within a flow lifetime (then 429 with Retry-After).
 * The flow is stored in the same step as the counting, and only when no bound refuses.
 */
async function startFlow(d: InteractionDeps, address: string | undefined, flow: LoginFlow): Promise<{ flow: LoginFlow; refused?: Step }> {
  if (!d.flowLimits) {
    await d.flows.save(flow);
    return { flow };
  }
  const l = d.flowLimits;
  const decision = await consumeAll([
    // The flow's browser binding is the browser cookie's hash: the per-browser counter's key too.
    { limit: l.perBrowser, key: flow.browser },
    ...(address ? [{ limit: l.perAddress, key: address }] : []),
    { limit: l.total, key: 'all' },
  ], { store: d.ephemeral, writes: d.flows.saved(flow) });
  if (decision.ok) return { flow };
  return { flow, refused: { kind: 'error', error: new OAuthError('temporarily_unavailable', 'too_many_logins', 'page', 429, { 'Retry-After': String(decision.retryAfterSeconds) }) } };
}
