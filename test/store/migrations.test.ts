import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresPool, migratePostgres } from '../../src/store/postgres/postgres-database.js';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/postgres-migrations.js';
import { dropSchema, randomSchema } from './pg-test-helpers.js';

const url = process.env.DATABASE_URL;

describe.skipIf(!url)('PostgreSQL migrations', () => {
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(url!, schema);
  });

  it('three instances migrating a fresh schema at once apply each version exactly once', async () => {
    const schema = randomSchema();
    schemas.push(schema);
    const pools = [0, 1, 2].map(() => createPostgresPool(url!, { schema }));
    try {
      const applied = await Promise.all(pools.map((p) => migratePostgres(p, { schema })));
      const expected = POSTGRES_MIGRATIONS.map((_, i) => i + 1);
      // Exactly one instance applied everything; the others found nothing to do.
      expect(applied.flat().sort((a, b) => a - b)).toEqual(expected);
      expect(applied.filter((a) => a.length > 0)).toHaveLength(1);

      const { rows } = await pools[0]!.query<{ version: number; n: string }>(
        'SELECT version, count(*) AS n FROM schema_migrations GROUP BY version ORDER BY version');
      expect(rows.map((r) => [r.version, Number(r.n)])).toEqual(expected.map((v) => [v, 1]));

      // Re-running is a no-op, and the tables live in the schema.
      expect(await migratePostgres(pools[1]!, { schema })).toEqual([]);
      const tables = await pools[2]!.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema]);
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        ['access_tokens', 'api_scopes', 'audit_log', 'clients', 'employer_rules', 'ephemeral', 'grants', 'refresh_tokens', 'schema_migrations', 'scope_access', 'scope_prefixes', 'secrets', 'signing_keys', 'testdata', 'testdata_version']);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});
