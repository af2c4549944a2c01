import type { Clock } from '../../core/clock.js';
import type { CounterIncrement, EphemeralStore } from '../ports.js';

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

  constructor(private readonly clock: Clock, sweepMs = 60_000) {
    this.timer = setInterval(() => this.sweep(), sweepMs);
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
    const k = `${ns}\n${key}`;
    const e = this.live(k);
    if (!e) return undefined;
    this.map.delete(k);
    return JSON.parse(e.value) as T;
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

  /** One synchronous loop: nothing runs between the increments. */
  async incrementAll(counters: readonly CounterIncrement[]): Promise<number[]> {
    return counters.map((c) => this.incrementNow(c.ns, c.key, c.ttlSeconds));
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

  close(): void {
    clearInterval(this.timer);
  }
}
