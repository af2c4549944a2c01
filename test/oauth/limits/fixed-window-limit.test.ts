import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { consume, consumeAll, type FixedWindowLimit } from '../../../src/oauth/limits/fixed-window-limit.js';
import { MemoryEphemeralStore } from '../../../src/store/memory/memory-ephemeral-store.js';
import type { EphemeralStore } from '../../../src/store/ports.js';

/** A memory store that records which of its counting operations were called. */
function countingStore() {
  const clock = new ManualClock(1_700_000_000_000);
  const inner = new MemoryEphemeralStore(clock);
  const calls: string[] = [];
  const store: EphemeralStore = Object.assign(Object.create(inner) as EphemeralStore, {
    increment: (...a: Parameters<EphemeralStore['increment']>) => { calls.push('increment'); return inner.increment(...a); },
    incrementAll: (...a: Parameters<EphemeralStore['incrementAll']>) => { calls.push(`incrementAll(${a[0].length})`); return inner.incrementAll(...a); },
  });
  return { store, inner, calls, clock };
}

describe('fixed-window limits', () => {
  it('consumeAll counts every limit of one store in one incrementAll', async () => {
    const { store, calls } = countingStore();
    const a: FixedWindowLimit = { store, ns: 'rl-flows-browser', max: 5, windowSeconds: 60 };
    const b: FixedWindowLimit = { store, ns: 'rl-flows-address', max: 5, windowSeconds: 60 };
    const c: FixedWindowLimit = { store, ns: 'rl-flows-total', max: 5, windowSeconds: 60 };
    expect(await consumeAll([{ limit: a, key: 'x' }, { limit: b, key: 'y' }, { limit: c, key: 'all' }])).toEqual({ ok: true });
    expect(calls).toEqual(['incrementAll(3)']);
  });

  it('consumeAll answers with the first refusal in the given order, and counts the event in every limit', async () => {
    const { store } = countingStore();
    const first: FixedWindowLimit = { store, ns: 'rl-flows-browser', max: 1, windowSeconds: 30 };
    const second: FixedWindowLimit = { store, ns: 'rl-flows-address', max: 1, windowSeconds: 90 };
    const open: FixedWindowLimit = { store, ns: 'rl-flows-total', max: 100, windowSeconds: 60 };
    const all = [{ limit: open, key: 'all' }, { limit: second, key: 'a' }, { limit: first, key: 'b' }];
    expect(await consumeAll(all)).toEqual({ ok: true });
    expect(await consumeAll(all)).toEqual({ ok: false, retryAfterSeconds: 90 });
    expect(await consumeAll([all[0]!, all[2]!, all[1]!])).toEqual({ ok: false, retryAfterSeconds: 30 });
    expect(await store.get('rl-flows-total', 'all')).toBe(3);
    expect(await store.get('rl-flows-address', 'a')).toBe(3);
    expect(await store.get('rl-flows-browser', 'b')).toBe(3);
  });

  it('consumeAll counts the limits of different stores each in their own store', async () => {
    const one = countingStore();
    const two = countingStore();
    const a: FixedWindowLimit = { store: one.store, ns: 'rl-admin-login-address', max: 1, windowSeconds: 60 };
    const b: FixedWindowLimit = { store: two.store, ns: 'rl-admin-login-total', max: 1, windowSeconds: 120 };
    expect(await consumeAll([{ limit: a, key: 'x' }, { limit: b, key: 'all' }])).toEqual({ ok: true });
    expect(await consumeAll([{ limit: a, key: 'y' }, { limit: b, key: 'all' }])).toEqual({ ok: false, retryAfterSeconds: 120 });
    expect([one.calls, two.calls]).toEqual([['incrementAll(1)', 'incrementAll(1)'], ['incrementAll(1)', 'incrementAll(1)']]);
    expect(await one.inner.get('rl-admin-login-total', 'all')).toBeUndefined();
    expect(await two.inner.get('rl-admin-login-total', 'all')).toBe(2);
  });

  it('consume and consumeAll cut keys to 200 characters, so both count the same counter', async () => {
    const { store } = countingStore();
    const limit: FixedWindowLimit = { store, ns: 'rl-authorize', max: 2, windowSeconds: 60 };
    const long = 'k'.repeat(300);
    expect(await consume(limit, long)).toEqual({ ok: true });
    expect(await consumeAll([{ limit, key: `${long}x` }])).toEqual({ ok: true });
    expect(await consume(limit, long)).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect(await store.get('rl-authorize', 'k'.repeat(200))).toBe(3);
  });
});

describe('fixed-window limits with a write', () => {
  const flow = { put: [{ ns: 'flow' as const, key: 'f', value: { id: 'f' }, ttlSeconds: 60 }] };

  it('consumeAll writes in the same incrementAll when every limit is on the store, and only while none refuses', async () => {
    const { store, calls } = countingStore();
    const writes: string[] = [];
    const write = store.write.bind(store);
    store.write = (w) => { writes.push('write'); return write(w); };
    const a: FixedWindowLimit = { store, ns: 'rl-flows-browser', max: 1, windowSeconds: 60 };
    const b: FixedWindowLimit = { store, ns: 'rl-flows-total', max: 5, windowSeconds: 60 };
    expect(await consumeAll([{ limit: a, key: 'x' }, { limit: b, key: 'all' }], { store, writes: flow })).toEqual({ ok: true });
    expect(await store.get('flow', 'f')).toEqual({ id: 'f' });
    await store.delete('flow', 'f');
    expect(await consumeAll([{ limit: a, key: 'x' }, { limit: b, key: 'all' }], { store, writes: flow })).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect(await store.get('flow', 'f')).toBeUndefined();
    expect(await store.get('rl-flows-total', 'all')).toBe(2);
    expect(calls).toEqual(['incrementAll(2)', 'incrementAll(2)']);
    expect(writes).toEqual([]);
  });

  it('consumeAll with limits elsewhere writes after the counting, only when none refuses; without limits it just writes', async () => {
    const one = countingStore();
    const two = countingStore();
    const a: FixedWindowLimit = { store: one.store, ns: 'rl-flows-browser', max: 1, windowSeconds: 60 };
    expect(await consumeAll([{ limit: a, key: 'x' }], { store: two.store, writes: flow })).toEqual({ ok: true });
    expect(await two.store.get('flow', 'f')).toEqual({ id: 'f' });
    await two.store.delete('flow', 'f');
    expect(await consumeAll([{ limit: a, key: 'x' }], { store: two.store, writes: flow })).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect(await two.store.get('flow', 'f')).toBeUndefined();
    expect(await consumeAll([], { store: two.store, writes: flow })).toEqual({ ok: true });
    expect(await two.store.get('flow', 'f')).toEqual({ id: 'f' });
    expect(two.calls).toEqual([]);
  });
});
