import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../../core/oauth-error.js';
import { Params } from '../../core/params.js';
import { randomId } from '../../core/random.js';
import type { Services } from '../../services.js';
import { UpstreamError } from '../../eid/upstream/upstream-eid.js';
import type { LoginFlow } from '../../oauth/login-flow.js';
import { acrSatisfies } from '../../session/browser-session.js';
import { sendAuthorizationError } from '../authorization-response.js';
import { readCookie } from '../cookies.js';
import { sendErrorPage } from '../error-page.js';
import { targetOf, type LoginSteps } from '../login-steps.js';

const STATE_NS = 'upstream-state';

export function upstreamRedirectUri(s: Services, eid: string): string {
  return `${s.config.loginBaseUrl}/login/callback/${eid}`;
}

/**
 * Sends the user to an upstream eID with PKCE, state and nonce bound to this login flow.
 * A failing upstream (discovery down) brings the user back to the client with an OAuth error.
 */
export async function startUpstreamLogin(s: Services, steps: LoginSteps, reply: FastifyReply, flow: LoginFlow, eid: string): Promise<FastifyReply> {
  const upstream = s.upstreams.get(eid)!;
  const st = { state: randomId(24), nonce: randomId(24), verifier: randomId(32) };
  let url: string;
  try {
    url = await upstream.authorizationUrl(upstreamRedirectUri(s, eid), st, flow.request.acrValues);
  } catch (e) {
    await steps.flows.finish(flow.id);
    const code = e instanceof UpstreamError ? e.oauthError : 'temporarily_unavailable';
    steps.metrics?.logins.inc({ eid, outcome: code });
    return sendAuthorizationError(reply, s.config.issuer, targetOf(flow.request), new OAuthError(code, `the eID ${eid} is unavailable`), true);
  }
  flow.upstream = { eid, ...st };
  await steps.flows.save(flow);
  await s.stores.ephemeral.put(STATE_NS, st.state, flow.id, s.config.lifetimes.login_flow_seconds);
  return reply.code(303).header('Cache-Control', 'no-store').redirect(url, 303);
}

/** The redirect URI registered at each upstream eID: /login/callback/{eid}. */
export function upstreamRoutes(app: FastifyInstance, s: Services, steps: LoginSteps): void {
  const callback = async (req: FastifyRequest<{ Params: { eid: string } }>, reply: FastifyReply, params: Params, afterPost: boolean) => {
    const eid = req.params.eid;
    const upstream = s.upstreams.get(eid);
    const page = (d: string) => sendErrorPage(req, reply, steps, new OAuthError('invalid_request', d, 'page'));
    if (!upstream) return page('unknown eID');
    if (params.repeated().length > 0) return page('repeated parameters in the eID response');
    const state = params.get('state');
    // The state names our flow; a forged, replayed or foreign state finds nothing (no redirect can be trusted then).
    const flowId = state && state.length <= 64 ? await s.stores.ephemeral.take<string>(STATE_NS, state) : undefined;
    if (!flowId) return page('flow_expired');
    let flow: LoginFlow;
    try {
      flow = await steps.flows.load(flowId, readCookie(req, s.cookieNames.browser));
    } catch (e) {
      if (e instanceof OAuthError) return sendErrorPage(req, reply, steps, e);
      throw e;
    }
    if (!flow.upstream || flow.upstream.eid !== eid || flow.upstream.state !== state) return page('flow_expired');
    const fail = async (error: string, description: string) => {
      await steps.flows.finish(flow.id);
      steps.metrics?.logins.inc({ eid, outcome: error });
      return sendAuthorizationError(reply, s.config.issuer, targetOf(flow.request), new OAuthError(error, description), afterPost);
    };
    const currentUrl = new URL(upstreamRedirectUri(s, eid));
    for (const [k, v] of Object.entries(params.toRecord())) currentUrl.searchParams.set(k, v);
    let result;
    try {
      result = await upstream.callback(currentUrl, flow.upstream);
    } catch (e) {
      if (!(e instanceof UpstreamError)) throw e;
      req.log.warn({ eid, error: e.oauthError, reason: e.message }, 'upstream eID login failed');
      return fail(e.oauthError, e.oauthError === 'access_denied' ? 'the user cancelled the login' : 'the eID login failed');
    }
    const { identity, idToken } = result;
    if (!acrSatisfies(identity.acr, flow.request.acrValues)) return fail('access_denied', 'the eID did not deliver the requested level of assurance');
    flow.context = {
      authTime: Math.floor(s.clock.now() / 1000), acr: identity.acr, amr: identity.amr, eid, pid: identity.pid,
      subjectRef: identity.subjectRef, claims: identity.claims, locale: steps.locale(req, flow), upstream: { eid, idToken },
    };
    flow.reused = false;
    delete flow.upstream;
    // Saved only when the login continues in the picker (afterAuthentication does that).
    return steps.afterAuthentication(req, reply, flow, afterPost);
  };
  app.get<{ Params: { eid: string } }>('/login/callback/:eid', async (req, reply) => callback(req, reply, Params.fromSearchParams(new URL(req.url, 'http://x').searchParams), false));
  app.post<{ Params: { eid: string } }>('/login/callback/:eid', async (req, reply) => callback(req, reply, req.body instanceof Params ? req.body : Params.empty(), true));
}
