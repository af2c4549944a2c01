/** The SQLite database file: where it lives, how it is opened, and its versioned migrations. */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';

/** The database file in the data directory (DATA_DIR / data_dir), for the server and the CLI alike. */
export function sqlitePath(dataDir: string): string {
  return join(dataDir, 'ansattporten.sqlite');
}

/** Opens (creating if needed) the SQLite database and applies the versioned migrations. */
export function openSqlite(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

/**
 * Opens the database file (creating it if absent), applies the pending migrations and closes it
 * again. Returns the versions this call applied (the CLI's `migrate`).
 */
export function migrateSqliteFile(path: string): number[] {
  let before: number[] = [];
  if (existsSync(path)) {
    const raw = new Database(path, { readonly: true });
    try {
      before = appliedVersions(raw);
    } finally {
      raw.close();
    }
  }
  const db = openSqlite(path);
  try {
    return appliedVersions(db).filter((v) => !before.includes(v));
  } finally {
    db.close();
  }
}

function appliedVersions(db: Database.Database): number[] {
  const has = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  return has ? (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version) : [];
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set(appliedVersions(db));
  const apply = db.transaction((version: number, sql: string) => {
    db.exec(sql);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, Date.now());
  });
  for (const [i, sql] of SQLITE_MIGRATIONS.entries()) {
    const version = i + 1;
    if (!applied.has(version)) apply.immediate(version, sql);
  }
}
