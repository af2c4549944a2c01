/** The embedded adapter: every port on one SQLite file (one class per port, beside this file). */
import type Database from 'better-sqlite3';
import type { Clock } from '../../core/clock.js';
import type { EmployerRuleStore, Stores } from '../ports.js';
import { SqliteAuditStore } from './sqlite-audit-store.js';
import { SqliteClientStore } from './sqlite-client-store.js';
import { openSqlite } from './sqlite-database.js';
import { SqliteEmployerRuleStore } from './sqlite-employer-rule-store.js';
import { SqliteEphemeralStore } from './sqlite-ephemeral-store.js';
import { SqliteGrantStore } from './sqlite-grant-store.js';
import { SqliteKeyStore } from './sqlite-key-store.js';
import { SqliteScopeStore } from './sqlite-scope-store.js';
import { SqliteTestDataStore } from './sqlite-testdata-store.js';
import { WalCheckpointer } from './wal-checkpointer.js';

export function createSqliteStores(path: string, clock: Clock): Stores & { db: Database.Database; employerRules: EmployerRuleStore } {
  const db = openSqlite(path);
  const grants = new SqliteGrantStore(db);
  const timer = setInterval(() => grants.purgeExpired(clock.now()), 10 * 60_000);
  timer.unref();
  // WAL checkpoints run on a worker thread under write load (src/store/sqlite/wal-checkpointer.ts).
  const checkpointer = path === ':memory:' ? undefined : new WalCheckpointer(db, path);
  checkpointer?.start();
  return {
    db,
    ephemeral: new SqliteEphemeralStore(db, clock),
    keys: new SqliteKeyStore(db),
    clients: new SqliteClientStore(db),
    grants,
    audit: new SqliteAuditStore(db, clock),
    employerRules: new SqliteEmployerRuleStore(db),
    testData: new SqliteTestDataStore(db),
    scopes: new SqliteScopeStore(db),
    async ping() { db.prepare('SELECT 1').get(); },
    async close() { clearInterval(timer); await checkpointer?.stop(); db.close(); },
  };
}
