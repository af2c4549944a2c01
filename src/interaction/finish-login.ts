import { OAuthError } from '../core/oauth-error.js';
import { newCode } from '../oauth/authorization-code.js';
import type { LoginFlow } from '../oauth/login-flow.js';
import type { BrowserSession, ClientContext } from '../session/browser-session.js';
import type { ShortLivedWrites } from '../store/ports.js';
import { joinWrites } from '../store/short-lived.js';
import type { LoadedSession } from '../session/session-service.js';
import type { InteractionDeps, StepLogger } from './interaction-deps.js';
import type { Step, StepCookies } from './outcome.js';
import { targetOf } from './response-target.js';

export interface FinishInput {
  /** The flow (with `id` when it was stored; a silent SSO without a picker has none). */
  flow: Pick<LoginFlow, 'request' | 'context' | 'reused' | 'sid'> & { id?: string };
  /** The issued authorization_details, when the request had any (RFC 9396 §7). */
  authorizationDetails?: unknown[];
  /** The organisations just chosen in the picker, remembered for the next time. */
  chosen?: string[] | 'self';
  /** The browser session, when the caller has already loaded it. */
  loaded?: LoadedSession;
  cookies: StepCookies;
  log?: StepLogger;
}

/**
 * Ends the login: records the client's context in the browser session (spec §11), issues the
 * code and answers the client (RFC 6749 §4.1.2). Of two concurrent finishes of one flow, one wins.
 * Ending the flow, the session's change and the code are written in one step (one round trip).
 */
export async function finishLogin(d: InteractionDeps, input: FinishInput): Promise<Step> {
  const { flow, chosen } = input;
  const request = flow.request;
  const context: ClientContext = { ...flow.context!, ...(chosen ? { chosen } : {}) };
  let loaded = input.loaded ?? (await d.sessions.load(input.cookies.session));
  let sessionCookie: string | undefined;
  let ended: BrowserSession | undefined;
  let sessionWrites: ShortLivedWrites = {};
  if (flow.reused) {
    // A flow that reuses a context belongs to the session it started in: after that session's
    // logout or expiry it cannot finish, and it never starts a session of its own.
    if (!loaded?.session.contexts[request.clientId] || (flow.sid !== undefined && loaded.session.sid !== flow.sid)) {
      if (flow.id && !(await d.flows.finish(flow.id))) throw new OAuthError('invalid_request', 'flow_expired', 'page');
      throw new OAuthError('invalid_request', 'session_ended', 'page');
    }
    if (chosen) {
      loaded.session.contexts[request.clientId] = context;
      sessionWrites = d.sessions.saveWrites(loaded);
    }
  } else {
    const authenticated = d.sessions.authentication(loaded, request.clientId, context);
    loaded = authenticated.loaded;
    sessionCookie = authenticated.cookieValue;
    ended = authenticated.ended;
    sessionWrites = authenticated.writes;
  }
  const { code, write: codeWrite } = newCode({
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    nonce: request.nonce,
    scope: request.scope.join(' '),
    sid: loaded.session.sid,
    resource: request.resource,
    authorizationDetails: input.authorizationDetails,
    context,
  }, d.lifetimes.codeSeconds);
  const writes = joinWrites(sessionWrites, { put: [codeWrite] });
  if (flow.id) {
    if (!(await d.flows.finish(flow.id, writes))) throw new OAuthError('invalid_request', 'flow_expired', 'page');
  } else {
    await d.ephemeral.write(writes);
  }
  const frames = ended ? ((await d.sessionEnded?.(ended, input.log))?.frames ?? []) : [];
  d.logins?.inc({ eid: context.eid, outcome: flow.reused ? 'sso' : 'success' });
  return {
    kind: 'respond', target: targetOf(request), params: { code }, locale: context.locale,
    // The ended session's clients are logged out in the browser (front-channel) on the way to the client.
    ...(frames.length > 0 ? { frontChannelLogout: { frames, locale: context.locale } } : {}),
    ...(sessionCookie ? { cookies: [{ cookie: 'session' as const, value: sessionCookie }] } : {}),
  };
}
