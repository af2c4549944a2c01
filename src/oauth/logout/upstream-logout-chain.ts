import { randomId } from '../../core/random.js';
import type { EphemeralStore } from '../../store/ports.js';

/** Namespace of pending upstream logout chains in the short-lived store. */
export const UPSTREAM_LOGOUT_NS = 'upstream-logout';
const CHAIN_TTL_S = 600;

export interface UpstreamLogoutHop {
  eid: string;
  idToken: string;
}

/** The upstream eIDs still to be logged out of, and where the user goes after the last one. */
export interface UpstreamLogoutChain {
  hops: UpstreamLogoutHop[];
  /** The validated post_logout_redirect_uri with state, or none (our logged-out page). */
  final?: string;
  locale: string;
}

export interface UpstreamLogoutDeps {
  ephemeral: EphemeralStore;
  /**
   * The upstream eID's end-session URL for its id_token, returning to our upstream-return URL with
   * `state`; undefined when the eID is unknown or has no end_session_endpoint.
   */
  endSessionUrl(eid: string, idToken: string, state: string): Promise<string | undefined>;
}

/**
 * The URL of the next upstream end-session hop (OpenID Connect RP-Initiated Logout 1.0 §2, with
 * us as the relying party), with the rest of the chain stored under its state; undefined when none
 * is left. Consumes hops from `chain`.
 */
export async function nextUpstreamHop(deps: UpstreamLogoutDeps, chain: UpstreamLogoutChain): Promise<string | undefined> {
  while (chain.hops.length > 0) {
    const hop = chain.hops.shift()!;
    const state = randomId(24);
    const url = await deps.endSessionUrl(hop.eid, hop.idToken, state);
    if (!url) continue;
    await deps.ephemeral.put(UPSTREAM_LOGOUT_NS, state, chain, CHAIN_TTL_S);
    return url;
  }
  return undefined;
}

/** Where an upstream eID's return leads: the next hop, the final target, or our logged-out page. */
export type UpstreamReturn = { kind: 'redirect'; url: string } | { kind: 'logged-out'; locale?: string };

/** Continues the chain stored under `state` (single use); an unknown state ends on the logged-out page. */
export async function continueUpstreamLogout(deps: UpstreamLogoutDeps, state: string | null | undefined): Promise<UpstreamReturn> {
  const chain = state && state.length <= 64 ? await deps.ephemeral.take<UpstreamLogoutChain>(UPSTREAM_LOGOUT_NS, state) : undefined;
  if (!chain) return { kind: 'logged-out' };
  const next = await nextUpstreamHop(deps, chain);
  if (next) return { kind: 'redirect', url: next };
  if (chain.final) return { kind: 'redirect', url: chain.final };
  return { kind: 'logged-out', locale: chain.locale };
}
