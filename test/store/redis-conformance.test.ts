import { randomBytes } from 'node:crypto';
import { describe } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { Stores } from '../../src/store/ports.js';
import { createRedisEphemeralStore } from '../../src/store/redis/redis-ephemeral-store.js';
import { createSqliteStores } from '../../src/store/sqlite/sqlite-store.js';
import { runStoreConformance } from './store-conformance.js';

const url = process.env.REDIS_URL;

describe.skipIf(!url)('Redis', () => {
  // Redis for ephemeral state, SQLite for durable state (the REDIS_URL-only deployment).
  runStoreConformance('Redis ephemeral + SQLite durable', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const prefix = `ap_test_${randomBytes(8).toString('hex')}`;
    const redis = await createRedisEphemeralStore(url!, { prefix });
    const durable = createSqliteStores(':memory:', clock);
    const stores: Stores = {
      ephemeral: redis,
      keys: durable.keys,
      clients: durable.clients,
      grants: durable.grants,
      audit: durable.audit,
      employerRules: durable.employerRules,
      scopes: durable.scopes,
      async ping() { await Promise.all([durable.ping(), redis.ping()]); },
      async close() { await Promise.all([durable.close(), redis.close()]); },
    };
    return {
      stores,
      clock,
      realTimeExpiry: true,
      async cleanup() {
        await redis.clear();
        await stores.close();
      },
    };
  });
});
