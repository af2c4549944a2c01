/** API scopes, prefixes and access lists in the embedded SQLite database (spec §15.4). */
import type Database from 'better-sqlite3';
import type { ScopeStore } from '../ports.js';
import type { ApiScope, ScopeAccess, ScopePrefix } from '../../scopes/scope-types.js';

/** The migration that creates the scope tables (appended to SQLITE_MIGRATIONS). */
export const SQLITE_SCOPE_MIGRATION = `
  CREATE TABLE api_scopes (name TEXT PRIMARY KEY, prefix TEXT NOT NULL, owner_orgno TEXT NOT NULL, data TEXT NOT NULL);
  CREATE INDEX api_scopes_prefix ON api_scopes (prefix);
  CREATE TABLE scope_prefixes (prefix TEXT PRIMARY KEY, owner_orgno TEXT NOT NULL, created TEXT NOT NULL);
  CREATE TABLE scope_access (scope TEXT NOT NULL, consumer_orgno TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (scope, consumer_orgno));
  CREATE INDEX scope_access_consumer ON scope_access (consumer_orgno, scope);
`;

export class SqliteScopeStore implements ScopeStore {
  private readonly sGet; private readonly sPut; private readonly sAdd; private readonly sList;
  private readonly sGetPrefix; private readonly sAddPrefix; private readonly sListPrefixes;
  private readonly sGetAccess; private readonly sPutAccess; private readonly sListAccess;

  constructor(db: Database.Database) {
    this.sGet = db.prepare('SELECT data FROM api_scopes WHERE name = ?');
    this.sPut = db.prepare('INSERT INTO api_scopes (name, prefix, owner_orgno, data) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET prefix = excluded.prefix, owner_orgno = excluded.owner_orgno, data = excluded.data');
    this.sAdd = db.prepare('INSERT INTO api_scopes (name, prefix, owner_orgno, data) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING');
    this.sList = db.prepare('SELECT data FROM api_scopes WHERE (@prefix IS NULL OR prefix = @prefix) AND (@owner IS NULL OR owner_orgno = @owner) ORDER BY name');
    this.sGetPrefix = db.prepare('SELECT prefix, owner_orgno, created FROM scope_prefixes WHERE prefix = ?');
    this.sAddPrefix = db.prepare('INSERT INTO scope_prefixes (prefix, owner_orgno, created) VALUES (?, ?, ?) ON CONFLICT (prefix) DO NOTHING');
    this.sListPrefixes = db.prepare('SELECT prefix, owner_orgno, created FROM scope_prefixes WHERE (@owner IS NULL OR owner_orgno = @owner) ORDER BY prefix');
    this.sGetAccess = db.prepare('SELECT data FROM scope_access WHERE scope = ? AND consumer_orgno = ?');
    this.sPutAccess = db.prepare('INSERT INTO scope_access (scope, consumer_orgno, data) VALUES (?, ?, ?) ON CONFLICT (scope, consumer_orgno) DO UPDATE SET data = excluded.data');
    this.sListAccess = db.prepare('SELECT data FROM scope_access WHERE (@scope IS NULL OR scope = @scope) AND (@consumer IS NULL OR consumer_orgno = @consumer) ORDER BY scope, consumer_orgno');
  }

  async getScope(name: string): Promise<ApiScope | undefined> {
    const row = this.sGet.get(name) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as ApiScope) : undefined;
  }

  async listScopes(opts: { prefix?: string; owner_orgno?: string } = {}): Promise<ApiScope[]> {
    const rows = this.sList.all({ prefix: opts.prefix ?? null, owner: opts.owner_orgno ?? null }) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as ApiScope);
  }

  async putScope(scope: ApiScope): Promise<void> {
    this.sPut.run(scope.name, scope.prefix, scope.owner_orgno, JSON.stringify(scope));
  }

  async addScope(scope: ApiScope): Promise<boolean> {
    return this.sAdd.run(scope.name, scope.prefix, scope.owner_orgno, JSON.stringify(scope)).changes === 1;
  }

  async getPrefix(prefix: string): Promise<ScopePrefix | undefined> {
    const row = this.sGetPrefix.get(prefix) as ScopePrefix | undefined;
    return row ? { prefix: row.prefix, owner_orgno: row.owner_orgno, created: row.created } : undefined;
  }

  async listPrefixes(opts: { owner_orgno?: string } = {}): Promise<ScopePrefix[]> {
    return (this.sListPrefixes.all({ owner: opts.owner_orgno ?? null }) as ScopePrefix[]).map((r) => ({ prefix: r.prefix, owner_orgno: r.owner_orgno, created: r.created }));
  }

  async addPrefix(p: ScopePrefix): Promise<boolean> {
    return this.sAddPrefix.run(p.prefix, p.owner_orgno, p.created).changes === 1;
  }

  async getAccess(scope: string, consumerOrgno: string): Promise<ScopeAccess | undefined> {
    const row = this.sGetAccess.get(scope, consumerOrgno) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as ScopeAccess) : undefined;
  }

  async listAccess(opts: { scope?: string; consumer_orgno?: string } = {}): Promise<ScopeAccess[]> {
    const rows = this.sListAccess.all({ scope: opts.scope ?? null, consumer: opts.consumer_orgno ?? null }) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as ScopeAccess);
  }

  async putAccess(entry: ScopeAccess): Promise<void> {
    this.sPutAccess.run(entry.scope, entry.consumer_orgno, JSON.stringify(entry));
  }
}
