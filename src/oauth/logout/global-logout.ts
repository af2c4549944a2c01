import type { Client } from '../../clients/client-types.js';
import { Params } from '../../core/params.js';
import { withQuery } from '../../core/with-query.js';
import { SessionService, type LoadedSession } from '../../session/session-service.js';
import type { BrowserSession } from '../../session/browser-session.js';
import type { EphemeralStore, GrantStore } from '../../store/ports.js';
import type { SigningKeys } from '../../tokens/signing-keys.js';
import { decideEndSession } from './end-session-request.js';
import { createPendingLogout, takePendingLogout } from './logout-confirmation.js';
import { logoutRequestIsProven } from './logout-proof.js';
import { nextUpstreamHop, type UpstreamLogoutDeps, type UpstreamLogoutHop } from './upstream-logout-chain.js';

/** Who takes part in a global logout of one browser session (spec §12.1–12.3). */
export interface GlobalLogoutPlan {
  /** One frontchannel_logout_uri per client, with iss and sid where the client asked for them. */
  frames: string[];
  /** The clients to send a logout_token to (those without a backchannel_logout_uri are skipped when sending). */
  backChannel: { client: Client; subjectRef: string }[];
  /** Upstream eIDs to log out of, once each. */
  upstreamHops: UpstreamLogoutHop[];
}

/** Every client with a context in the session takes part, the initiator too (spec §12.1). */
export async function planGlobalLogout(
  session: BrowserSession, deps: { issuer: string; getClient(id: string): Promise<Client | undefined> },
): Promise<GlobalLogoutPlan> {
  const plan: GlobalLogoutPlan = { frames: [], backChannel: [], upstreamHops: [] };
  for (const [clientId, ctx] of Object.entries(session.contexts)) {
    const client = await deps.getClient(clientId);
    if (!client) continue;
    plan.backChannel.push({ client, subjectRef: ctx.subjectRef });
    if (ctx.upstream && !plan.upstreamHops.some((u) => u.eid === ctx.upstream!.eid)) plan.upstreamHops.push(ctx.upstream);
    const fcl = client.frontchannel_logout_uri;
    // OIDC Front-Channel Logout 1.0 §2: iss and sid only for clients that registered frontchannel_logout_session_required.
    if (fcl) plan.frames.push(client.frontchannel_logout_session_required ? withQuery(fcl, { iss: deps.issuer, sid: session.sid }) : fcl);
  }
  return plan;
}

export interface GlobalLogoutDeps {
  issuer: string;
  keys: SigningKeys;
  pairwiseSalt: string;
  /** Active clients (for the end-session parameters). */
  getActiveClient(id: string): Promise<Client | undefined>;
  /** Any registered client, active or not (every participant is told about the logout). */
  getClient(id: string): Promise<Client | undefined>;
  sessions: { load(cookie: string | undefined): Promise<LoadedSession | undefined>; destroy(key: string): Promise<void> };
  grants: Pick<GrantStore, 'revokeGrantsForLogout'>;
  ephemeral: EphemeralStore;
  /** Starts the back-channel deliveries without waiting for them (spec §12.3). */
  startBackChannel(sid: string, participants: GlobalLogoutPlan['backChannel']): void;
  upstream: UpstreamLogoutDeps;
}

/** What the end-session endpoint does next. */
export type EndSessionOutcome =
  /** Nothing proves the request came from the user's service: ask first (nothing has ended yet). */
  | { kind: 'confirm'; pendingId: string; csrf: string }
  /** Logged out: load these frames (if any), then continue (or stay on our logged-out page). */
  | { kind: 'logged-out'; frames: string[]; continueUrl?: string; problem?: string; afterPost: boolean };

export interface EndSessionInput {
  params: Params;
  /** The session cookie's value, if the browser sent one. */
  sessionCookie?: string;
  afterPost: boolean;
  locale: string;
  /** The user confirmed on our page: no proof is needed. */
  confirmed?: boolean;
}

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0, spec §12): decides where the user
 * may be sent back; asks the user first when a live session would end without an id_token_hint
 * for it; otherwise ends the whole browser session, revokes its openid/profile-only grants, starts
 * the back-channel deliveries and chains the upstream eIDs' logouts before the final target.
 */
export async function endSession(deps: GlobalLogoutDeps, input: EndSessionInput): Promise<EndSessionOutcome> {
  const decision = await decideEndSession(input.params, { keys: deps.keys, issuer: deps.issuer, getClient: deps.getActiveClient });
  const loaded = await deps.sessions.load(input.sessionCookie);
  if (loaded && !input.confirmed && !(await logoutRequestIsProven(input.params, loaded.session, deps))) {
    const params: [string, string][] = input.params.names().flatMap((n) => input.params.all(n).map((v): [string, string] => [n, v]));
    const { id, csrf } = await createPendingLogout(deps.ephemeral, { sessionKey: loaded.key, params, afterPost: input.afterPost });
    return { kind: 'confirm', pendingId: id, csrf };
  }

  let plan: GlobalLogoutPlan = { frames: [], backChannel: [], upstreamHops: [] };
  if (loaded) {
    const { sid } = loaded.session;
    plan = await planGlobalLogout(loaded.session, deps);
    await deps.sessions.destroy(loaded.key);
    await deps.grants.revokeGrantsForLogout(sid);
    deps.startBackChannel(sid, plan.backChannel);
  }

  const r = decision.redirect;
  let continueUrl = r ? withQuery(r.uri, r.state !== undefined ? { state: r.state } : {}) : undefined;
  // Upstream eIDs with an end-session endpoint are logged out too, one after the other, then the user continues.
  if (plan.upstreamHops.length > 0) {
    const first = await nextUpstreamHop(deps.upstream, { hops: plan.upstreamHops, final: continueUrl, locale: input.locale });
    if (first) continueUrl = first;
  }
  return { kind: 'logged-out', frames: plan.frames, afterPost: input.afterPost, ...(continueUrl ? { continueUrl } : {}), ...(decision.problem ? { problem: decision.problem } : {}) };
}

/** What the user's answer on the confirmation page leads to. */
export type ConfirmOutcome =
  | EndSessionOutcome
  /** The user declined: the session is kept. */
  | { kind: 'kept' }
  /** The answer was forged, replayed, expired or from another browser: nothing happens. */
  | { kind: 'refused' };

/**
 * The user's answer to the confirmation page: `logout` runs the original request as confirmed,
 * anything else keeps the session. Either way the form must carry the page's CSRF token and come
 * from the browser whose session was asked about. `ui_locales` of the original request comes back
 * with the outcome (the language of the pages that follow).
 */
export async function answerLogoutConfirmation(
  deps: GlobalLogoutDeps,
  input: { pendingId?: string; csrf?: string; answer?: string; sessionCookie?: string; localeFor(uiLocales: string[]): string },
): Promise<ConfirmOutcome & { uiLocales: string[] }> {
  const sessionKey = input.sessionCookie ? SessionService.keyFor(input.sessionCookie) : undefined;
  const pending = await takePendingLogout(deps.ephemeral, input.pendingId, input.csrf, sessionKey);
  if (!pending) return { kind: 'refused', uiLocales: [] };
  const params = Params.fromSearchParams(new URLSearchParams(pending.params));
  const uiLocales = (params.get('ui_locales') ?? '').split(' ').filter(Boolean);
  if (input.answer !== 'logout') return { kind: 'kept', uiLocales };
  const outcome = await endSession(deps, { params, sessionCookie: input.sessionCookie, afterPost: pending.afterPost, locale: input.localeFor(uiLocales), confirmed: true });
  return { ...outcome, uiLocales };
}
