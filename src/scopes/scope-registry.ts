/**
 * The API scope registry the protocol endpoints consult (spec §15.4). Every answer is read from
 * the store at the time of the request (no cache), so a scope deactivated or an access entry
 * revoked through the admin API or the CLI on any instance applies to the next request everywhere.
 */
import type { Clock } from '../core/clock.js';
import type { Fixtures } from '../fixtures/fixture-types.js';
import type { ScopeStore } from '../store/ports.js';
import { checkClientScopes, factsFromLists, scopeRefusal, type ScopeFacts, type ScopeSubject } from './check-client-scopes.js';
import type { FieldError } from '../clients/validation/field-reader.js';
import { NO_SCOPE_POLICY, scopeTokenPolicy, type ScopeTokenPolicy } from './scope-token-policy.js';
import { BUILT_IN_SCOPES, OPENID_SCOPES, type ApiScope } from './scope-types.js';

export interface ScopeRefusal {
  scope: string;
  reason: string;
}

/** What the authorize and token endpoints need from the registry. */
export interface ScopeAuthority {
  /** The requested scopes `client` may not use (now), each with the reason. */
  refusals(client: ScopeSubject, names: readonly string[]): Promise<ScopeRefusal[]>;
  /** How the scopes of a token shape it. */
  policy(scope: string): Promise<ScopeTokenPolicy>;
}

const splitScope = (scope: string | readonly string[]) =>
  [...new Set((typeof scope === 'string' ? scope.split(' ') : scope).filter((s) => s.length > 0))];

export class ScopeRegistry implements ScopeAuthority {
  constructor(readonly store: ScopeStore, private readonly clock: Clock) {}

  /** Facts about just these scopes, for `orgno`, read now. */
  async facts(names: readonly string[], orgno: string): Promise<ScopeFacts> {
    const scopes = new Map<string, ApiScope>();
    const approved = new Set<string>();
    for (const name of names) {
      if (BUILT_IN_SCOPES.has(name) || scopes.has(name)) continue;
      const s = await this.store.getScope(name);
      if (!s) continue;
      scopes.set(name, s);
      if (!s.accessible_for_all && (await this.store.getAccess(name, orgno))?.state === 'APPROVED') approved.add(name);
    }
    return { scope: (n) => scopes.get(n), approved: (n, o) => o === orgno && approved.has(n) };
  }

  /** Every scope and APPROVED entry, read now (for checking a whole clients file at start). */
  async snapshot(): Promise<ScopeFacts> {
    const access = await this.store.listAccess();
    return factsFromLists(await this.store.listScopes(), access.filter((a) => a.state === 'APPROVED'));
  }

  async refusals(client: ScopeSubject, names: readonly string[]): Promise<ScopeRefusal[]> {
    const facts = await this.facts(names, client.client_orgno);
    const out: ScopeRefusal[] = [];
    for (const name of names) {
      const reason = scopeRefusal(name, client, facts);
      if (reason) out.push({ scope: name, reason });
    }
    return out;
  }

  /** Registration check (admin API, pages, CLI): one error per scope the client may not register. */
  async checkClient(client: ScopeSubject & { scopes: readonly string[] }): Promise<FieldError[]> {
    return checkClientScopes(client, await this.facts(client.scopes, client.client_orgno));
  }

  async policy(scope: string): Promise<ScopeTokenPolicy> {
    const names = splitScope(scope).filter((n) => !BUILT_IN_SCOPES.has(n));
    if (names.length === 0) return NO_SCOPE_POLICY;
    const scopes: ApiScope[] = [];
    for (const n of names) {
      const s = await this.store.getScope(n);
      if (s) scopes.push(s);
    }
    return scopeTokenPolicy(scopes);
  }

  /** The owner organisation of each API scope among `names`. */
  async owners(names: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const n of splitScope(names)) {
      if (BUILT_IN_SCOPES.has(n)) continue;
      const s = await this.store.getScope(n);
      if (s) out.set(n, s.owner_orgno);
    }
    return out;
  }

  /** Discovery's scopes_supported: openid, profile and the active PUBLIC API scopes. */
  async supportedScopes(): Promise<string[]> {
    const listed = (await this.store.listScopes()).filter((s) => s.active && s.visibility === 'PUBLIC').map((s) => s.name);
    return [...OPENID_SCOPES, ...listed];
  }

  /**
   * Seeds the store from the fixtures file: prefixes, scopes and access entries the store does not
   * have yet are added; existing ones are left as the admin API or CLI last set them (so a
   * restart never undoes a revocation). A fixtures prefix owned by another organisation in the
   * store is reported and skipped.
   */
  async seed(fixtures: Pick<Fixtures, 'scope_prefixes' | 'scopes' | 'scope_access'>): Promise<string[]> {
    const warnings: string[] = [];
    const now = new Date(this.clock.now()).toISOString();
    const skipped = new Set<string>();
    for (const p of fixtures.scope_prefixes ?? []) {
      if (await this.store.addPrefix({ prefix: p.prefix, owner_orgno: p.owner_orgno, created: now })) continue;
      const existing = await this.store.getPrefix(p.prefix);
      if (existing && existing.owner_orgno !== p.owner_orgno) {
        skipped.add(p.prefix);
        warnings.push(`scope prefix ${JSON.stringify(p.prefix)} belongs to ${existing.owner_orgno} in the store, not ${p.owner_orgno}; its fixtures scopes are skipped`);
      }
    }
    for (const s of fixtures.scopes ?? []) {
      if (skipped.has(s.prefix)) continue;
      await this.store.addScope({ ...s, created: now, last_updated: now });
    }
    for (const a of fixtures.scope_access ?? []) {
      const scope = await this.store.getScope(a.scope);
      if (!scope || skipped.has(scope.prefix) || (await this.store.getAccess(a.scope, a.consumer_orgno))) continue;
      await this.store.putAccess({ scope: a.scope, consumer_orgno: a.consumer_orgno, owner_orgno: scope.owner_orgno, state: a.state, created: now, last_updated: now });
    }
    return warnings;
  }
}
