import { OAuthError } from '../core/oauth-error.js';
import type { Params } from '../core/params.js';
import { eidsFor, type Eid, type EidIdentity, type EidLoginContext, type EidResult } from '../eid/eid.js';
import type { LoginFlow } from '../oauth/login-flow.js';
import { acrSatisfies } from '../session/browser-session.js';
import { afterAuthentication } from './after-authentication.js';
import { clientNameOf, flowForPage, flowForPost } from './flow-access.js';
import type { InteractionDeps, StepLogger } from './interaction-deps.js';
import { localeFor } from './locale.js';
import { respondError, withCookies, type Step, type StepCookies } from './outcome.js';
import { targetOf } from './response-target.js';
import { shortLived } from '../store/short-lived.js';

/** Upstream answers find their flow by the value the upstream echoes (its `state`). */
const correlations = (d: InteractionDeps) => shortLived<string>(d.ephemeral, 'upstream-state');

export function findEid(d: InteractionDeps, id: string | undefined): Eid | undefined {
  return id === undefined ? undefined : d.eids.find((e) => e.id === id);
}

export async function eidContext(d: InteractionDeps, flow: LoginFlow, eid: Eid, cookies: StepCookies): Promise<EidLoginContext> {
  return {
    flowId: flow.id, csrf: flow.csrf, acrValues: flow.request.acrValues, clientName: await clientNameOf(d, flow),
    redirectUri: flow.request.redirectUri, locale: localeFor(cookies, flow), cancelUrl: `${d.loginBaseUrl}/login/cancel`,
    formAction: `${d.loginBaseUrl}/login/${eid.id}`,
    resources: flow.request.authorizationDetails?.items.map((i) => i.resourceId).filter((r): r is string => !!r) ?? [],
    forceLogin: flow.request.prompt.login || flow.request.maxAge === 0,
    ...(flow.request.maxAge !== undefined ? { maxAge: flow.request.maxAge } : {}),
  };
}

/** Starts the login at an eID: its own page, or a redirect upstream with the flow's correlation stored. */
export async function startEid(d: InteractionDeps, flow: LoginFlow, eid: Eid, cookies: StepCookies): Promise<Step> {
  const start = await eid.start(await eidContext(d, flow, eid, cookies));
  switch (start.kind) {
    case 'page':
      return { kind: 'redirect', url: `${d.loginBaseUrl}/login/${eid.id}?flow=${flow.id}`, status: 303 };
    case 'redirect':
      flow.upstream = { eid: eid.id, correlation: start.correlation, pending: start.pending };
      await d.flows.save(flow);
      await correlations(d).put(start.correlation, flow.id, d.lifetimes.flowSeconds);
      return { kind: 'redirect', url: start.url, status: 303 };
    case 'failed':
      await d.flows.finish(flow.id);
      d.logins?.inc({ eid: eid.id, outcome: start.error });
      return respondError(targetOf(flow.request), new OAuthError(start.error, start.description), localeFor(cookies, flow));
  }
}

/**
 * GET /login/{eid}: the eID's own page (TestID), opened from the selector or after its POST. It
 * makes the selector's choice, so an eID that does not fit the flow's acr values shows the selector
 * again, as POST /login/select does. Nothing changes in the flow, so a GET is enough (RFC 9110 §9.2.1).
 */
export async function showEidPage(
  d: InteractionDeps, eidId: string, flowId: string | undefined, lang: string | undefined, cookies: StepCookies,
  selector: (flow: LoginFlow, status: number) => Promise<Step>,
): Promise<Step> {
  const eid = findEid(d, eidId);
  if (!eid?.page) throw new OAuthError('invalid_request', `the eID ${eidId} is not enabled`, 'page', 404);
  const { flow, cookies: set } = await flowForPage(d, flowId, lang, cookies);
  if (!fittingEids(d, flow).includes(eid)) return withCookies(await selector(flow, 400), set);
  const view = await eid.page(await eidContext(d, flow, eid, cookies));
  return withCookies({ kind: 'page', status: 200, view, formTargets: [flow.request.redirectUri] }, set);
}

