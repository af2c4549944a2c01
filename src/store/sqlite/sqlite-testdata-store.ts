/** Test data added at run time, in the embedded SQLite store (table `testdata`, migration 4; its version, migration 6). */
import type Database from 'better-sqlite3';
import type { TestDataEntry, TestDataKind, TestDataStore, TestDataVersion } from '../ports.js';

type Row = { kind: TestDataKind; key: string; created: string; data: string };

export class SqliteTestDataStore implements TestDataStore {
  private readonly sAll; private readonly sKind; private readonly sPut; private readonly sDel; private readonly sVersion;

  constructor(db: Database.Database) {
    this.sAll = db.prepare('SELECT kind, key, created, data FROM testdata ORDER BY kind, created, key');
    this.sKind = db.prepare('SELECT kind, key, created, data FROM testdata WHERE kind = ? ORDER BY created, key');
    this.sPut = db.prepare('INSERT INTO testdata (kind, key, created, data) VALUES (?, ?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET created = excluded.created, data = excluded.data');
    this.sDel = db.prepare('DELETE FROM testdata WHERE kind = ? AND key = ?');
    this.sVersion = db.prepare('SELECT version FROM testdata_version WHERE id = 1').pluck();
  }

  async list(kind?: TestDataKind): Promise<TestDataEntry[]> {
    return this.entries(kind);
  }

  async put(e: TestDataEntry): Promise<void> {
    this.sPut.run(e.kind, e.key, e.created, JSON.stringify(e.data));
  }

  async delete(kind: TestDataKind, key: string): Promise<boolean> {
    return this.sDel.run(kind, key).changes === 1;
  }

  /**
   * The version, then (only when it changed) the entries: a write committed in between makes the
   * entries newer than the version, never older, and the next call reads them again.
   */
  async changedSince(version?: number): Promise<TestDataVersion> {
    const now = this.sVersion.get() as number;
    return now === version ? { version: now } : { version: now, entries: this.entries() };
  }

  private entries(kind?: TestDataKind): TestDataEntry[] {
    const rows = (kind === undefined ? this.sAll.all() : this.sKind.all(kind)) as Row[];
    return rows.map((r) => ({ kind: r.kind, key: r.key, created: r.created, data: JSON.parse(r.data) as Record<string, unknown> }));
  }
}
