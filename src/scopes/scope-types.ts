/**
 * The API scope model (spec §15.4): scopes named `prefix:subscope`, prefixes owned by one
 * organisation, and access-list entries that give consumer organisations a scope that is not
 * accessible to all. Field names are those of Digdir's admin API.
 */
import { INTROSPECTION_SCOPE } from '../clients/introspection-scope-rule.js';

export type ScopeTokenType = 'SELF_CONTAINED' | 'OPAQUE';
export type ScopeVisibility = 'PUBLIC' | 'PRIVATE';
export type ScopeAccessState = 'APPROVED' | 'REQUESTED' | 'DENIED';

export const SCOPE_TOKEN_TYPES: readonly ScopeTokenType[] = ['SELF_CONTAINED', 'OPAQUE'];
export const SCOPE_VISIBILITIES: readonly ScopeVisibility[] = ['PUBLIC', 'PRIVATE'];
export const SCOPE_ACCESS_STATES: readonly ScopeAccessState[] = ['APPROVED', 'REQUESTED', 'DENIED'];

/** An API scope as stored and shown by the admin API. */
export interface ApiScope {
  /** `prefix:subscope`. */
  name: string;
  prefix: string;
  subscope: string;
  description: string;
  long_description?: string;
  active: boolean;
  owner_orgno: string;
  /** Client integration types that may register the scope (empty = any, spec §15.1). */
  allowed_integration_types: string[];
  accessible_for_all: boolean;
  /** Tokens with this scope carry no `pid` (spec §8.3). */
  requires_pseudonymous_tokens: boolean;
  /** Caps the access token's lifetime (seconds). */
  at_max_age?: number;
  /** Caps the grant's absolute lifetime (seconds). */
  authorization_max_lifetime?: number;
  token_type: ScopeTokenType;
  visibility: ScopeVisibility;
  /** ISO 8601 times. */
  created: string;
  last_updated: string;
}

/** A scope prefix and the organisation that owns every scope under it. */
export interface ScopePrefix {
  prefix: string;
  owner_orgno: string;
  created: string;
}

/** One access-list entry: `consumer_orgno` may use `scope` when `state` is APPROVED. */
export interface ScopeAccess {
  scope: string;
  consumer_orgno: string;
  owner_orgno: string;
  state: ScopeAccessState;
  created: string;
  last_updated: string;
}

/** Scopes every client may register without an entry in the registry. */
export const OPENID_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile']);
/** Built-in scopes (openid, profile and the introspection scope, spec §13.2): never stored, always active. */
export const BUILT_IN_SCOPES: ReadonlySet<string> = new Set([...OPENID_SCOPES, INTROSPECTION_SCOPE]);

/** `prefix:subscope`: the prefix is letters, digits and `-_`; the subscope adds `.:/` (RFC 6749 §3.3 scope-token characters). */
export const SCOPE_NAME_RE = /^([a-z0-9][a-z0-9_-]{0,63}):([A-Za-z0-9][A-Za-z0-9._:/-]{0,127})$/;
export const PREFIX_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Splits `prefix:subscope` at the first colon, or undefined when the name is not of that form. */
export function splitScopeName(name: string): { prefix: string; subscope: string } | undefined {
  const m = SCOPE_NAME_RE.exec(name);
  return m ? { prefix: m[1]!, subscope: m[2]! } : undefined;
}
