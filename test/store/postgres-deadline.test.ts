/**
 * Deadlines on PostgreSQL over a real connection: a TCP relay between the stores and PostgreSQL
 * holds the server's answers back to play a database that stops answering.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { MIGRATION_LOCK_KEY } from '../../src/store/postgres/postgres-database.js';
import { createPostgresStores } from '../../src/store/postgres/postgres-store.js';
import { dropSchema, randomSchema } from './pg-test-helpers.js';
import { StallingRelay } from './stalling-relay.js';

const url = process.env.DATABASE_URL;

describe.skipIf(!url)('PostgreSQL stores: every request query has a deadline, maintenance a longer one', () => {
  const schema = randomSchema();
  const relay = new StallingRelay();
  let relayUrl: string;

  beforeAll(async () => {
    const target = new URL(url!);
    const port = await relay.start(target.hostname, Number(target.port || 5432));
    const via = new URL(url!);
    via.hostname = '127.0.0.1';
    via.port = String(port);
    relayUrl = via.toString();
  });
  afterAll(async () => {
    relay.resume();
    await relay.close();
    await dropSchema(url!, schema);
  });

  it('migrates while another instance holds the migration lock for longer than a query may take', async () => {
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const released = new Promise<void>((r) => setTimeout(() => { other.query('COMMIT').then(() => r(), () => r()); }, 600));
      const stores = await createPostgresStores(url!, new ManualClock(1_700_000_000_000), { schema, queryTimeoutMs: 200 });
      await released;
      expect(await stores.clients.getClient('nobody')).toBeUndefined();
      await stores.close();
    } finally {
      await other.end();
    }
  });

  it('fails a query when PostgreSQL stops answering, and serves the next one on a fresh connection once it answers again', async () => {
    const stores = await createPostgresStores(relayUrl, new ManualClock(1_700_000_000_000), { schema, queryTimeoutMs: 300 });
    try {
      expect(await stores.clients.getClient('nobody')).toBeUndefined();
      relay.stall();
      const started = performance.now();
      await expect(stores.clients.getClient('nobody')).rejects.toThrow('Query read timeout');
      expect(performance.now() - started).toBeGreaterThanOrEqual(295);
      await expect(stores.ping()).rejects.toThrow();
      relay.resume();
      expect(await stores.clients.getClient('nobody')).toBeUndefined();
      await stores.ping();
    } finally {
      relay.resume();
      await stores.close();
    }
  });

  it('gives the purge of expired short-lived rows that a request makes a request query\'s deadline', async () => {
    const stores = await createPostgresStores(relayUrl, new ManualClock(1_700_000_000_000), { schema, queryTimeoutMs: 300 });
    try {
      relay.stall();
      // The store's first write purges first (then once a minute), and the request waits for it.
      await expect(stores.ephemeral.put('purge-deadline', 'k', 1, 60)).rejects.toThrow('Query read timeout');
      relay.resume();
      await stores.ephemeral.put('purge-deadline', 'k', 1, 60);
      expect(await stores.ephemeral.get('purge-deadline', 'k')).toBe(1);
    } finally {
      relay.resume();
      await stores.close();
    }
  });
});
