import { ManualClock } from '../../src/core/clock.js';
import { MemoryEphemeralStore } from '../../src/store/memory/memory-ephemeral-store.js';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store.js';
import { createSqliteStores } from '../../src/store/sqlite/sqlite-store.js';
import { runStoreConformance } from './store-conformance.js';

// The in-memory scope store (used when a Stores object brings none) must behave like the durable ones.
runStoreConformance('memory scopes + SQLite', async () => {
  const clock = new ManualClock(1_700_000_000_000);
  const sqlite = createSqliteStores(':memory:', clock);
  const memory = new MemoryEphemeralStore(clock);
  return {
    stores: { ...sqlite, ephemeral: memory, scopes: new MemoryScopeStore(), async close() { memory.close(); await sqlite.close(); } },
    clock,
    async cleanup() { memory.close(); await sqlite.close(); },
  };
});
