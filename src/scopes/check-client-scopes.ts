/**
 * Which registered API scopes a client may hold (spec §15.1, §15.4): the scope must exist, be
 * active, allow the client's integration type (an empty list allows every type) and be accessible
 * to the client's organisation — to all, or through an APPROVED access-list entry. Built-in scopes
 * (openid, profile, the introspection scope) are always known; rules about who may hold the
 * introspection scope live with the client validation.
 */
import type { FieldError } from '../clients/validation/field-reader.js';
import { BUILT_IN_SCOPES, type ApiScope } from './scope-types.js';

/** The facts the rule reads; a snapshot of the registry or a per-request lookup. */
export interface ScopeFacts {
  scope(name: string): ApiScope | undefined;
  /** Whether `orgno` has an APPROVED access-list entry for `name`. */
  approved(name: string, orgno: string): boolean;
}

export interface ScopeSubject {
  client_orgno: string;
  integration_type: string;
}

/** Why `client` may not use the scope `name`, or undefined when it may. */
export function scopeRefusal(name: string, client: ScopeSubject, facts: ScopeFacts): string | undefined {
  if (BUILT_IN_SCOPES.has(name)) return undefined;
  const scope = facts.scope(name);
  if (!scope) return 'does not exist';
  if (!scope.active) return 'is not active';
  if (scope.allowed_integration_types.length > 0 && !scope.allowed_integration_types.includes(client.integration_type)) {
    return `does not allow integration_type ${JSON.stringify(client.integration_type)}`;
  }
  if (!scope.accessible_for_all && !facts.approved(name, client.client_orgno)) {
    return `is not accessible to organisation ${client.client_orgno}`;
  }
  return undefined;
}

/** One error per scope the client may not register, naming it (`scopes[i]`). */
export function checkClientScopes(client: ScopeSubject & { scopes: readonly string[] }, facts: ScopeFacts): FieldError[] {
  const errors: FieldError[] = [];
  client.scopes.forEach((name, i) => {
    const why = scopeRefusal(name, client, facts);
    if (why) errors.push({ field: `scopes[${i}]`, message: `the scope ${JSON.stringify(name)} ${why}` });
  });
  return errors;
}

/** Facts from complete lists (a snapshot taken at start, e.g. for the clients file). */
export function factsFromLists(scopes: readonly ApiScope[], approved: readonly { scope: string; consumer_orgno: string }[]): ScopeFacts {
  const byName = new Map(scopes.map((s) => [s.name, s] as const));
  const ok = new Set(approved.map((a) => `${a.scope}\0${a.consumer_orgno}`));
  return { scope: (n) => byName.get(n), approved: (n, o) => ok.has(`${n}\0${o}`) };
}
