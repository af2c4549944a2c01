import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import { checkedLimit, checkedWrites, groupCounters, writeAlone } from '../counter-batch.js';
import { CommandDeadline } from './command-deadline.js';
import type { CounterIncrement, CounterLimit, EphemeralStore, ShortLivedKey, ShortLivedPut, ShortLivedWrites } from '../ports.js';

/**
 * Before the first successful connection, give up after a few attempts so a wrong REDIS_URL fails
 * start-up instead of hanging; once connected, reconnect forever with capped backoff.
 */
const makeClient = (url: string) => {
  let connectedOnce = false;
  const client = createClient({
    url,
    // No per-command AbortSignal timer: CommandDeadline (./command-deadline.ts) bounds every
    // round trip, MULTI included, with one timer. 0 turns node-redis's own timeout off.
    commandOptions: { timeout: 0 },
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
 * put = SET EX, take = GETDEL, add = SET NX EX, increment = INCR + EXPIRE NX in a MULTI; steps
 * that must write only on a condition (a take that found its key, counters within their max) are
 * Lua scripts. Keys are `<prefix>:<ns>:<key>` (prefix "ap" by default; tests use a random one).
 * Needs Redis >= 7.0 (EXPIRE NX; GETDEL since 6.2) with EVAL/EVALSHA allowed.
 *
 * Unlike the SQL stores, expiry does not follow the injected Clock: Redis decides.
 */
export class RedisEphemeralStore implements EphemeralStore {
  constructor(private readonly client: RedisClient, private readonly prefix: string, private readonly deadline: CommandDeadline) {}

  /** One round trip, bounded by the store's deadline. */
  private rt<T>(command: Promise<T>): Promise<T> {
    return this.deadline.run(command);
  }

  /** SCAN over `match`, each step a bounded round trip. */
  private async *scan(match: string, count: number): AsyncGenerator<string[]> {
    let cursor = '0';
    do {
      const reply = await this.rt(this.client.scan(cursor, { MATCH: match, COUNT: count }));
      cursor = String(reply.cursor);
      yield reply.keys;
    } while (cursor !== '0');
  }

  private k(ns: string, key: string): string {
    return `${this.prefix}:${ns}:${key}`;
  }

  async put(ns: string, key: string, value: unknown, ttlSeconds: number): Promise<void> {
    const k = this.k(ns, key);
    const expiration = expiry(ttlSeconds);
    // A non-positive TTL stores something already expired: the key is simply gone.
    if (!expiration) { await this.rt(this.client.del(k)); return; }
    await this.rt(this.client.set(k, JSON.stringify(value), { expiration }));
  }

  async get<T>(ns: string, key: string): Promise<T | undefined> {
    const v = await this.rt(this.client.get(this.k(ns, key)));
    return v === null ? undefined : (JSON.parse(v) as T);
  }

  async take<T>(ns: string, key: string): Promise<T | undefined> {
    const v = await this.rt(this.client.getDel(this.k(ns, key)));
    return v === null ? undefined : (JSON.parse(v) as T);
  }

  async count(ns: string): Promise<number> {
    // SCAN at scrape time (no per-login bookkeeping); keys expire natively, so what SCAN sees is live.
    let n = 0;
    for await (const keys of this.scan(`${escapeGlob(this.k(ns, ''))}*`, 1000)) n += keys.length;
    return n;
  }

  async increment(ns: string, key: string, ttlSeconds: number): Promise<number> {
    const k = this.k(ns, key);
    // INCR and EXPIRE NX in one transaction: the first increment sets the window, later ones keep it.
    const [n] = await this.rt(this.client.multi().incr(k).expire(k, windowSeconds(ttlSeconds), 'NX').exec());
    return Number(n);
  }

  /**
   * Every counter's INCR and EXPIRE NX in one MULTI: one round trip, applied together. With
   * `within`, one Lua script (atomic too) that also makes the writes when no counter passed its max.
   */
  async incrementAll(counters: readonly CounterIncrement[], within?: ShortLivedWrites): Promise<number[]> {
    if (within) {
      const writes = checkedWrites(within, groupCounters(counters));
      const keys = [...counters.map((c) => this.k(c.ns, c.key)), ...writes.remove.map((r) => this.k(r.ns, r.key)), ...writes.put.map((p) => this.k(p.ns, p.key))];
      const args = [
        String(counters.length), String(writes.remove.length),
        ...counters.flatMap((c) => [String(windowSeconds(c.ttlSeconds)), c.max === undefined ? '' : String(c.max)]),
        ...putArgs(writes.put),
      ];
      const counts = (await this.script(INCREMENT_THEN_WRITE, keys, args)) as number[];
      return counts.map(Number);
    }
    if (counters.length === 0) return [];
    const multi = this.client.multi();
    for (const c of counters) {
      const k = this.k(c.ns, c.key);
      multi.incr(k).expire(k, windowSeconds(c.ttlSeconds), 'NX');
    }
    const replies = await this.rt(multi.exec());
    return counters.map((_, i) => Number(replies[2 * i]));
  }

  /** Without `take`, one MULTI (or the single command); with it, one Lua script: the `unless` counter's check, GETDEL, then the writes only when it found the key. */
  async write(writes: ShortLivedWrites & { take?: ShortLivedKey; unless?: CounterLimit }): Promise<{ written: boolean; taken?: unknown; refused?: boolean }> {
    const { remove, put } = checkedWrites(writes, writes.take ? [writes.take] : []);
    const unless = checkedLimit(writes.take, writes.unless);
    if (writes.take) {
      const keys = [
        this.k(writes.take.ns, writes.take.key), ...(unless ? [this.k(unless.ns, unless.key)] : []),
        ...remove.map((r) => this.k(r.ns, r.key)), ...put.map((p) => this.k(p.ns, p.key)),
      ];
      const v = (await this.script(TAKE_THEN_WRITE, keys, [unless ? String(unless.atLeast) : '', String(remove.length), ...putArgs(put)])) as string | number | null;
      if (typeof v === 'number') return { written: false, refused: true };
      return v === null ? { written: false } : { written: true, taken: JSON.parse(v) };
    }
    if (!(await writeAlone(this, { remove, put }, undefined))) {
      const multi = this.client.multi();
      for (const r of remove) multi.del(this.k(r.ns, r.key));
      for (const p of put) {
        const expiration = expiry(p.ttlSeconds);
        if (expiration) multi.set(this.k(p.ns, p.key), JSON.stringify(p.value), { expiration });
        else multi.del(this.k(p.ns, p.key));
      }
      await this.rt(multi.exec());
    }
    return { written: true };
  }

  /** EVALSHA, and EVAL when the server does not know the script yet (a restart, SCRIPT FLUSH). */
  private async script(s: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.rt(this.client.evalSha(s.sha, { keys, arguments: args }));
    } catch (e) {
      if (!String((e as Error).message).startsWith('NOSCRIPT')) throw e;
      return this.rt(this.client.eval(s.source, { keys, arguments: args }));
    }
  }

  async add(ns: string, key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    const k = this.k(ns, key);
    const expiration = expiry(ttlSeconds);
    if (!expiration) return (await this.rt(this.client.exists(k))) === 0;
    return (await this.rt(this.client.set(k, JSON.stringify(value), { expiration, condition: 'NX' }))) === 'OK';
  }

  async delete(ns: string, key: string): Promise<void> {
    await this.rt(this.client.del(this.k(ns, key)));
  }

  async ping(): Promise<void> {
    await this.rt(this.client.ping());
  }

  async close(): Promise<void> {
    this.deadline.close();
    if (this.client.isOpen) await this.client.close();
  }

  /** Deletes every key under this store's prefix (tests). */
  async clear(): Promise<void> {
    for await (const keys of this.scan(`${escapeGlob(this.prefix)}:*`, 500)) {
      if (keys.length) await this.rt(this.client.del(keys));
    }
  }
}

/** A counter's window in whole seconds (EXPIRE takes seconds; at least one). */
const windowSeconds = (ttlSeconds: number) => Math.max(1, Math.ceil(ttlSeconds));

interface LuaScript { source: string; sha: string }
const lua = (source: string): LuaScript => ({ source, sha: createHash('sha1').update(source).digest('hex') });

/** Per record to store: the JSON value and the lifetime in milliseconds (0: already expired, so deleted). */
const putArgs = (put: readonly ShortLivedPut[]) =>
  put.flatMap((p) => [JSON.stringify(p.value), String(p.ttlSeconds > 0 ? Math.max(1, Math.round(p.ttlSeconds * 1000)) : 0)]);

/** The writes of a script: KEYS from `first` = the keys to delete (ARGV[2] of them), then those to store; ARGV from `arg` = value, ms pairs. */
const LUA_WRITES = `
local function writes(first, arg)
  local nr = tonumber(ARGV[2])
  for i = first, first + nr - 1 do redis.call('DEL', KEYS[i]) end
  for i = first + nr, #KEYS do
    local ms = tonumber(ARGV[arg + 1])
    if ms > 0 then redis.call('SET', KEYS[i], ARGV[arg], 'PX', ms) else redis.call('DEL', KEYS[i]) end
    arg = arg + 2
  end
end
`;

/**
 * KEYS: the key to take, the counter of `unless` when there is one, then the writes' keys. ARGV:
 * the counter's bound ('' without one), the number of deletes, then value, ms pairs. Returns the
 * taken value, nil when there was nothing to take, or 1 when the counter is at its bound (nothing
 * taken or written).
 */
const TAKE_THEN_WRITE = lua(`${LUA_WRITES}
local first = 2
if ARGV[1] ~= '' then
  if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[1]) then return 1 end
  first = 3
end
local v = redis.call('GETDEL', KEYS[1])
if not v then return false end
writes(first, 3)
return v
`);

/**
 * KEYS: the counters (ARGV[1] of them), then the writes' keys. ARGV: the number of counters, the
 * number of deletes, each counter's window (s) and max ('' for none), then value, ms pairs.
 * Returns the counts; the writes are made when no count passed its max.
 */
const INCREMENT_THEN_WRITE = lua(`${LUA_WRITES}
local n = tonumber(ARGV[1])
local counts = {}
local within = true
for i = 1, n do
  local c = redis.call('INCR', KEYS[i])
  redis.call('EXPIRE', KEYS[i], ARGV[1 + 2 * i], 'NX')
  counts[i] = c
  local max = ARGV[2 + 2 * i]
  if max ~= '' and c > tonumber(max) then within = false end
end
if within then writes(n + 1, 3 + 2 * n) end
return counts
`);

/** EX for whole seconds, PX (milliseconds) for fractional TTLs; undefined when already expired. */
function expiry(ttlSeconds: number): { type: 'EX' | 'PX'; value: number } | undefined {
  if (!(ttlSeconds > 0)) return undefined;
  if (Number.isInteger(ttlSeconds)) return { type: 'EX', value: ttlSeconds };
  return { type: 'PX', value: Math.max(1, Math.round(ttlSeconds * 1000)) };
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** How long one round trip to Redis may take before the request that made it fails (node-redis's old default). */
export const REDIS_COMMAND_TIMEOUT_MS = 5000;

/** Connects to Redis (e.g. `redis://127.0.0.1:6379`) and returns the store. */
export async function createRedisEphemeralStore(url: string, opts: { prefix?: string; commandTimeoutMs?: number } = {}): Promise<RedisEphemeralStore> {
  const client = makeClient(url);
  // Connection errors are reported here while the client reconnects; ping() surfaces them to readiness.
  client.on('error', () => {});
  await client.connect();
  return new RedisEphemeralStore(client, opts.prefix ?? 'ap', new CommandDeadline(opts.commandTimeoutMs ?? REDIS_COMMAND_TIMEOUT_MS));
}
