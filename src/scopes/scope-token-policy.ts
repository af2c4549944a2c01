/**
 * How a token's API scopes shape it (spec §4, §8.2, §8.3): any scope that requires pseudonymous
 * tokens drops `pid`; the smallest `at_max_age` caps the access token's lifetime and the smallest
 * `authorization_max_lifetime` the grant's absolute lifetime; any OPAQUE scope makes the access
 * token a by-reference (opaque) token.
 */
import type { ApiScope } from './scope-types.js';

export interface ScopeTokenPolicy {
  pseudonymous: boolean;
  /** Seconds; undefined = no cap from the scopes. */
  atMaxAge?: number;
  authorizationMaxLifetime?: number;
  opaque: boolean;
}

export const NO_SCOPE_POLICY: ScopeTokenPolicy = Object.freeze({ pseudonymous: false, opaque: false });

const minOf = (xs: (number | undefined)[]): number | undefined => {
  const ns = xs.filter((x): x is number => typeof x === 'number');
  return ns.length > 0 ? Math.min(...ns) : undefined;
};

export function scopeTokenPolicy(scopes: readonly ApiScope[]): ScopeTokenPolicy {
  const policy: ScopeTokenPolicy = {
    pseudonymous: scopes.some((s) => s.requires_pseudonymous_tokens),
    opaque: scopes.some((s) => s.token_type === 'OPAQUE'),
  };
  const at = minOf(scopes.map((s) => s.at_max_age));
  if (at !== undefined) policy.atMaxAge = at;
  const auth = minOf(scopes.map((s) => s.authorization_max_lifetime));
  if (auth !== undefined) policy.authorizationMaxLifetime = auth;
  return policy;
}

/** A lifetime (seconds) capped by an optional maximum. */
export function capSeconds(lifetime: number, max: number | undefined): number {
  return max === undefined ? lifetime : Math.min(lifetime, max);
}
