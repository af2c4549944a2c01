import { afterAll, describe } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createPostgresStores } from '../../src/store/postgres/postgres-store.js';
import { dropSchema, randomSchema } from './pg-test-helpers.js';
import { runStoreConformance } from './store-conformance.js';

const url = process.env.DATABASE_URL;

describe.skipIf(!url)('PostgreSQL', () => {
  // One fresh schema for this run (dropped at the end); emptied after every test.
  const schema = randomSchema();
  afterAll(async () => {
    await dropSchema(url!, schema);
  });

  runStoreConformance('PostgreSQL', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const stores = await createPostgresStores(url!, clock, { schema });
    return {
      stores,
      clock,
      async cleanup() {
        try {
          for (const table of ['ephemeral', 'signing_keys', 'secrets', 'clients', 'grants', 'refresh_tokens', 'access_tokens', 'audit_log', 'employer_rules']) {
            await stores.pool.query(`DELETE FROM ${table}`);
          }
        } finally {
          await stores.close();
        }
      },
    };
  });
});
