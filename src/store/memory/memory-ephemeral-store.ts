import type { Clock } from '../../core/clock.js';
import { allWithin, checkedLimit, checkedWrites, groupCounters } from '../counter-batch.js';
import type { CounterIncrement, CounterLimit, EphemeralStore, ShortLivedKey, ShortLivedWrites } from '../ports.js';

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * Short-lived state in this process's memory, for the embedded single-process mode (the role Redis
 * plays when several instances run). Values are stored serialised, so callers never share objects
 * with the store. Operations are atomic because they run synchronously on one thread.
 * A restart ends logins in progress and browser sessions; durable state (clients, keys, grants)
 * stays in SQLite.
 */
export class MemoryEphemeralStore implements EphemeralStore {
  private readonly map = new Map<string, Entry>();
  private readonly timer: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private slice?: NodeJS.Immediate;

  /**
   * @param sweepMs how often expired entries are removed (they are never returned in between)
   * @param sliceSize entries looked at per turn of the event loop while sweeping: with hundreds of
   *   thousands of sessions a sweep in one go would hold up every request for tens of milliseconds
   */
  constructor(private readonly clock: Clock, sweepMs = 60_000, private readonly sliceSize = 5000) {
    this.timer = setInterval(() => { void this.sweepInSlices(); }, sweepMs);
    this.timer.unref();
  }

  private live(k: string): Entry | undefined {
    const e = this.map.get(k);
    if (!e) return undefined;
    if (e.expiresAt <= this.clock.now()) {
      this.map.delete(k);
      return undefined;
    }
    return e;
  }

  async put(ns: string, key: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.map.set(`${ns}\n${key}`, { value: JSON.stringify(value), expiresAt: this.clock.now() + ttlSeconds * 1000 });
  }

  async get<T>(ns: string, key: string): Promise<T | undefined> {
    const e = this.live(`${ns}\n${key}`);
    return e ? (JSON.parse(e.value) as T) : undefined;
  }

  async take<T>(ns: string, key: string): Promise<T | undefined> {
    return this.takeNow(ns, key) as T | undefined;
  }

  private takeNow(ns: string, key: string): unknown {
    const k = `${ns}\n${key}`;
    const e = this.live(k);
    if (!e) return undefined;
    this.map.delete(k);
    return JSON.parse(e.value);
  }

  async add(ns: string, key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    const k = `${ns}\n${key}`;
    if (this.live(k)) return false;
    this.map.set(k, { value: JSON.stringify(value), expiresAt: this.clock.now() + ttlSeconds * 1000 });
    return true;
  }

  async increment(ns: string, key: string, ttlSeconds: number): Promise<number> {
    return this.incrementNow(ns, key, ttlSeconds);
  }

  /** Synchronous: nothing runs between the increments and the writes. */
  async incrementAll(counters: readonly CounterIncrement[], within?: ShortLivedWrites): Promise<number[]> {
    const writes = within && checkedWrites(within, groupCounters(counters));
    const counts = counters.map((c) => this.incrementNow(c.ns, c.key, c.ttlSeconds));
    if (writes && allWithin(counters, counts)) this.apply(writes);
    return counts;
  }

  async write(writes: ShortLivedWrites & { take?: ShortLivedKey; unless?: CounterLimit }): Promise<{ written: boolean; taken?: unknown; refused?: boolean }> {
    const checked = checkedWrites(writes, writes.take ? [writes.take] : []);
    const unless = checkedLimit(writes.take, writes.unless);
    if (!writes.take) {
      this.apply(checked);
      return { written: true };
    }
    if (unless) {
      const c = this.live(`${unless.ns}\n${unless.key}`);
      if (c && Number(c.value) >= unless.atLeast) return { written: false, refused: true };
    }
    const taken = this.takeNow(writes.take.ns, writes.take.key);
    if (taken === undefined) return { written: false };
    this.apply(checked);
    return { written: true, taken };
  }

  private apply(writes: ShortLivedWrites): void {
    const now = this.clock.now();
    for (const r of writes.remove ?? []) this.map.delete(`${r.ns}\n${r.key}`);
    for (const p of writes.put ?? []) this.map.set(`${p.ns}\n${p.key}`, { value: JSON.stringify(p.value), expiresAt: now + p.ttlSeconds * 1000 });
  }

  private incrementNow(ns: string, key: string, ttlSeconds: number): number {
    const k = `${ns}\n${key}`;
    const e = this.live(k);
    const n = e ? Number(JSON.parse(e.value)) + 1 : 1;
    this.map.set(k, { value: JSON.stringify(n), expiresAt: e ? e.expiresAt : this.clock.now() + ttlSeconds * 1000 });
    return n;
  }

  async delete(ns: string, key: string): Promise<void> {
    this.map.delete(`${ns}\n${key}`);
  }

  /** Live entries of one namespace (the active-sessions gauge). */
  async count(ns: string): Promise<number> {
    const now = this.clock.now();
    let n = 0;
    for (const [k, e] of this.map) if (e.expiresAt > now && k.startsWith(`${ns}\n`)) n++;
    return n;
  }

  sweep(): void {
    const now = this.clock.now();
    for (const [k, e] of this.map) if (e.expiresAt <= now) this.map.delete(k);
  }

  /**
   * Removes expired entries `sliceSize` at a time, yielding to the event loop between slices
   * (deleting the current entry while iterating a Map is safe; entries added meanwhile may or may
   * not be visited, and are not expired anyway). One sweep at a time.
   */
  sweepInSlices(): Promise<void> {
    this.sweeping ??= new Promise<void>((resolve) => {
      const entries = this.map.entries();
      const step = () => {
        const now = this.clock.now();
        for (let i = 0; i < this.sliceSize; i++) {
          const next = entries.next();
          if (next.done) {
            this.sweeping = undefined;
            this.slice = undefined;
            resolve();
            return;
          }
          if (next.value[1].expiresAt <= now) this.map.delete(next.value[0]);
        }
        this.slice = setImmediate(step);
      };
      step();
    });
    return this.sweeping;
  }

  close(): void {
    clearInterval(this.timer);
    if (this.slice) clearImmediate(this.slice);
  }
}
