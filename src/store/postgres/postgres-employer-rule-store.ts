/** Employer rules (spec §9.8) in PostgreSQL. */
import type { EmployerRuleStore, StoredEmployerRule } from '../ports.js';
import type { PgPool } from './postgres-database.js';

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
