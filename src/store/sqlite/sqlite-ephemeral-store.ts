/** Short-lived state (sessions, codes, replay caches) in the SQLite table `ephemeral`, expiry against the injected Clock. */
import type Database from 'better-sqlite3';
import type { Clock } from '../../core/clock.js';
import { countsInOrder, groupCounters } from '../counter-batch.js';
import type { CounterIncrement, EphemeralStore } from '../ports.js';

export class SqliteEphemeralStore implements EphemeralStore {
  private readonly sGet; private readonly sPut; private readonly sDel; private readonly sAdd; private readonly sPurge;
  private readonly sIncrementAll;
  private readonly takeTx;
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
    this.takeTx = db.transaction((ns: string, key: string, now: number) => {
      const row = this.sGet.get(ns, key) as { value: string; expires_at: number } | undefined;
      if (!row) return undefined;
      this.sDel.run(ns, key);
      return row.expires_at > now ? row.value : undefined;
    });
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
    const v = this.takeTx.immediate(ns, key, this.clock.now()) as string | undefined;
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

  /** One statement for the whole batch (src/store/counter-batch.ts). */
  async incrementAll(counters: readonly CounterIncrement[]): Promise<number[]> {
    if (counters.length === 0) return [];
    const now = this.clock.now();
    const groups = groupCounters(counters);
    const rows = this.sIncrementAll.all(JSON.stringify(groups.map((g) => [g.ns, g.key, g.n, now + g.ttlSeconds * 1000])), now, now) as { ns: string; key: string; value: string }[];
    return countsInOrder(counters, groups, rows);
  }

  async add(ns: string, key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    const now = this.clock.now();
    return this.sAdd.run(ns, key, JSON.stringify(value), now + ttlSeconds * 1000, now).changes === 1;
  }

  async delete(ns: string, key: string): Promise<void> {
    this.sDel.run(ns, key);
  }
}
