import { createClient } from 'redis';
import type { CounterIncrement, EphemeralStore } from '../ports.js';

/**
 * Before the first successful connection, give up after a few attempts so a wrong REDIS_URL fails
 * start-up instead of hanging; once connected, reconnect forever with capped backoff.
 */
const makeClient = (url: string) => {
  let connectedOnce = false;
  const client = createClient({
    url,
    socket: {
      connectTimeout: 5000,
      reconnectStrategy: (retries: number, cause: Error) => {
        if (!connectedOnce && retries >= 3) return cause;
        return Math.min(100 * 2 ** retries, 3000);
      },
    },
  });
  client.on('ready', () => { connectedOnce = true; });
  return client;
};
type RedisClient = ReturnType<typeof makeClient>;

/**
 * The EphemeralStore on Redis, with Redis's own (real-time) expiry:
 * put = SET EX, take = GETDEL, add = SET NX EX. Keys are `<prefix>:<ns>:<key>` (prefix "ap"
 * by default; tests use a random one). Needs Redis >= 6.2 (GETDEL).
 *
 * Unlike the SQL stores, expiry does not follow the injected Clock: Redis decides.
 */
export class RedisEphemeralStore implements EphemeralStore {
  constructor(private readonly client: RedisClient, private readonly prefix: string) {}

  private k(ns: string, key: string): string {
    return `${this.prefix}:${ns}:${key}`;
  }

  async put(ns: string, key: string, value: unknown, ttlSeconds: number): Promise<void> {
    const k = this.k(ns, key);
    const expiration = expiry(ttlSeconds);
    // A non-positive TTL stores something already expired: the key is simply gone.
    if (!expiration) { await this.client.del(k); return; }
    await this.client.set(k, JSON.stringify(value), { expiration });
  }

  async get<T>(ns: string, key: string): Promise<T | undefined> {
    const v = await this.client.get(this.k(ns, key));
    return v === null ? undefined : (JSON.parse(v) as T);
  }

  async take<T>(ns: string, key: string): Promise<T | undefined> {
    const v = await this.client.getDel(this.k(ns, key));
    return v === null ? undefined : (JSON.parse(v) as T);
  }

  async count(ns: string): Promise<number> {
    // SCAN at scrape time (no per-login bookkeeping); keys expire natively, so what SCAN sees is live.
    let n = 0;
    for await (const keys of this.client.scanIterator({ MATCH: `${escapeGlob(this.k(ns, ''))}*`, COUNT: 1000 })) n += keys.length;
    return n;
  }

  async increment(ns: string, key: string, ttlSeconds: number): Promise<number> {
    const k = this.k(ns, key);
    // INCR and EXPIRE NX in one transaction: the first increment sets the window, later ones keep it.
    const [n] = await this.client.multi().incr(k).expire(k, Math.max(1, Math.ceil(ttlSeconds)), 'NX').exec();
    return Number(n);
  }

  /** Every counter's INCR and EXPIRE NX in one MULTI: one round trip, applied together. */
  async incrementAll(counters: readonly CounterIncrement[]): Promise<number[]> {
    if (counters.length === 0) return [];
    const multi = this.client.multi();
    for (const c of counters) {
      const k = this.k(c.ns, c.key);
      multi.incr(k).expire(k, Math.max(1, Math.ceil(c.ttlSeconds)), 'NX');
    }
    const replies = await multi.exec();
    return counters.map((_, i) => Number(replies[2 * i]));
  }

  async add(ns: string, key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    const k = this.k(ns, key);
    const expiration = expiry(ttlSeconds);
    if (!expiration) return (await this.client.exists(k)) === 0;
    return (await this.client.set(k, JSON.stringify(value), { expiration, condition: 'NX' })) === 'OK';
  }

  async delete(ns: string, key: string): Promise<void> {
    await this.client.del(this.k(ns, key));
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.close();
  }

  /** Deletes every key under this store's prefix (tests). */
  async clear(): Promise<void> {
    for await (const keys of this.client.scanIterator({ MATCH: `${escapeGlob(this.prefix)}:*`, COUNT: 500 })) {
      if (keys.length) await this.client.del(keys);
    }
  }
}

/** EX for whole seconds, PX (milliseconds) for fractional TTLs; undefined when already expired. */
function expiry(ttlSeconds: number): { type: 'EX' | 'PX'; value: number } | undefined {
  if (!(ttlSeconds > 0)) return undefined;
  if (Number.isInteger(ttlSeconds)) return { type: 'EX', value: ttlSeconds };
  return { type: 'PX', value: Math.max(1, Math.round(ttlSeconds * 1000)) };
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** Connects to Redis (e.g. `redis://127.0.0.1:6379`) and returns the store. */
export async function createRedisEphemeralStore(url: string, opts: { prefix?: string } = {}): Promise<RedisEphemeralStore> {
  const client = makeClient(url);
  // Connection errors are reported here while the client reconnects; ping() surfaces them to readiness.
  client.on('error', () => {});
  await client.connect();
  return new RedisEphemeralStore(client, opts.prefix ?? 'ap');
}
