/**
 * Short-lived state in the PostgreSQL table `ephemeral`, for deployments without Redis. Every
 * "first one wins" operation is a single atomic statement; expiry is compared against the injected Clock.
 */
import type { Clock } from '../../core/clock.js';
import { checkedLimit, checkedWrites, writeAlone, countsInOrder, groupCounters, type CounterGroup } from '../counter-batch.js';
import type { CounterIncrement, CounterLimit, EphemeralStore, ShortLivedKey, ShortLivedPut, ShortLivedWrites } from '../ports.js';
import type { PgPool } from './postgres-database.js';

export class PostgresEphemeralStore implements EphemeralStore {
  private lastPurge = 0;

  constructor(private readonly pool: PgPool, private readonly clock: Clock) {}

  private async purge(now: number): Promise<void> {
    if (now - this.lastPurge < 60_000) return;
    this.lastPurge = now;
    // A request waits for this purge (once a minute): it has a request query's deadline, not
    // maintenance's, or a PostgreSQL that stops answering would hold that request for ten minutes.
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
    // Named (a prepared statement per connection), like the other queries of every login.
    const { rows } = await this.pool.query<{ value: string }>({
      name: 'ephemeral-get', text: 'SELECT value FROM ephemeral WHERE ns = $1 AND key = $2 AND expires_at > $3', values: [ns, key, this.clock.now()],
    });
    return rows[0] ? (JSON.parse(rows[0].value) as T) : undefined;
  }

  /** One DELETE … RETURNING: of concurrent callers exactly one gets the row (expired rows are deleted and not returned). */
  async take<T>(ns: string, key: string): Promise<T | undefined> {
    const { rows } = await this.pool.query<{ value: string; live: boolean }>({
      name: 'ephemeral-take', text: 'DELETE FROM ephemeral WHERE ns = $1 AND key = $2 RETURNING value, expires_at > $3 AS live', values: [ns, key, this.clock.now()],
    });
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
   * One statement (src/store/counter-batch.ts): each distinct counter is upserted by the number
   * of times it is named, its rows locked in (ns, key) order; with `within`, the same statement
   * makes the writes when no counter went past its max.
   */
  async incrementAll(counters: readonly CounterIncrement[], within?: ShortLivedWrites): Promise<number[]> {
    if (counters.length === 0 && !within) return [];
    const now = this.clock.now();
    const groups = groupCounters(counters);
    const writes = within ? checkedWrites(within, groups) : { remove: [], put: [] };
    if (within) await this.purge(now);
    const res = await this.pool.query<{ ns: string; key: string; value: string }>(
      `WITH c AS (${UPSERT_COUNTERS}),
       go AS (SELECT NOT EXISTS (SELECT 1 FROM c JOIN unnest($1::text[], $2::text[], $6::bigint[]) AS m(ns, key, max) USING (ns, key)
                                 WHERE m.max IS NOT NULL AND (c.value)::bigint > m.max) AS ok),
       ${writesSql(7)}
       SELECT ns, key, value FROM c`,
      [...counterParams(groups, now), groups.map((g) => g.max ?? null), ...writeParams(writes, now)],
    );
    return countsInOrder(counters, groups, res.rows);
  }

  /** One statement (a single write: its own): the take (a DELETE … RETURNING, as in take), then the writes only when it found a live row. */
  async write(writes: ShortLivedWrites & { take?: ShortLivedKey; unless?: CounterLimit }): Promise<{ written: boolean; taken?: unknown; refused?: boolean }> {
    const now = this.clock.now();
    const checked = checkedWrites(writes, writes.take ? [writes.take] : []);
    const unless = checkedLimit(writes.take, writes.unless);
    if (await writeAlone(this, checked, writes.take)) return { written: true };
    await this.purge(now);
    // `lim`: the unless counter at its bound ($10-$12: ns, key, atLeast; null without one) stops the take and the writes.
    const res = await this.pool.query<{ written: boolean; taken: string | null; refused: boolean }>(
      `WITH lim AS (SELECT $10::text IS NOT NULL AND COALESCE((SELECT value FROM ephemeral WHERE ns = $10 AND key = $11 AND expires_at > $3)::bigint, 0) >= $12::bigint AS refused),
       t AS (DELETE FROM ephemeral WHERE ns = $1 AND key = $2 AND NOT (SELECT refused FROM lim) RETURNING value, expires_at > $3 AS live),
       go AS (SELECT $1::text IS NULL OR EXISTS (SELECT 1 FROM t WHERE live) AS ok),
       ${writesSql(4)}
       SELECT (SELECT ok FROM go) AS written, (SELECT value FROM t WHERE live) AS taken, (SELECT refused FROM lim) AS refused`,
      [writes.take?.ns ?? null, writes.take?.key ?? null, now, ...writeParams(checked, now), unless?.ns ?? null, unless?.key ?? null, unless?.atLeast ?? null],
    );
    const row = res.rows[0]!;
    if (row.refused) return { written: false, refused: true };
    return row.taken === null ? { written: row.written } : { written: row.written, taken: JSON.parse(row.taken) };
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

/** The counters' upsert ($1-$5: ns[], key[], n[], expires_at[], now), returning ns, key, value. */
const UPSERT_COUNTERS = `INSERT INTO ephemeral AS e (ns, key, value, expires_at)
  SELECT c.ns, c.key, c.n::text, c.expires_at FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) WITH ORDINALITY AS c(ns, key, n, expires_at, i)
  ORDER BY c.i
  ON CONFLICT (ns, key) DO UPDATE SET
    value = CASE WHEN e.expires_at <= $5 THEN excluded.value ELSE ((e.value)::bigint + (excluded.value)::bigint)::text END,
    expires_at = CASE WHEN e.expires_at <= $5 THEN excluded.expires_at ELSE e.expires_at END
  RETURNING ns, key, value`;

const counterParams = (groups: readonly CounterGroup[], now: number) =>
  [groups.map((g) => g.ns), groups.map((g) => g.key), groups.map((g) => g.n), groups.map((g) => Math.round(now + g.ttlSeconds * 1000)), now];

/**
 * The writes of one step, made only when the CTE `go` says ok: deletes (parameters from `$n`:
 * ns[], key[]) and upserts (then ns[], key[], value[], expires_at[]), each in (ns, key) order.
 */
const writesSql = (n: number) => `d AS (DELETE FROM ephemeral WHERE (ns, key) IN (SELECT * FROM unnest($${n}::text[], $${n + 1}::text[])) AND (SELECT ok FROM go)),
  p AS (INSERT INTO ephemeral AS e (ns, key, value, expires_at)
        SELECT r.ns, r.key, r.value, r.expires_at FROM unnest($${n + 2}::text[], $${n + 3}::text[], $${n + 4}::text[], $${n + 5}::bigint[]) WITH ORDINALITY AS r(ns, key, value, expires_at, i)
        WHERE (SELECT ok FROM go) ORDER BY r.i
        ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at)`;

const writeParams = (w: { remove: readonly ShortLivedKey[]; put: readonly ShortLivedPut[] }, now: number) => [
  w.remove.map((r) => r.ns), w.remove.map((r) => r.key),
  w.put.map((p) => p.ns), w.put.map((p) => p.key), w.put.map((p) => JSON.stringify(p.value)), w.put.map((p) => Math.round(now + p.ttlSeconds * 1000)),
];
