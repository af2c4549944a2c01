/** API scopes, prefixes and access lists in PostgreSQL (spec §15.4); shared by every instance. */
import type pg from 'pg';
import type { ScopeStore } from '../ports.js';
import type { ApiScope, ScopeAccess, ScopePrefix } from '../../scopes/scope-types.js';

/** The migration that creates the scope tables (appended to POSTGRES_MIGRATIONS). */
export const POSTGRES_SCOPE_MIGRATION = `
  CREATE TABLE api_scopes (name text PRIMARY KEY, prefix text NOT NULL, owner_orgno text NOT NULL, data jsonb NOT NULL);
  CREATE INDEX api_scopes_prefix ON api_scopes (prefix);
  CREATE TABLE scope_prefixes (prefix text PRIMARY KEY, owner_orgno text NOT NULL, created text NOT NULL);
  CREATE TABLE scope_access (scope text NOT NULL, consumer_orgno text NOT NULL, data jsonb NOT NULL, PRIMARY KEY (scope, consumer_orgno));
  CREATE INDEX scope_access_consumer ON scope_access (consumer_orgno, scope);
`;

export class PostgresScopeStore implements ScopeStore {
  constructor(private readonly pool: pg.Pool) {}

  async getScope(name: string): Promise<ApiScope | undefined> {
    const { rows } = await this.pool.query<{ data: ApiScope }>('SELECT data FROM api_scopes WHERE name = $1', [name]);
    return rows[0]?.data;
  }

  async listScopes(opts: { prefix?: string; owner_orgno?: string } = {}): Promise<ApiScope[]> {
    const { rows } = await this.pool.query<{ data: ApiScope }>(
      'SELECT data FROM api_scopes WHERE ($1::text IS NULL OR prefix = $1) AND ($2::text IS NULL OR owner_orgno = $2) ORDER BY name COLLATE "C"',
      [opts.prefix ?? null, opts.owner_orgno ?? null]);
    return rows.map((r) => r.data);
  }

  async putScope(scope: ApiScope): Promise<void> {
    await this.pool.query(
      `INSERT INTO api_scopes (name, prefix, owner_orgno, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO UPDATE SET prefix = excluded.prefix, owner_orgno = excluded.owner_orgno, data = excluded.data`,
      [scope.name, scope.prefix, scope.owner_orgno, JSON.stringify(scope)]);
  }

  async addScope(scope: ApiScope): Promise<boolean> {
    const res = await this.pool.query(
      'INSERT INTO api_scopes (name, prefix, owner_orgno, data) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING',
      [scope.name, scope.prefix, scope.owner_orgno, JSON.stringify(scope)]);
    return res.rowCount === 1;
  }

  async getPrefix(prefix: string): Promise<ScopePrefix | undefined> {
    const { rows } = await this.pool.query<ScopePrefix>('SELECT prefix, owner_orgno, created FROM scope_prefixes WHERE prefix = $1', [prefix]);
    const r = rows[0];
    return r ? { prefix: r.prefix, owner_orgno: r.owner_orgno, created: r.created } : undefined;
  }

  async listPrefixes(opts: { owner_orgno?: string } = {}): Promise<ScopePrefix[]> {
    const { rows } = await this.pool.query<ScopePrefix>(
      'SELECT prefix, owner_orgno, created FROM scope_prefixes WHERE ($1::text IS NULL OR owner_orgno = $1) ORDER BY prefix COLLATE "C"',
      [opts.owner_orgno ?? null]);
    return rows.map((r) => ({ prefix: r.prefix, owner_orgno: r.owner_orgno, created: r.created }));
  }

  async addPrefix(p: ScopePrefix): Promise<boolean> {
    const res = await this.pool.query(
      'INSERT INTO scope_prefixes (prefix, owner_orgno, created) VALUES ($1, $2, $3) ON CONFLICT (prefix) DO NOTHING',
      [p.prefix, p.owner_orgno, p.created]);
    return res.rowCount === 1;
  }

  async getAccess(scope: string, consumerOrgno: string): Promise<ScopeAccess | undefined> {
    const { rows } = await this.pool.query<{ data: ScopeAccess }>('SELECT data FROM scope_access WHERE scope = $1 AND consumer_orgno = $2', [scope, consumerOrgno]);
    return rows[0]?.data;
  }

  async listAccess(opts: { scope?: string; consumer_orgno?: string } = {}): Promise<ScopeAccess[]> {
    const { rows } = await this.pool.query<{ data: ScopeAccess }>(
      `SELECT data FROM scope_access WHERE ($1::text IS NULL OR scope = $1) AND ($2::text IS NULL OR consumer_orgno = $2)
       ORDER BY scope COLLATE "C", consumer_orgno COLLATE "C"`,
      [opts.scope ?? null, opts.consumer_orgno ?? null]);
    return rows.map((r) => r.data);
  }

  async putAccess(entry: ScopeAccess): Promise<void> {
    await this.pool.query(
      `INSERT INTO scope_access (scope, consumer_orgno, data) VALUES ($1, $2, $3)
       ON CONFLICT (scope, consumer_orgno) DO UPDATE SET data = excluded.data`,
      [entry.scope, entry.consumer_orgno, JSON.stringify(entry)]);
  }
}