/** POST /login/{eid}: the eID's own form answered. */
export async function answerEidForm(d: InteractionDeps, eidId: string, fields: Params, cookies: StepCookies, log?: StepLogger): Promise<Step> {
  const eid = findEid(d, eidId);
  if (!eid?.page) throw new OAuthError('invalid_request', `the eID ${eidId} is not enabled`, 'page', 404);
  const flow = await flowForPost(d, fields, cookies);
  const result = await eid.complete({ kind: 'form', fields }, await eidContext(d, flow, eid, cookies));
  return eidResult(d, flow, eid, result, cookies, log);
}

/**
 * GET or POST /login/callback/{eid}: an upstream eID's redirect back. The state names our flow; a
 * forged, replayed or foreign state finds nothing, and then no redirect can be trusted.
 */
export async function answerEidCallback(
  d: InteractionDeps, eidId: string, params: Params, callbackUrl: string, cookies: StepCookies, log?: StepLogger,
): Promise<Step> {
  const eid = findEid(d, eidId);
  const page = (description: string): Step => ({ kind: 'error', error: new OAuthError('invalid_request', description, 'page') });
  if (!eid) return page('unknown eID');
  if (params.repeated().length > 0) return page('repeated parameters in the eID response');
  const state = params.get('state');
  const flowId = state && state.length <= 64 ? await correlations(d).take(state) : undefined;
  if (!flowId) return page('flow_expired');
  const flow = await d.flows.load(flowId, cookies.browser);
  if (!flow.upstream || flow.upstream.eid !== eid.id || flow.upstream.correlation !== state) return page('flow_expired');
  const url = new URL(callbackUrl);
  for (const [k, v] of Object.entries(params.toRecord())) url.searchParams.set(k, v);
  const result = await eid.complete({ kind: 'callback', url, pending: flow.upstream.pending }, await eidContext(d, flow, eid, cookies));
  return eidResult(d, flow, eid, result, cookies, log);
}

async function eidResult(d: InteractionDeps, flow: LoginFlow, eid: Eid, result: EidResult, cookies: StepCookies, log?: StepLogger): Promise<Step> {
  switch (result.kind) {
    case 'page':
      return { kind: 'page', status: result.status, view: result.view, formTargets: [flow.request.redirectUri] };
    case 'failed':
      log?.warn({ eid: eid.id, error: result.error, reason: result.reason ?? result.description }, 'eID login failed');
      return failLogin(d, flow, eid.id, result.error, result.description, cookies);
    case 'identity':
      return authenticated(d, flow, eid, result.identity, cookies, log);
  }
}

/** An identity arrived from an eID: it becomes the flow's context, if it meets the requested level. */
export async function authenticated(d: InteractionDeps, flow: LoginFlow, eid: Eid, identity: EidIdentity, cookies: StepCookies, log?: StepLogger): Promise<Step> {
  if (!acrSatisfies(identity.acr, flow.request.acrValues)) return failLogin(d, flow, eid.id, 'access_denied', 'the eID did not deliver the requested level of assurance', cookies);
  const now = Math.floor(d.clock.now() / 1000);
  flow.context = {
    // An eID's auth_time is believed up to now (a clock ahead of ours must not extend max_age).
    authTime: Math.min(identity.authTime ?? now, now), acr: identity.acr, amr: identity.amr, eid: eid.id,
    ...(identity.pid !== undefined ? { pid: identity.pid } : {}),
    subjectRef: identity.subjectRef, claims: identity.claims, locale: localeFor(cookies, flow),
    ...(identity.upstreamIdToken ? { upstream: { eid: eid.id, idToken: identity.upstreamIdToken } } : {}),
  };
  flow.reused = false;
  delete flow.upstream;
  // Saved only when the login continues in the picker (afterAuthentication does that).
  return afterAuthentication(d, flow, cookies, log);
}

async function failLogin(d: InteractionDeps, flow: LoginFlow, eid: string, error: string, description: string, cookies: StepCookies): Promise<Step> {
  await d.flows.finish(flow.id);
  d.logins?.inc({ eid, outcome: error });
  return respondError(targetOf(flow.request), new OAuthError(error, description), localeFor(cookies, flow));
}

/** The eIDs that fit the flow's acr values (spec §5.3). */
export function fittingEids(d: InteractionDeps, flow: LoginFlow): Eid[] {
  return eidsFor(d.eids, flow.request.acrValues);
}

