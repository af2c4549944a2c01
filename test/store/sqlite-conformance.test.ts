import { ManualClock } from '../../src/core/clock.js';
import { createSqliteStores } from '../../src/store/sqlite/sqlite-store.js';
import { runStoreConformance } from './store-conformance.js';

runStoreConformance('SQLite', async () => {
  const clock = new ManualClock(1_700_000_000_000);
  const stores = createSqliteStores(':memory:', clock);
  return { stores, clock, cleanup: () => stores.close() };
});
