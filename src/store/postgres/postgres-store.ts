import pg from 'pg';
import type { Clock } from '../../core/clock.js';
import type { StoredClient } from '../../clients/client-types.js';
import type {
  IssuedTokenRecords,
  AuditRecord, AuditStore, ClientStore, EmployerRuleStore, EphemeralStore, Grant, GrantStore, KeyStore, RefreshTokenRecord, SigningKeyRecord, StoredEmployerRule, Stores,
} from '../ports.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { PostgresScopeStore } from './postgres-scope-store.js';

/**
 * The PostgreSQL adapter: durable state (clients, signing keys, secrets, grants, refresh tokens,
 * the access-token index, the audit log) and an EphemeralStore for deployments without Redis.
 *
 * Every "first one wins" operation is a single atomic statement (never read-then-write), so
 * several instances can share one database. Expiry is compared against the injected Clock.
 */

export type PgPool = pg.Pool;

/** Key of the transaction-scoped advisory lock held while migrating ("AP_MIG"). */
export const MIGRATION_LOCK_KEY = 0x41505f4d4947;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function checkSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid PostgreSQL schema name "${schema}" (lowercase letters, digits, _)`);
  return schema;
}

/** bigint columns arrive as strings from node-postgres. */
const num = (v: unknown): number => Number(v);
const optNum = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));

/**
 * A pool whose connections all use `schema` (via the search_path startup option) when given.
 * The schema itself is created by {@link migratePostgres}.
 */
export function createPostgresPool(url: string, opts: { schema?: string; max?: number } = {}): PgPool {
  const pool = new pg.Pool({
    connectionString: url,
    ...(opts.schema ? { options: `-c search_path=${checkSchema(opts.schema)}` } : {}),
    ...(opts.max ? { max: opts.max } : {}),
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

/**
 * Applies the pending migrations in one transaction that holds a transaction-level advisory
 * lock, so instances starting at the same time apply each version exactly once.
 * With `schema`, creates it if absent and migrates inside it.
 * Returns the versions this call applied.
 */
export async function migratePostgres(pool: PgPool, opts: { schema?: string } = {}): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    if (opts.schema) {
      const schema = checkSchema(opts.schema);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await client.query(`SELECT set_config('search_path', $1, true)`, [`"${schema}"`]);
    }
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    for (const [i, sql] of POSTGRES_MIGRATIONS.entries()) {
      const version = i + 1;
      if (done.has(version)) continue;
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      applied.push(version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

export class PostgresEphemeralStore implements EphemeralStore {
  private lastPurge = 0;

  constructor(private readonly pool: PgPool, private readonly clock: Clock) {}

  private async purge(now: number): Promise<void> {
    if (now - this.lastPurge < 60_000) return;
    this.lastPurge = now;
    await this.pool.query('DELETE FROM ephemeral WHERE expires_at <= $1', [now]);
  }

  async put(ns: string, key: string, value: unknown, ttlSeconds: number): Promise<void> {
    const now = this.clock.now();
    await this.purge(now);
    await this.pool.query(
      `INSERT INTO ephemeral (ns, key, value, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      [ns, key, JSON.stringify(value), Math.round(now + ttlSeconds * 1000)],
    );
  }

  async get<T>(ns: string, key: string): Promise<T | undefined> {
    const { rows } = await this.pool.query<{ value: string }>(
      'SELECT value FROM ephemeral WHERE ns = $1 AND key = $2 AND expires_at > $3', [ns, key, this.clock.now()]);
    return rows[0] ? (JSON.parse(rows[0].value) as T) : undefined;
  }

  /** One DELETE … RETURNING: of concurrent callers exactly one gets the row (expired rows are deleted and not returned). */
  async take<T>(ns: string, key: string): Promise<T | undefined> {
    const { rows } = await this.pool.query<{ value: string; live: boolean }>(
      'DELETE FROM ephemeral WHERE ns = $1 AND key = $2 RETURNING value, expires_at > $3 AS live', [ns, key, this.clock.now()]);
    const row = rows[0];
    return row && row.live ? (JSON.parse(row.value) as T) : undefined;
  }

  /** Insert, or replace a row that has expired; the RETURNING row tells whether this call stored it. */
  async count(ns: string): Promise<number> {
    const res = await this.pool.query('SELECT count(*)::int AS n FROM ephemeral WHERE ns = $1 AND expires_at > $2', [ns, this.clock.now()]);
    return Number(res.rows[0].n);
  }

  async increment(ns: string, key: string, ttlSeconds: number): Promise<number> {
    const now = this.clock.now();
    const res = await this.pool.query(
      `INSERT INTO ephemeral AS e (ns, key, value, expires_at) VALUES ($1, $2, '1', $3)
       ON CONFLICT (ns, key) DO UPDATE SET
         value = CASE WHEN e.expires_at <= $4 THEN '1' ELSE ((e.value)::bigint + 1)::text END,
         expires_at = CASE WHEN e.expires_at <= $4 THEN excluded.expires_at ELSE e.expires_at END
       RETURNING value`,
      [ns, key, Math.round(now + ttlSeconds * 1000), now],
    );
    return Number(res.rows[0].value);
  }

  async add(ns: string, key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    const now = this.clock.now();
    const res = await this.pool.query(
      `INSERT INTO ephemeral AS e (ns, key, value, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at WHERE e.expires_at <= $5
       RETURNING 1`,
      [ns, key, JSON.stringify(value), Math.round(now + ttlSeconds * 1000), now],
    );
    return res.rowCount === 1;
  }

  async delete(ns: string, key: string): Promise<void> {
    await this.pool.query('DELETE FROM ephemeral WHERE ns = $1 AND key = $2', [ns, key]);
  }
}

