import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { MemoryEphemeralStore } from '../../src/store/memory/memory-ephemeral-store.js';

describe('the memory store sweeps expired entries in slices (src/store/memory/memory-ephemeral-store.ts)', () => {
  it('removes every expired entry, keeps the live ones, and yields to the event loop between slices', async () => {
    const clock = new ManualClock(1_000_000);
    const store = new MemoryEphemeralStore(clock, 60_000, 1000);
    try {
      for (let i = 0; i < 4500; i++) await store.put('session', `old-${i}`, { i }, 10);
      for (let i = 0; i < 500; i++) await store.put('session', `new-${i}`, { i }, 3600);
      clock.advance(60_000);
      // count() looks at expiry itself; the map still holds everything until the sweep.
      expect(await store.count('session')).toBe(500);

      const map = (store as unknown as { map: Map<string, unknown> }).map;
      const first = store.sweepInSlices();
      // Only the first slice ran before the sweep gave the event loop back.
      expect(map.size).toBe(5000 - 1000);
      // A second call joins the sweep in progress instead of starting another.
      expect(store.sweepInSlices()).toBe(first);
      await first;

      // Expired entries are gone from the map (reading them would also hide them, so look inside).
      expect(map.size).toBe(500);
      expect(await store.get('session', 'new-7')).toEqual({ i: 7 });
      expect(await store.get('session', 'old-7')).toBeUndefined();
    } finally {
      store.close();
    }
  });
});
