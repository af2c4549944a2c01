import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDataStore } from '../../src/store/ports.js';
import { openSqlite } from '../../src/store/sqlite/sqlite-database.js';
import { SqliteTestDataStore } from '../../src/store/sqlite/sqlite-testdata-store.js';
import { createPostgresPool, migratePostgres, type PgPool } from '../../src/store/postgres/postgres-database.js';
import { PostgresTestDataStore } from '../../src/store/postgres/postgres-testdata-store.js';
import { dropSchema, randomSchema } from './pg-test-helpers.js';

/** The same behaviour from every TestDataStore. */
function testDataConformance(name: string, make: () => Promise<TestDataStore>): void {
  describe(`TestDataStore conformance: ${name}`, () => {
    let s: TestDataStore;
    beforeAll(async () => {
      s = await make();
    });

    it('puts, lists (ordered by kind, created, key), replaces and deletes entries', async () => {
      expect(await s.list()).toEqual([]);
      await s.put({ kind: 'roles', key: 'b', created: '2026-01-01T00:00:02.000Z', data: { pid: '1', orgno: '2', role: 'DAGL' } });
      await s.put({ kind: 'roles', key: 'a', created: '2026-01-01T00:00:02.000Z', data: { n: 1 } });
      await s.put({ kind: 'persons', key: 'p', created: '2026-01-01T00:00:03.000Z', data: { given_name: 'ÆØÅ' } });
      await s.put({ kind: 'roles', key: 'c', created: '2026-01-01T00:00:01.000Z', data: {} });
      expect((await s.list()).map((e) => `${e.kind}/${e.key}`)).toEqual(['persons/p', 'roles/c', 'roles/a', 'roles/b']);
      expect((await s.list('roles')).map((e) => e.key)).toEqual(['c', 'a', 'b']);
      expect((await s.list('persons'))[0]).toEqual({ kind: 'persons', key: 'p', created: '2026-01-01T00:00:03.000Z', data: { given_name: 'ÆØÅ' } });

      await s.put({ kind: 'roles', key: 'a', created: '2026-01-01T00:00:04.000Z', data: { n: 2 } });
      expect((await s.list('roles')).map((e) => [e.key, e.data])).toEqual([['c', {}], ['b', { pid: '1', orgno: '2', role: 'DAGL' }], ['a', { n: 2 }]]);

      expect(await s.delete('roles', 'a')).toBe(true);
      expect(await s.delete('roles', 'a')).toBe(false);
      expect(await s.delete('persons', 'b')).toBe(false);
      expect((await s.list()).map((e) => `${e.kind}/${e.key}`)).toEqual(['persons/p', 'roles/c', 'roles/b']);
    });
  });
}

testDataConformance('SQLite', async () => new SqliteTestDataStore(openSqlite(':memory:')));

const url = process.env.DATABASE_URL;
describe.skipIf(!url)('PostgreSQL', () => {
  const schema = randomSchema();
  let pool: PgPool;
  afterAll(async () => {
    await pool?.end();
    await dropSchema(url!, schema);
  });
  testDataConformance('PostgreSQL', async () => {
    pool = createPostgresPool(url!, { schema });
    await migratePostgres(pool, { schema });
    return new PostgresTestDataStore(pool);
  });
});
