/** Test data added at run time, in PostgreSQL (table `testdata`, migration 3; its version, migration 5). */
import type pg from 'pg';
import type { TestDataEntry, TestDataKind, TestDataStore, TestDataVersion } from '../ports.js';

/** Ordered bytewise (COLLATE "C"), like SQLite, whatever the database's collation. */
export class PostgresTestDataStore implements TestDataStore {
  constructor(private readonly pool: pg.Pool) {}

  async list(kind?: TestDataKind): Promise<TestDataEntry[]> {
    const { rows } = await this.pool.query<TestDataEntry>(
      `SELECT kind, key, created, data FROM testdata WHERE ($1::text IS NULL OR kind = $1)
       ORDER BY kind COLLATE "C", created COLLATE "C", key COLLATE "C"`,
      [kind ?? null],
    );
    return rows.map((r) => ({ kind: r.kind, key: r.key, created: r.created, data: r.data }));
  }

  async put(e: TestDataEntry): Promise<void> {
    await this.pool.query(
      `INSERT INTO testdata (kind, key, created, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (kind, key) DO UPDATE SET created = excluded.created, data = excluded.data`,
      [e.kind, e.key, e.created, JSON.stringify(e.data)],
    );
  }

  async delete(kind: TestDataKind, key: string): Promise<boolean> {
    const res = await this.pool.query('DELETE FROM testdata WHERE kind = $1 AND key = $2', [kind, key]);
    return res.rowCount === 1;
  }

  /**
   * The version (one single-row query), then (only when it changed) the entries: a write committed
   * in between makes the entries newer than the version, never older, and the next call reads
   * them again. (One statement reading both costs more to plan than this while nothing changes.)
   */
  async changedSince(version?: number): Promise<TestDataVersion> {
    const { rows } = await this.pool.query<{ version: string }>({ name: 'testdata-version', text: 'SELECT version FROM testdata_version WHERE id = 1' });
    const now = Number(rows[0]!.version);
    return now === version ? { version: now } : { version: now, entries: await this.list() };
  }
}
