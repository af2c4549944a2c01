/**
 * The Redis store's deadline over a real connection: a TCP relay between the store and Redis
 * holds Redis's answers back to play a Redis that stops answering, then lets them through.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTimeoutError } from '../../src/store/redis/command-deadline.js';
import { createRedisEphemeralStore, type RedisEphemeralStore } from '../../src/store/redis/redis-ephemeral-store.js';
import { StallingRelay } from './stalling-relay.js';

const url = process.env.REDIS_URL;

describe.skipIf(!url)('Redis store: every round trip has a deadline', () => {
  const relay = new StallingRelay();
  let store: RedisEphemeralStore;

  beforeAll(async () => {
    const target = new URL(url!);
    const port = await relay.start(target.hostname, Number(target.port || 6379));
    store = await createRedisEphemeralStore(`redis://127.0.0.1:${port}`, { prefix: `ap_test_${randomBytes(8).toString('hex')}`, commandTimeoutMs: 200 });
  });
  afterAll(async () => {
    relay.resume();
    await store?.clear();
    await store?.close();
    await relay.close();
  });

  it('fails a command, a MULTI and a script when Redis stops answering, then carries on in step once it answers again', async () => {
    await store.put('flow', 'a', { n: 1 }, 60);
    expect(await store.get('flow', 'a')).toEqual({ n: 1 });

    relay.stall();
    const started = performance.now();
    await expect(store.get('flow', 'a')).rejects.toBeInstanceOf(RedisTimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    // INCR + EXPIRE in a MULTI (node-redis's own timeout never covered a MULTI).
    await expect(store.increment('rl-authorize', 'x', 60)).rejects.toBeInstanceOf(RedisTimeoutError);
    // GETDEL and the writes in one Lua script.
    await expect(store.write({ take: { ns: 'flow', key: 'a' }, put: [{ ns: 'flow', key: 'b', value: { n: 2 }, ttlSeconds: 60 }] })).rejects.toBeInstanceOf(RedisTimeoutError);
    await expect(store.ping()).rejects.toThrow('Redis did not answer within 200 ms');

    relay.resume();
    // The late answers are read and dropped: each later command gets its own answer.
    expect(await store.get('flow', 'b')).toEqual({ n: 2 }); // the script did run, late
    expect(await store.get('flow', 'a')).toBeUndefined(); // and took 'a'
    expect(await store.increment('rl-authorize', 'x', 60)).toBe(2); // the MULTI ran too
    await store.put('flow', 'c', { n: 3 }, 60);
    expect(await store.get('flow', 'c')).toEqual({ n: 3 });
  });
});
