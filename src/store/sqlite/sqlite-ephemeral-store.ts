/** Short-lived state (sessions, codes, replay caches) in the SQLite table `ephemeral`, expiry against the injected Clock. */
import type Database from 'better-sqlite3';
import type { Clock } from '../../core/clock.js';
import { allWithin, checkedLimit, checkedWrites, writeAlone, countsInOrder, groupCounters } from '../counter-batch.js';
import type { CounterIncrement, CounterLimit, EphemeralStore, ShortLivedKey, ShortLivedWrites } from '../ports.js';

export class SqliteEphemeralStore implements EphemeralStore {
  private readonly sGet; private readonly sPut; private readonly sDel; private readonly sAdd; private readonly sPurge;
  private readonly sIncrementAll; private readonly sTake;
  private readonly writeTx; private readonly incrementTx;
  private lastPurge = 0;

  constructor(private readonly db: Database.Database, private readonly clock: Clock) {
    this.sGet = db.prepare('SELECT value, expires_at FROM ephemeral WHERE ns = ? AND key = ?');
    this.sPut = db.prepare('INSERT INTO ephemeral (ns, key, value, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at');
    this.sDel = db.prepare('DELETE FROM ephemeral WHERE ns = ? AND key = ?');
    this.sAdd = db.prepare('INSERT INTO ephemeral (ns, key, value, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at WHERE ephemeral.expires_at <= ?');
    this.sPurge = db.prepare('DELETE FROM ephemeral WHERE expires_at <= ?');
    // One upsert of every counter of a batch, from a JSON array of [ns, key, n, expires_at].
    this.sIncrementAll = db.prepare(
      `INSERT INTO ephemeral (ns, key, value, expires_at)
       SELECT json_extract(c.value, '$[0]'), json_extract(c.value, '$[1]'), CAST(json_extract(c.value, '$[2]') AS TEXT), json_extract(c.value, '$[3]')
       FROM json_each(?) AS c WHERE true
       ON CONFLICT (ns, key) DO UPDATE SET
         value = CASE WHEN ephemeral.expires_at <= ? THEN excluded.value ELSE CAST(CAST(ephemeral.value AS INTEGER) + CAST(excluded.value AS INTEGER) AS TEXT) END,
         expires_at = CASE WHEN ephemeral.expires_at <= ? THEN excluded.expires_at ELSE ephemeral.expires_at END
       RETURNING ns, key, value`,
    );
    this.sTake = db.prepare('DELETE FROM ephemeral WHERE ns = ? AND key = ? RETURNING value, expires_at');
    this.writeTx = db.transaction((writes: Required<ShortLivedWrites>, take: ShortLivedKey | undefined, now: number, unless?: CounterLimit) => {
      if (unless) {
        const c = this.sGet.get(unless.ns, unless.key) as { value: string; expires_at: number } | undefined;
        if (c && c.expires_at > now && Number(c.value) >= unless.atLeast) return { written: false, refused: true };
      }
      const taken = take ? this.takeNow(take.ns, take.key, now) : undefined;
      if (take && taken === undefined) return { written: false };
      this.apply(writes, now);
      return { written: true, taken };
    });
    this.incrementTx = db.transaction((counters: readonly CounterIncrement[], writes: Required<ShortLivedWrites>, now: number) => {
      const counts = this.incrementNow(counters, now);
      if (allWithin(counters, counts)) this.apply(writes, now);
      return counts;
    });
  }

  /** One DELETE … RETURNING: deletes the row and gives its value when it was live (of concurrent callers, one gets the row). */
  private takeNow(ns: string, key: string, now: number): string | undefined {
    const row = this.sTake.get(ns, key) as { value: string; expires_at: number } | undefined;
    return row && row.expires_at > now ? row.value : undefined;
  }

