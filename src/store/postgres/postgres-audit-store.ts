/** The append-only audit log in PostgreSQL. */
import type { Clock } from '../../core/clock.js';
import { toJsonOrNull } from '../json-column.js';
import type { AuditRecord, AuditStore } from '../ports.js';
import { num, type PgPool } from './postgres-database.js';

export class PostgresAuditStore implements AuditStore {
  constructor(private readonly pool: PgPool, private readonly clock: Clock) {}

  async append(e: Omit<AuditRecord, 'id' | 'at'> & { at?: number }): Promise<void> {
    await this.pool.query(
      'INSERT INTO audit_log (at, actor, action, target, before, after) VALUES ($1, $2, $3, $4, $5, $6)',
      [new Date(e.at ?? this.clock.now()), e.actor, e.action, e.target, toJsonOrNull(e.before), toJsonOrNull(e.after)],
    );
  }

  async list(opts: { limit?: number } = {}): Promise<AuditRecord[]> {
  // biome-ignore lint/suspicious/noExplicitAny: a database row, shaped by the SQL that selects it
    const { rows } = await this.pool.query<Record<string, any>>(
      'SELECT id, at, actor, action, target, before, after FROM audit_log ORDER BY id DESC LIMIT $1', [opts.limit ?? 100]);
    return rows.map((r) => {
      const rec: AuditRecord = { id: num(r.id), at: (r.at as Date).getTime(), actor: r.actor, action: r.action, target: r.target };
      if (r.before !== null) rec.before = r.before;
      if (r.after !== null) rec.after = r.after;
      return rec;
    });
  }
}
