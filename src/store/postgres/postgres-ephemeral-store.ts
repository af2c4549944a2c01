/**
 * Short-lived state in the PostgreSQL table `ephemeral`, for deployments without Redis. Every
 * "first one wins" operation is a single atomic statement; expiry is compared against the injected Clock.
 */
import type { Clock } from '../../core/clock.js';
import { countsInOrder, groupCounters } from '../counter-batch.js';
import type { CounterIncrement, EphemeralStore } from '../ports.js';
import type { PgPool } from './postgres-database.js';

export class PostgresEphemeralStore implements EphemeralStore {
  private lastPurge = 0;

  constructor(private readonly pool: PgPool, private readonly clock: Clock) {}

  private async purge(now: number): Promise<void> {
    if (now - this.lastPurge < 60_000) return;
    this.lastPurge = now;
    await this.pool.query('DELETE FROM ephemeral WHERE expires_at <= $1', [now]);
  }

  async put(ns: string, key: string, value: unknown, ttlSeconds: number): Promise<void> {
    const now = this.clock.now();
    await this.purge(now);
    await this.pool.query(
      `INSERT INTO ephemeral (ns, key, value, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      [ns, key, JSON.stringify(value), Math.round(now + ttlSeconds * 1000)],
    );
  }

  async get<T>(ns: string, key: string): Promise<T | undefined> {
    const { rows } = await this.pool.query<{ value: string }>(
      'SELECT value FROM ephemeral WHERE ns = $1 AND key = $2 AND expires_at > $3', [ns, key, this.clock.now()]);
    return rows[0] ? (JSON.parse(rows[0].value) as T) : undefined;
  }

  /** One DELETE … RETURNING: of concurrent callers exactly one gets the row (expired rows are deleted and not returned). */
  async take<T>(ns: string, key: string): Promise<T | undefined> {
    const { rows } = await this.pool.query<{ value: string; live: boolean }>(
      'DELETE FROM ephemeral WHERE ns = $1 AND key = $2 RETURNING value, expires_at > $3 AS live', [ns, key, this.clock.now()]);
    const row = rows[0];
    return row?.live ? (JSON.parse(row.value) as T) : undefined;
  }

  async count(ns: string): Promise<number> {
    const res = await this.pool.query('SELECT count(*)::int AS n FROM ephemeral WHERE ns = $1 AND expires_at > $2', [ns, this.clock.now()]);
    return Number(res.rows[0].n);
  }

  async increment(ns: string, key: string, ttlSeconds: number): Promise<number> {
    const now = this.clock.now();
    const res = await this.pool.query(
      `INSERT INTO ephemeral AS e (ns, key, value, expires_at) VALUES ($1, $2, '1', $3)
       ON CONFLICT (ns, key) DO UPDATE SET
         value = CASE WHEN e.expires_at <= $4 THEN '1' ELSE ((e.value)::bigint + 1)::text END,
         expires_at = CASE WHEN e.expires_at <= $4 THEN excluded.expires_at ELSE e.expires_at END
       RETURNING value`,
      [ns, key, Math.round(now + ttlSeconds * 1000), now],
    );
    return Number(res.rows[0].value);
  }

  /**
   * One statement for the whole batch (src/store/counter-batch.ts): each distinct counter is
   * upserted by the number of times it is named, its rows locked in (ns, key) order.
   */
  async incrementAll(counters: readonly CounterIncrement[]): Promise<number[]> {
    if (counters.length === 0) return [];
    const now = this.clock.now();
    const groups = groupCounters(counters);
    const res = await this.pool.query<{ ns: string; key: string; value: string }>(
      `INSERT INTO ephemeral AS e (ns, key, value, expires_at)
       SELECT c.ns, c.key, c.n::text, c.expires_at FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) WITH ORDINALITY AS c(ns, key, n, expires_at, i)
       ORDER BY c.i
       ON CONFLICT (ns, key) DO UPDATE SET
         value = CASE WHEN e.expires_at <= $5 THEN excluded.value ELSE ((e.value)::bigint + (excluded.value)::bigint)::text END,
         expires_at = CASE WHEN e.expires_at <= $5 THEN excluded.expires_at ELSE e.expires_at END
       RETURNING ns, key, value`,
      [groups.map((g) => g.ns), groups.map((g) => g.key), groups.map((g) => g.n), groups.map((g) => Math.round(now + g.ttlSeconds * 1000)), now],
    );
    return countsInOrder(counters, groups, res.rows);
  }

  /** Insert, or replace a row that has expired; the RETURNING row tells whether this call stored it. */
  async add(ns: string, key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    const now = this.clock.now();
    const res = await this.pool.query(
      `INSERT INTO ephemeral AS e (ns, key, value, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at WHERE e.expires_at <= $5
       RETURNING 1`,
      [ns, key, JSON.stringify(value), Math.round(now + ttlSeconds * 1000), now],
    );
    return res.rowCount === 1;
  }

  async delete(ns: string, key: string): Promise<void> {
    await this.pool.query('DELETE FROM ephemeral WHERE ns = $1 AND key = $2', [ns, key]);
  }
}
