import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createPostgresStores } from '../../src/store/postgres/postgres-store.js';
import { dropSchema, randomSchema } from './pg-test-helpers.js';
import { loose } from './loose-ephemeral.js';
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

  it('the short-lived steps that store (write, incrementAll with writes) delete expired rows, at most once a minute', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const stores = await createPostgresStores(url!, clock, { schema });
    const rows = async (ns: string) => Number((await stores.pool.query('SELECT count(*) AS n FROM ephemeral WHERE ns = $1', [ns])).rows[0].n);
    try {
      const e = loose(stores.ephemeral);
      await e.put('purge-old', 'a', 1, 1); // the first put purges and starts the minute
      clock.advance(61_000);
      await e.write({ take: { ns: 'purge-missing', key: 'k' }, put: [{ ns: 'purge-x', key: '1', value: 1, ttlSeconds: 1 }] });
      expect(await rows('purge-old')).toBe(0);
      await e.put('purge-old', 'b', 1, 1);
      clock.advance(61_000);
      await e.incrementAll([{ ns: 'purge-rl', key: 'k', ttlSeconds: 60 }], { put: [{ ns: 'purge-x', key: '2', value: 2, ttlSeconds: 60 }] });
      expect(await rows('purge-old')).toBe(0);
      await e.put('purge-old', 'c', 1, 1);
      clock.advance(30_000);
      await e.write({ put: [{ ns: 'purge-x', key: '3', value: 3, ttlSeconds: 60 }, { ns: 'purge-x', key: '4', value: 4, ttlSeconds: 60 }] });
      expect(await rows('purge-old')).toBe(1); // within the minute: not yet
    } finally {
      await stores.pool.query("DELETE FROM ephemeral WHERE ns LIKE 'purge-%'");
      await stores.close();
    }
  });
});