export class PostgresKeyStore implements KeyStore {
  constructor(private readonly pool: PgPool) {}

  async listSigningKeys(): Promise<SigningKeyRecord[]> {
    const { rows } = await this.pool.query<Record<string, any>>('SELECT * FROM signing_keys ORDER BY created_at, kid COLLATE "C"');
    return rows.map((r) => ({
      kid: r.kid, alg: r.alg, privateJwk: r.private_jwk, publicJwk: r.public_jwk,
      state: r.state, createdAt: num(r.created_at), activatedAt: optNum(r.activated_at), publishUntil: optNum(r.publish_until),
    }));
  }

  async insertSigningKey(k: SigningKeyRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO signing_keys (kid, alg, private_jwk, public_jwk, state, created_at, activated_at, publish_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (kid) DO NOTHING`,
      [k.kid, k.alg, JSON.stringify(k.privateJwk), JSON.stringify(k.publicJwk), k.state, k.createdAt, k.activatedAt ?? null, k.publishUntil ?? null],
    );
  }

  /** Fields absent from the patch keep their value (as in the SQLite store). */
  async updateSigningKey(kid: string, p: Partial<Pick<SigningKeyRecord, 'state' | 'activatedAt' | 'publishUntil'>>): Promise<void> {
    await this.pool.query(
      `UPDATE signing_keys SET state = COALESCE($2, state), activated_at = COALESCE($3, activated_at),
         publish_until = COALESCE($4, publish_until) WHERE kid = $1`,
      [kid, p.state ?? null, p.activatedAt ?? null, p.publishUntil ?? null],
    );
  }

  async deleteSigningKey(kid: string): Promise<void> {
    await this.pool.query('DELETE FROM signing_keys WHERE kid = $1', [kid]);
  }

  /**
   * Two statements on purpose: a single `WITH ins AS (INSERT … ON CONFLICT DO NOTHING) SELECT …`
   * reads with the statement's snapshot and can miss the row a concurrent first caller just committed.
   * The INSERT waits for that caller's commit, so the following SELECT sees the winner's value.
   */
  async getOrCreateSecret(name: string, create: () => string): Promise<string> {
    await this.pool.query('INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, create()]);
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM secrets WHERE name = $1', [name]);
    return rows[0]!.value;
  }
}

export class PostgresClientStore implements ClientStore {
  constructor(private readonly pool: PgPool) {}

  async getClient(clientId: string): Promise<StoredClient | undefined> {
    const { rows } = await this.pool.query<{ data: StoredClient }>('SELECT data FROM clients WHERE client_id = $1', [clientId]);
    return rows[0]?.data;
  }

  /** Ordered by client_id bytewise (COLLATE "C"), like SQLite, whatever the database's collation. */
  async listClients(opts: { includeInactive?: boolean; orgno?: string } = {}): Promise<StoredClient[]> {
    const { rows } = await this.pool.query<{ data: StoredClient }>(
      `SELECT data FROM clients
       WHERE ($1::boolean OR data->'client'->'active' = 'true'::jsonb)
         AND ($2::text IS NULL OR data->'client'->>'client_orgno' = $2)
       ORDER BY client_id COLLATE "C"`,
      [opts.includeInactive === true, opts.orgno || null],
    );
    return rows.map((r) => r.data);
  }

  async putClient(c: StoredClient): Promise<void> {
    await this.pool.query(
      'INSERT INTO clients (client_id, data) VALUES ($1, $2) ON CONFLICT (client_id) DO UPDATE SET data = excluded.data',
      [c.client.client_id, JSON.stringify(c)],
    );
  }
}

/** A scope string made only of openid/profile, single-space separated (same test as `split(' ').every(...)`). */
const LOGOUT_ONLY_SCOPE = '^(openid|profile)( (openid|profile))*$';

export class PostgresGrantStore implements GrantStore {
  constructor(private readonly pool: PgPool) {}

  async createGrant(g: Grant, tokens?: IssuedTokenRecords): Promise<void> {
    // One statement (one round trip, one commit): the grant and the token records it comes with.
    const at = tokens?.accessToken;
    const rt = tokens?.refreshToken;
    await this.pool.query(
      `WITH g AS (INSERT INTO grants (id, client_id, sid, scope, data, expires_at, revoked) VALUES ($1, $2, $3, $4, $5, $6, false) RETURNING id),
       a AS (INSERT INTO access_tokens (jti, grant_id, expires_at) SELECT $7::text, id, $8::bigint FROM g WHERE $7::text IS NOT NULL RETURNING 1),
       r AS (INSERT INTO refresh_tokens (hash, grant_id, expires_at, used) SELECT $9::text, id, $10::bigint, false FROM g WHERE $9::text IS NOT NULL RETURNING 1)
       SELECT 1`,
      [g.id, g.clientId, g.sid, g.scope, JSON.stringify(g), g.expiresAt, at?.jti ?? null, at?.expiresAt ?? null, rt?.hash ?? null, rt?.rec.expiresAt ?? null],
    );
  }

  async saveTokens(t: IssuedTokenRecords): Promise<void> {
    const at = t.accessToken;
    const rt = t.refreshToken;
    await this.pool.query(
      `WITH a AS (INSERT INTO access_tokens (jti, grant_id, expires_at) SELECT $1::text, $2::text, $3::bigint WHERE $1::text IS NOT NULL
                  ON CONFLICT (jti) DO UPDATE SET grant_id = excluded.grant_id, expires_at = excluded.expires_at RETURNING 1),
       r AS (INSERT INTO refresh_tokens (hash, grant_id, expires_at, used) SELECT $4::text, $5::text, $6::bigint, $7::boolean WHERE $4::text IS NOT NULL
                  ON CONFLICT (hash) DO UPDATE SET grant_id = excluded.grant_id, expires_at = excluded.expires_at, used = excluded.used RETURNING 1)
       SELECT 1`,
      [at?.jti ?? null, at?.grantId ?? null, at?.expiresAt ?? null, rt?.hash ?? null, rt?.rec.grantId ?? null, rt?.rec.expiresAt ?? null, rt?.rec.used ?? false],
    );
  }

  async getGrant(id: string): Promise<Grant | undefined> {
    const { rows } = await this.pool.query<{ data: Grant; revoked: boolean }>('SELECT data, revoked FROM grants WHERE id = $1', [id]);
    const row = rows[0];
    if (!row) return undefined;
    return { ...row.data, revoked: row.revoked };
  }

  async revokeGrant(id: string): Promise<void> {
    await this.pool.query('UPDATE grants SET revoked = true WHERE id = $1', [id]);
  }

  /** One UPDATE … RETURNING: concurrent logouts of the same session report each grant once. */
  async revokeGrantsForLogout(sid: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      'UPDATE grants SET revoked = true WHERE sid = $1 AND NOT revoked AND scope ~ $2 RETURNING id', [sid, LOGOUT_ONLY_SCOPE]);
    return rows.map((r) => r.id);
  }

  async putRefreshToken(hash: string, r: RefreshTokenRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO refresh_tokens (hash, grant_id, expires_at, used) VALUES ($1, $2, $3, $4)
       ON CONFLICT (hash) DO UPDATE SET grant_id = excluded.grant_id, expires_at = excluded.expires_at, used = excluded.used`,
      [hash, r.grantId, r.expiresAt, r.used],
    );
  }

