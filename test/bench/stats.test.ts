import { describe, expect, it } from 'vitest';
import { percentile } from '../../bench/lib/stats.js';

describe('bench/lib/stats.ts percentile', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100

  it('takes the nearest rank below, as the benchmarks report p50 and p99', () => {
    expect(percentile(xs, 50)).toBe(51);
    expect(percentile(xs, 99)).toBe(100);
    expect(percentile([3, 7], 50)).toBe(7);
    expect(percentile([3, 7], 0)).toBe(3);
  });

  it('stays within the list at 100 and is NaN for no values', () => {
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([], 50)).toBeNaN();
  });
});