  private apply(writes: Required<ShortLivedWrites>, now: number): void {
    for (const r of writes.remove) this.sDel.run(r.ns, r.key);
    for (const p of writes.put) this.sPut.run(p.ns, p.key, JSON.stringify(p.value), now + p.ttlSeconds * 1000);
  }

  private purge(now: number): void {
    if (now - this.lastPurge < 60_000) return;
    this.lastPurge = now;
    this.sPurge.run(now);
  }

  async put(ns: string, key: string, value: unknown, ttlSeconds: number): Promise<void> {
    const now = this.clock.now();
    this.purge(now);
    this.sPut.run(ns, key, JSON.stringify(value), now + ttlSeconds * 1000);
  }

  async get<T>(ns: string, key: string): Promise<T | undefined> {
    const row = this.sGet.get(ns, key) as { value: string; expires_at: number } | undefined;
    if (!row || row.expires_at <= this.clock.now()) return undefined;
    return JSON.parse(row.value) as T;
  }

  async take<T>(ns: string, key: string): Promise<T | undefined> {
    const v = this.takeNow(ns, key, this.clock.now());
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }

  async count(ns: string): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM ephemeral WHERE ns = ? AND expires_at > ?').get(ns, this.clock.now()) as { n: number }).n;
  }

  async increment(ns: string, key: string, ttlSeconds: number): Promise<number> {
    const now = this.clock.now();
    const row = this.db.prepare(
      `INSERT INTO ephemeral (ns, key, value, expires_at) VALUES (?, ?, '1', ?)
       ON CONFLICT (ns, key) DO UPDATE SET
         value = CASE WHEN ephemeral.expires_at <= ? THEN '1' ELSE CAST(CAST(ephemeral.value AS INTEGER) + 1 AS TEXT) END,
         expires_at = CASE WHEN ephemeral.expires_at <= ? THEN excluded.expires_at ELSE ephemeral.expires_at END
       RETURNING value`,
    ).get(ns, key, now + ttlSeconds * 1000, now, now) as { value: string };
    return Number(row.value);
  }

  /** One statement for the counters (src/store/counter-batch.ts); with `within`, in one transaction with the writes. */
  async incrementAll(counters: readonly CounterIncrement[], within?: ShortLivedWrites): Promise<number[]> {
    const now = this.clock.now();
    if (!within) return this.incrementNow(counters, now);
    this.purge(now);
    return this.incrementTx.immediate(counters, checkedWrites(within, groupCounters(counters)), now) as number[];
  }

  private incrementNow(counters: readonly CounterIncrement[], now: number): number[] {
    if (counters.length === 0) return [];
    const groups = groupCounters(counters);
    const rows = this.sIncrementAll.all(JSON.stringify(groups.map((g) => [g.ns, g.key, g.n, now + g.ttlSeconds * 1000])), now, now) as { ns: string; key: string; value: string }[];
    return countsInOrder(counters, groups, rows);
  }

  /** One transaction (one statement for a single write). */
  async write(writes: ShortLivedWrites & { take?: ShortLivedKey; unless?: CounterLimit }): Promise<{ written: boolean; taken?: unknown; refused?: boolean }> {
    const checked = checkedWrites(writes, writes.take ? [writes.take] : []);
    const unless = checkedLimit(writes.take, writes.unless);
    if (await writeAlone(this, checked, writes.take)) return { written: true };
    const now = this.clock.now();
    this.purge(now);
    const r = this.writeTx.immediate(checked, writes.take, now, unless) as { written: boolean; taken?: string; refused?: boolean };
    if (r.refused) return { written: false, refused: true };
    return r.taken === undefined ? { written: r.written } : { written: r.written, taken: JSON.parse(r.taken) };
  }

  async add(ns: string, key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    const now = this.clock.now();
    return this.sAdd.run(ns, key, JSON.stringify(value), now + ttlSeconds * 1000, now).changes === 1;
  }

  async delete(ns: string, key: string): Promise<void> {
    this.sDel.run(ns, key);
  }
}
