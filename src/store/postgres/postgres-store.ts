/**
 * The PostgreSQL adapter: durable state (clients, signing keys, secrets, grants, refresh tokens,
 * the access-token index, the audit log, employer rules) and an EphemeralStore for deployments
 * without Redis; one class per port beside this file, composed here.
 *
 * Every "first one wins" operation is a single atomic statement (never read-then-write), so
 * several instances can share one database. Expiry is compared against the injected Clock.
 */
import type { Clock } from '../../core/clock.js';
import type { AuditStore, EmployerRuleStore, Stores } from '../ports.js';
import { PostgresAuditStore } from './postgres-audit-store.js';
import { PostgresClientStore } from './postgres-client-store.js';
import { createPostgresPool, migratePostgres, type PgPool } from './postgres-database.js';
import { PostgresEmployerRuleStore } from './postgres-employer-rule-store.js';
import { PostgresEphemeralStore } from './postgres-ephemeral-store.js';
import { PostgresGrantStore } from './postgres-grant-store.js';
import { PostgresKeyStore } from './postgres-key-store.js';
import { PostgresScopeStore } from './postgres-scope-store.js';
import { PostgresTestDataStore } from './postgres-testdata-store.js';

type PostgresStores = Stores & { pool: PgPool; ephemeral: PostgresEphemeralStore; grants: PostgresGrantStore; audit: AuditStore; employerRules: EmployerRuleStore };

/**
 * Connects, migrates (under the advisory lock) and returns every store on PostgreSQL.
 * `schema` isolates the tables in that schema (created if absent), e.g. one per test run.
 */
export async function createPostgresStores(url: string, clock: Clock, opts: { schema?: string; max?: number; queryTimeoutMs?: number } = {}): Promise<PostgresStores> {
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
    testData: new PostgresTestDataStore(pool),
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
