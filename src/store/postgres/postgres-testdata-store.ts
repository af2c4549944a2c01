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
   * One statement, so version and entries come from one snapshot: the version row first, then
   * the entries only when the version differs from the one given (otherwise the condition is
   * decided once and the table is not read).
   */
  async changedSince(version?: number): Promise<TestDataVersion> {
    const { rows } = await this.pool.query<{ version: string | null } & Partial<TestDataEntry>>(
      `SELECT * FROM (
         SELECT version, NULL AS kind, NULL AS key, NULL AS created, NULL::jsonb AS data FROM testdata_version WHERE id = 1
         UNION ALL
         SELECT NULL, kind, key, created, data FROM testdata WHERE (SELECT version FROM testdata_version WHERE id = 1) IS DISTINCT FROM $1::bigint
       ) r ORDER BY kind COLLATE "C" NULLS FIRST, created COLLATE "C", key COLLATE "C"`,
      [version ?? null],
    );
    const now = Number(rows[0]!.version);
    if (now === version) return { version: now };
    return { version: now, entries: rows.slice(1).map((r) => ({ kind: r.kind!, key: r.key!, created: r.created!, data: r.data! })) };
  }
}
