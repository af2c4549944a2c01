import { ManualClock } from '../../src/core/clock.js';
import { MemoryEphemeralStore } from '../../src/store/memory/memory-ephemeral-store.js';
import { createSqliteStores } from '../../src/store/sqlite/sqlite-store.js';
import { runStoreConformance } from './store-conformance.js';

// The embedded default: short-lived state in memory, durable state in SQLite.
runStoreConformance('memory + SQLite', async () => {
  const clock = new ManualClock(1_700_000_000_000);
  const sqlite = createSqliteStores(':memory:', clock);
  const memory = new MemoryEphemeralStore(clock);
  return {
    stores: { ...sqlite, ephemeral: memory, async close() { memory.close(); await sqlite.close(); } },
    clock,
    async cleanup() { memory.close(); await sqlite.close(); },
  };
});
