import type { Acr } from '../oauth/authorize/authorization-request.js';
import type { Params } from '../core/params.js';
import type { PageView } from '../interaction/outcome.js';

/**
 * What an eID tells us about the person once the login there succeeded, in our terms: a national
 * identity number (TestID, ID-porten) or a work account's e-mail and groups (Entra ID), the level
 * reached, the methods used, names, and when the person authenticated.
 */
export interface EidIdentity {
  acr: Acr;
  amr: string[];
  pid?: string;
  /** Stable per person: the pid, or the eID's issuer and subject (input of the pairwise `sub`). */
  subjectRef: string;
  /** Claims for the tokens: given_name, family_name, name, email, groups. */
  claims: Record<string, unknown>;
  /** Seconds since the epoch; the moment of this login when the eID does not say. */
  authTime?: number;
  /** The eID's own id_token, kept for its logout (OIDC RP-Initiated Logout §2). */
  upstreamIdToken?: string;
}

/** What the login flow tells an eID when it starts or continues a login. */
export interface EidLoginContext {
  flowId: string;
  csrf: string;
  /** The acr values the client asked for (spec §5.3). */
  acrValues: readonly Acr[];
  clientName: string;
  redirectUri: string;
  locale: import('../ui/i18n.js').Locale;
  cancelUrl: string;
  /** Where the eID's own page posts its form. */
  formAction: string;
  /** The bare ids of the resources the request asks rights for (authorization_details), for test eIDs' suggestions. */
  resources: readonly string[];
  /** The client's intent for the eID: forced login (OIDC Core §3.1.2.1 prompt=login) and max_age. */
  forceLogin: boolean;
  maxAge?: number;
}

/**
 * How an eID login starts: with the eID's own page here (TestID), or by sending the browser to an
 * upstream provider. `pending` is what the eID needs back with the answer; `correlation` is the
 * value the upstream echoes (its `state`), by which the answer finds the flow.
 */
export type EidStart =
  | { kind: 'page' }
  | { kind: 'redirect'; url: string; pending: Record<string, string>; correlation: string }
  | { kind: 'failed'; error: string; description: string };

/** How an eID's answer came: its own form posted here, or the upstream's redirect back. */
export type EidAnswer =
  | { kind: 'form'; fields: Params }
  | { kind: 'callback'; url: URL; pending: Record<string, string> };

export type EidResult =
  | { kind: 'identity'; identity: EidIdentity }
  /** The eID's page again, e.g. with an error next to a field. */
  | { kind: 'page'; status: number; view: PageView }
  /** The login at the eID failed: goes back to the client as this OAuth error. */
  | { kind: 'failed'; error: string; description: string; reason?: string };

/**
 * One eID behind one small interface (spec §5.3, §8). The eID selector, the login flow and the
 * logout read only this; adding an eID is one implementation plus its registration in
 * src/eid/eid-registry.ts.
 */
export interface Eid {
  readonly id: string;
  readonly name: string;
  /** The acr values this eID can deliver. */
  readonly acr: readonly Acr[];
  /**
   * When this is the only eID that fits, the selector may skip itself (spec §5.3). The built-in
   * test eIDs keep the selector, so that test scripts have one stable path.
   */
  readonly skipsSelector: boolean;
  /** Origins the browser is sent to when this eID starts (for the selector's CSP form-action); never waits. */
  formTargets(): Promise<string[]>;
  start(ctx: EidLoginContext): Promise<EidStart>;
  /** The eID's own page, for eIDs that start with one. */
  page?(ctx: EidLoginContext): Promise<PageView>;
  /** Turns the eID's answer into an identity, a page to show again, or a failure. */
  complete(answer: EidAnswer, ctx: EidLoginContext): Promise<EidResult>;
  /** The eID's end-session URL for a person who logged in through it, when it has one. */
  logoutUrl?(idToken: string, returnUrl: string, state: string): Promise<string | undefined>;
}

/** The eIDs that can satisfy at least one of the requested acr values (spec §5.3). */
export function eidsFor<E extends Pick<Eid, 'acr'>>(eids: readonly E[], requested: readonly Acr[]): E[] {
  return eids.filter((e) => requested.some((r) => (r === 'substantial' ? e.acr.includes('substantial') || e.acr.includes('high') : e.acr.includes(r))));
}
