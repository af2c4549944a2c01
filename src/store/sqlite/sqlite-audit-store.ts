/** The append-only audit log in SQLite. */
import type Database from 'better-sqlite3';
import type { Clock } from '../../core/clock.js';
import type { AuditRecord, AuditStore } from '../ports.js';
import { toJsonOrNull } from '../json-column.js';

export class SqliteAuditStore implements AuditStore {
  private readonly sIns; private readonly sList;
  constructor(db: Database.Database, private readonly clock: Clock) {
    this.sIns = db.prepare('INSERT INTO audit_log (at, actor, action, target, before, after) VALUES (?,?,?,?,?,?)');
    this.sList = db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?');
  }

  async append(e: Omit<AuditRecord, 'id' | 'at'> & { at?: number }): Promise<void> {
    this.sIns.run(e.at ?? this.clock.now(), e.actor, e.action, e.target, toJsonOrNull(e.before), toJsonOrNull(e.after));
  }

  async list(opts: { limit?: number } = {}): Promise<AuditRecord[]> {
  // biome-ignore lint/suspicious/noExplicitAny: a database row, shaped by the SQL that selects it
    const rows = this.sList.all(opts.limit ?? 100) as Record<string, any>[];
    return rows.map((r) => {
      const rec: AuditRecord = { id: r.id, at: r.at, actor: r.actor, action: r.action, target: r.target };
      if (r.before !== null) rec.before = JSON.parse(r.before);
      if (r.after !== null) rec.after = JSON.parse(r.after);
      return rec;
    });
  }
}
