/**
 * The SQL stores' half of EphemeralStore.incrementAll (src/store/ports.ts): one upsert of each
 * distinct counter by the number of times it is named, then every named counter's value as if it
 * had been incremented on its own, in the order given.
 */
import type { CounterIncrement } from './ports.js';

/** A distinct counter of a batch: `n` = how many times the batch names it; its window is the first one's. */
export interface CounterGroup {
  ns: string;
  key: string;
  n: number;
  ttlSeconds: number;
}

const id = (ns: string, key: string) => `${ns}\n${key}`;

/**
 * The distinct counters, ordered by namespace, then key: concurrent batches then lock their rows
 * in the same order and cannot deadlock each other.
 */
export function groupCounters(counters: readonly CounterIncrement[]): CounterGroup[] {
  const groups = new Map<string, CounterGroup>();
  for (const c of counters) {
    const g = groups.get(id(c.ns, c.key));
    if (g) g.n++;
    else groups.set(id(c.ns, c.key), { ns: c.ns, key: c.key, n: 1, ttlSeconds: c.ttlSeconds });
  }
  return [...groups.values()].sort((a, b) => (a.ns === b.ns ? compare(a.key, b.key) : compare(a.ns, b.ns)));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The new value of every named counter, in the given order, from the distinct counters' values
 * after the upsert (rows of ns, key, value): a counter named n times ends at v and was v-n+1, …, v.
 */
export function countsInOrder(counters: readonly CounterIncrement[], groups: readonly CounterGroup[], rows: readonly { ns: string; key: string; value: string | number }[]): number[] {
  const after = new Map(rows.map((r) => [id(r.ns, r.key), Number(r.value)] as const));
  const next = new Map<string, number>();
  for (const g of groups) {
    const v = after.get(id(g.ns, g.key));
    if (v === undefined) throw new Error(`counter ${g.ns}/${g.key} missing from the store's answer`);
    next.set(id(g.ns, g.key), v - g.n + 1);
  }
  return counters.map((c) => {
    const k = id(c.ns, c.key);
    const v = next.get(k)!;
    next.set(k, v + 1);
    return v;
  });
}