  async getRefreshToken(hash: string): Promise<RefreshTokenRecord | undefined> {
    const { rows } = await this.pool.query<{ grant_id: string; expires_at: string; used: boolean }>(
      'SELECT grant_id, expires_at, used FROM refresh_tokens WHERE hash = $1', [hash]);
    const row = rows[0];
    return row ? { grantId: row.grant_id, expiresAt: num(row.expires_at), used: row.used } : undefined;
  }

  async markRefreshTokenUsed(hash: string): Promise<boolean> {
    const res = await this.pool.query('UPDATE refresh_tokens SET used = true WHERE hash = $1 AND NOT used', [hash]);
    return res.rowCount === 1;
  }

  async touchRefreshToken(hash: string, expiresAt: number): Promise<void> {
    await this.pool.query('UPDATE refresh_tokens SET expires_at = $2 WHERE hash = $1', [hash, expiresAt]);
  }

  async putAccessToken(jti: string, grantId: string, expiresAt: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO access_tokens (jti, grant_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (jti) DO UPDATE SET grant_id = excluded.grant_id, expires_at = excluded.expires_at`,
      [jti, grantId, expiresAt],
    );
  }

  async getAccessTokenGrant(jti: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ grant_id: string }>('SELECT grant_id FROM access_tokens WHERE jti = $1', [jti]);
    return rows[0]?.grant_id;
  }

  /** Drops expired rows; called periodically. */
  async purgeExpired(now: number): Promise<void> {
    await this.pool.query('DELETE FROM access_tokens WHERE expires_at <= $1', [now]);
    await this.pool.query('DELETE FROM refresh_tokens WHERE grant_id IN (SELECT id FROM grants WHERE expires_at <= $1)', [now]);
    await this.pool.query('DELETE FROM grants WHERE expires_at <= $1', [now]);
  }
}

export class PostgresAuditStore implements AuditStore {
  constructor(private readonly pool: PgPool, private readonly clock: Clock) {}

  async append(e: Omit<AuditRecord, 'id' | 'at'> & { at?: number }): Promise<void> {
    await this.pool.query(
      'INSERT INTO audit_log (at, actor, action, target, before, after) VALUES ($1, $2, $3, $4, $5, $6)',
      [new Date(e.at ?? this.clock.now()), e.actor, e.action, e.target, toJsonOrNull(e.before), toJsonOrNull(e.after)],
    );
  }

  async list(opts: { limit?: number } = {}): Promise<AuditRecord[]> {
    const { rows } = await this.pool.query<Record<string, any>>(
      'SELECT id, at, actor, action, target, before, after FROM audit_log ORDER BY id DESC LIMIT $1', [opts.limit ?? 100]);
    return rows.map((r) => {
      const rec: AuditRecord = { id: num(r.id), at: (r.at as Date).getTime(), actor: r.actor, action: r.action, target: r.target };
      if (r.before !== null) rec.before = r.before;
      if (r.after !== null) rec.after = r.after;
      return rec;
    });
  }
}

// --- employer rules (issue 7) -----------------------------------------------------------------
/** Ordered bytewise (COLLATE "C"), like SQLite, whatever the database's collation. */
export class PostgresEmployerRuleStore implements EmployerRuleStore {
  constructor(private readonly pool: PgPool) {}

  async list(opts: { orgno?: string } = {}): Promise<StoredEmployerRule[]> {
    const { rows } = await this.pool.query<{ data: StoredEmployerRule }>(
      `SELECT data FROM employer_rules WHERE ($1::text IS NULL OR orgno = $1)
       ORDER BY orgno COLLATE "C", created COLLATE "C", id COLLATE "C"`,
      [opts.orgno ?? null],
    );
    return rows.map((r) => r.data);
  }

  async get(id: string): Promise<StoredEmployerRule | undefined> {
    const { rows } = await this.pool.query<{ data: StoredEmployerRule }>('SELECT data FROM employer_rules WHERE id = $1', [id]);
    return rows[0]?.data;
  }

  async put(rule: StoredEmployerRule): Promise<void> {
    await this.pool.query(
      `INSERT INTO employer_rules (id, orgno, created, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET orgno = excluded.orgno, created = excluded.created, data = excluded.data`,
      [rule.id, rule.orgno, rule.created, JSON.stringify(rule)],
    );
  }

  async delete(id: string): Promise<boolean> {
    const res = await this.pool.query('DELETE FROM employer_rules WHERE id = $1', [id]);
    return res.rowCount === 1;
  }
}
// --- end employer rules ---------------------------------------------------------------------

/** undefined and null are both stored as SQL NULL (and read back as absent), as in SQLite. */
function toJsonOrNull(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

export type PostgresStores = Stores & { pool: PgPool; ephemeral: PostgresEphemeralStore; grants: PostgresGrantStore; audit: AuditStore; employerRules: EmployerRuleStore };

/**
 * Connects, migrates (under the advisory lock) and returns every store on PostgreSQL.
 * `schema` isolates the tables in that schema (created if absent), e.g. one per test run.
 */
export async function createPostgresStores(url: string, clock: Clock, opts: { schema?: string; max?: number } = {}): Promise<PostgresStores> {
  const pool = createPostgresPool(url, opts);
  try {
    await migratePostgres(pool, opts.schema ? { schema: opts.schema } : {});
  } catch (e) {
    await pool.end().catch(() => {});
    throw e;
  }
  const grants = new PostgresGrantStore(pool);
  const timer = setInterval(() => { grants.purgeExpired(clock.now()).catch(() => {}); }, 10 * 60_000);
  timer.unref();
  let closed = false;
  return {
    pool,
    ephemeral: new PostgresEphemeralStore(pool, clock),
    keys: new PostgresKeyStore(pool),
    clients: new PostgresClientStore(pool),
    grants,
    audit: new PostgresAuditStore(pool, clock),
    employerRules: new PostgresEmployerRuleStore(pool),
    scopes: new PostgresScopeStore(pool),
    async ping() { await pool.query('SELECT 1'); },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await pool.end();
    },
  };
}
