import type { Config } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import type { Stores } from './ports.js';
import { createSqliteStores } from './sqlite/sqlite-store.js';
import { secureSqliteFile } from './file-permissions.js';
import { sqlitePath } from './sqlite/sqlite-database.js';
import { MemoryEphemeralStore } from './memory/memory-ephemeral-store.js';

/**
 * Chooses the backends from the configuration:
 *   DATABASE_URL → PostgreSQL for durable state (and for ephemeral state too when there is no Redis);
 *   REDIS_URL    → Redis for ephemeral state (durable state in PostgreSQL, or else SQLite in dataDir);
 *   neither      → SQLite in dataDir for everything.
 * ping() checks every backend in use; close() closes them all.
 */
export async function createStores(config: Config, clock: Clock): Promise<Stores> {
  // PostgreSQL and Redis drivers are loaded only when configured (the embedded default needs neither).
  const durable = config.databaseUrl
    ? await (await import('./postgres/postgres-store.js')).createPostgresStores(config.databaseUrl, clock, config.databaseSchema ? { schema: config.databaseSchema } : {})
    : openEmbedded(sqlitePath(config.dataDir), clock);
  if (!config.redisUrl) {
    // One process on one machine: short-lived state may live in memory (as Redis keeps it), which
    // saves several disk commits per login; sessions and logins in progress then end at a restart.
    if (config.databaseUrl || config.store.ephemeral !== 'memory') return durable;
    const memory = new MemoryEphemeralStore(clock);
    return {
      ...durable,
      ephemeral: memory,
      async close() {
        memory.close();
        await durable.close();
      },
    };
  }

  let redis;
  try {
    const { createRedisEphemeralStore } = await import('./redis/redis-ephemeral-store.js');
    redis = await createRedisEphemeralStore(config.redisUrl, config.redisPrefix ? { prefix: config.redisPrefix } : {});
  } catch (e) {
    await durable.close().catch(() => {});
    throw e;
  }
  const ephemeral = redis;
  return {
    ephemeral,
    keys: durable.keys,
    clients: durable.clients,
    grants: durable.grants,
    ...(durable.audit ? { audit: durable.audit } : {}),
    ...(durable.employerRules ? { employerRules: durable.employerRules } : {}),
    ...(durable.testData ? { testData: durable.testData } : {}),
    ...(durable.scopes ? { scopes: durable.scopes } : {}),
    async ping() {
      await Promise.all([durable.ping(), ephemeral.ping()]);
    },
    async close() {
      const results = await Promise.allSettled([durable.close(), ephemeral.close()]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}

/** The embedded SQLite file, created with owner-only permissions before it is opened. */
function openEmbedded(path: string, clock: Clock): ReturnType<typeof createSqliteStores> {
  secureSqliteFile(path);
  return createSqliteStores(path, clock);
}
