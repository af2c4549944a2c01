/** The PostgreSQL connection pool, the schema it works in, and the versioned migrations. */
import pg from 'pg';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';

export type PgPool = pg.Pool;

/** Key of the transaction-scoped advisory lock held while migrating ("AP_MIG"). */
export const MIGRATION_LOCK_KEY = 0x41505f4d4947;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function checkSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid PostgreSQL schema name "${schema}" (lowercase letters, digits, _)`);
  return schema;
}

/**
 * How long a request's query may take, and how long it may wait for a connection, before the
 * request fails: a PostgreSQL that stops answering must not hold requests (or `/health/ready`)
 * for ever. A query that times out takes its connection out of the pool (node-postgres).
 */
export const PG_QUERY_TIMEOUT_MS = 5000;

/** The same for maintenance that may rightly take long: migrations (and waiting for another instance's), purges. */
export const PG_MAINTENANCE_TIMEOUT_MS = 10 * 60_000;

/** A query with a deadline of its own (node-postgres reads `query_timeout` per query; its types omit it). */
export const maintenanceQuery = (text: string, values?: unknown[]): pg.QueryConfig =>
  ({ text, ...(values ? { values } : {}), query_timeout: PG_MAINTENANCE_TIMEOUT_MS }) as pg.QueryConfig;

/** bigint columns arrive as strings from node-postgres. */
export const num = (v: unknown): number => Number(v);
export const optNum = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));

/**
 * A pool whose connections all use `schema` (via the search_path startup option) when given.
 * The schema itself is created by {@link migratePostgres}.
 */
export function createPostgresPool(url: string, opts: { schema?: string; max?: number; queryTimeoutMs?: number } = {}): PgPool {
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: opts.queryTimeoutMs ?? PG_QUERY_TIMEOUT_MS,
    query_timeout: opts.queryTimeoutMs ?? PG_QUERY_TIMEOUT_MS,
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
    // Every statement may wait for another instance's migration (the lock) or run long (an index).
    const q = <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => client.query<R>(maintenanceQuery(text, values));
    await q('BEGIN');
    await q('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    if (opts.schema) {
      const schema = checkSchema(opts.schema);
      await q(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await q(`SELECT set_config('search_path', $1, true)`, [`"${schema}"`]);
    }
    await q('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await q<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    for (const [i, sql] of POSTGRES_MIGRATIONS.entries()) {
      const version = i + 1;
      if (done.has(version)) continue;
      await q(sql);
      await q('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      applied.push(version);
    }
    await q('COMMIT');
    return applied;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
