/** Employer rules (spec §9.8) in SQLite. */
import type Database from 'better-sqlite3';
import type { EmployerRuleStore, StoredEmployerRule } from '../ports.js';

export class SqliteEmployerRuleStore implements EmployerRuleStore {
  private readonly sAll; private readonly sByOrg; private readonly sGet; private readonly sPut; private readonly sDel;
  constructor(db: Database.Database) {
    this.sAll = db.prepare('SELECT data FROM employer_rules ORDER BY orgno, created, id');
    this.sByOrg = db.prepare('SELECT data FROM employer_rules WHERE orgno = ? ORDER BY created, id');
    this.sGet = db.prepare('SELECT data FROM employer_rules WHERE id = ?');
    this.sPut = db.prepare('INSERT INTO employer_rules (id, orgno, created, data) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET orgno = excluded.orgno, created = excluded.created, data = excluded.data');
    this.sDel = db.prepare('DELETE FROM employer_rules WHERE id = ?');
  }

  async list(opts: { orgno?: string } = {}): Promise<StoredEmployerRule[]> {
    const rows = (opts.orgno !== undefined ? this.sByOrg.all(opts.orgno) : this.sAll.all()) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as StoredEmployerRule);
  }

  async get(id: string): Promise<StoredEmployerRule | undefined> {
    const row = this.sGet.get(id) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as StoredEmployerRule) : undefined;
  }

  async put(rule: StoredEmployerRule): Promise<void> {
    this.sPut.run(rule.id, rule.orgno, rule.created, JSON.stringify(rule));
  }

  async delete(id: string): Promise<boolean> {
    return this.sDel.run(id).changes === 1;
  }
}
