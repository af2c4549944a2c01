/**
 * API scopes in this process's memory: used when the stores in use provide no scope store (a
 * custom Stores object); the built-in SQLite and PostgreSQL adapters keep scopes durably.
 */
import type { ScopeStore } from '../ports.js';
import type { ApiScope, ScopeAccess, ScopePrefix } from '../../scopes/scope-types.js';

const copy = <T>(v: T): T => structuredClone(v);
const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

export class MemoryScopeStore implements ScopeStore {
  private readonly scopes = new Map<string, ApiScope>();
  private readonly prefixes = new Map<string, ScopePrefix>();
  private readonly access = new Map<string, ScopeAccess>();

  async getScope(name: string) { const s = this.scopes.get(name); return s ? copy(s) : undefined; }
  async listScopes(opts: { prefix?: string; owner_orgno?: string } = {}) {
    return [...this.scopes.values()]
      .filter((s) => (opts.prefix === undefined || s.prefix === opts.prefix) && (opts.owner_orgno === undefined || s.owner_orgno === opts.owner_orgno))
      .sort(byKey((s) => s.name)).map(copy);
  }
  async putScope(scope: ApiScope) { this.scopes.set(scope.name, copy(scope)); }
  async addScope(scope: ApiScope) {
    if (this.scopes.has(scope.name)) return false;
    this.scopes.set(scope.name, copy(scope));
    return true;
  }
  async getPrefix(prefix: string) { const p = this.prefixes.get(prefix); return p ? copy(p) : undefined; }
  async listPrefixes(opts: { owner_orgno?: string } = {}) {
    return [...this.prefixes.values()].filter((p) => opts.owner_orgno === undefined || p.owner_orgno === opts.owner_orgno).sort(byKey((p) => p.prefix)).map(copy);
  }
  async addPrefix(p: ScopePrefix) {
    if (this.prefixes.has(p.prefix)) return false;
    this.prefixes.set(p.prefix, copy(p));
    return true;
  }
  async getAccess(scope: string, consumerOrgno: string) { const a = this.access.get(`${scope}\0${consumerOrgno}`); return a ? copy(a) : undefined; }
  async listAccess(opts: { scope?: string; consumer_orgno?: string } = {}) {
    return [...this.access.values()]
      .filter((a) => (opts.scope === undefined || a.scope === opts.scope) && (opts.consumer_orgno === undefined || a.consumer_orgno === opts.consumer_orgno))
      .sort(byKey((a) => `${a.scope}\0${a.consumer_orgno}`)).map(copy);
  }
  async putAccess(entry: ScopeAccess) { this.access.set(`${entry.scope}\0${entry.consumer_orgno}`, copy(entry)); }
}
