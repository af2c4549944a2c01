/**
 * The stores' shared half of EphemeralStore.incrementAll and write (src/store/ports.ts): the
 * SQL stores upsert each distinct counter once, by the number of times it is named, and give every
 * named counter its value as if it had been incremented on its own, in the order given.
 */
import type { CounterIncrement, CounterLimit, ShortLivedKey, ShortLivedPut, ShortLivedWrites } from './ports.js';

/**
 * A distinct counter of a batch: `n` = how many times the batch names it; its window is the first
 * one's; `max` = the highest final value with which every naming is within its own max.
 */
export interface CounterGroup {
  ns: string;
  key: string;
  n: number;
  ttlSeconds: number;
  max?: number;
}

type Keyed = { ns: string; key: string };
const id = (ns: string, key: string) => `${ns}\n${key}`;
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Orders by namespace, then key: concurrent batches lock their rows in the same order and cannot deadlock each other. */
export const byKey = (a: Keyed, b: Keyed) => (a.ns === b.ns ? compare(a.key, b.key) : compare(a.ns, b.ns));

/** The distinct counters, ordered by namespace, then key (see {@link byKey}). */
export function groupCounters(counters: readonly CounterIncrement[]): CounterGroup[] {
  const groups = new Map<string, CounterGroup>();
  const maxes = new Map<string, (number | undefined)[]>();
  for (const c of counters) {
    const k = id(c.ns, c.key);
    const g = groups.get(k);
    if (g) g.n++;
    else groups.set(k, { ns: c.ns, key: c.key, n: 1, ttlSeconds: c.ttlSeconds });
    maxes.set(k, [...(maxes.get(k) ?? []), c.max]);
  }
  for (const [k, g] of groups) {
    // The j-th naming (from 0) gets final - n + 1 + j, within its max when final <= max + n - 1 - j.
    const limits = maxes.get(k)!.flatMap((m, j) => (m === undefined ? [] : [m + g.n - 1 - j]));
    if (limits.length > 0) g.max = Math.min(...limits);
  }
  return [...groups.values()].sort(byKey);
}

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

/** Whether every count is within its counter's max (a counter without one always is). */
export const allWithin = (counters: readonly CounterIncrement[], counts: readonly number[]) =>
  counters.every((c, i) => c.max === undefined || counts[i]! <= c.max);

/** The writes of one step, checked: every key named (the taken one and the counters' too) differs. */
export function checkedWrites(writes: ShortLivedWrites, also: readonly Keyed[] = []): { remove: ShortLivedKey[]; put: ShortLivedPut[] } {
  const remove = [...(writes.remove ?? [])].sort(byKey);
  const put = [...(writes.put ?? [])].sort(byKey);
  const seen = new Set<string>();
  for (const k of [...also, ...remove, ...put]) {
    if (seen.has(id(k.ns, k.key))) throw new Error(`a step of the short-lived store names ${k.ns}/${k.key} twice`);
    seen.add(id(k.ns, k.key));
  }
  return { remove, put };
}

/**
 * A step of at most one delete or one put and no take is a single statement already: done through
 * the store's own delete/put. Returns false when the step needs the store's one-round-trip path.
 */
export async function writeAlone(
  store: { delete(ns: string, key: string): Promise<void>; put(ns: string, key: string, value: unknown, ttlSeconds: number): Promise<void> },
  checked: { remove: ShortLivedKey[]; put: ShortLivedPut[] },
  take: ShortLivedKey | undefined,
): Promise<boolean> {
  if (take || checked.remove.length + checked.put.length > 1) return false;
  const [r] = checked.remove;
  const [p] = checked.put;
  if (r) await store.delete(r.ns, r.key);
  if (p) await store.put(p.ns, p.key, p.value, p.ttlSeconds);
  return true;
}

/** A write's `unless` needs its `take` (src/store/ports.ts EphemeralStore.write). */
export function checkedLimit(take: ShortLivedKey | undefined, unless: CounterLimit | undefined): CounterLimit | undefined {
  if (unless && !take) throw new Error('a write with unless must take a record');
  return unless;
}
