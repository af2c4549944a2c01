import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDataStore } from '../../src/store/ports.js';
import { openSqlite } from '../../src/store/sqlite/sqlite-database.js';
import { SqliteTestDataStore } from '../../src/store/sqlite/sqlite-testdata-store.js';
import { createPostgresPool, migratePostgres, type PgPool } from '../../src/store/postgres/postgres-database.js';
import { PostgresTestDataStore } from '../../src/store/postgres/postgres-testdata-store.js';
import { dropSchema, randomSchema } from './pg-test-helpers.js';

/**
 * The same behaviour from every TestDataStore. `make` gives a store and a second store object on
 * the same database (as another instance has).
 */
function testDataConformance(name: string, make: () => Promise<TestDataStore & { other: TestDataStore }>): void {
  describe(`TestDataStore conformance: ${name}`, () => {
    let s: TestDataStore & { other: TestDataStore };
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

    it('changedSince: the version changes with every write (insert, replace, delete), from any store object, and the entries come only then', async () => {
      const first = await s.changedSince();
      expect(first.entries).toEqual(await s.list());
      expect(await s.changedSince(first.version)).toEqual({ version: first.version });
      expect(await s.other.changedSince(first.version)).toEqual({ version: first.version });
      const seen = [first.version];
      const changed = async (write: () => Promise<unknown>) => {
        const before = seen.at(-1)!;
        await write();
        const after = await s.changedSince(before);
        expect(after.version, 'a new version').not.toBe(before);
        expect(seen, 'never an earlier version again').not.toContain(after.version);
        expect(after.entries, 'the entries after the write').toEqual(await s.list());
        expect(await s.other.changedSince(after.version), 'seen alike by the other store object').toEqual({ version: after.version });
        seen.push(after.version);
      };
      const entry = { kind: 'organizations' as const, key: '310000001', created: '2026-01-01T00:00:05.000Z', data: { orgno: '310000001' } };
      await changed(() => s.put(entry)); // insert
      await changed(() => s.other.put({ ...entry, data: { orgno: '310000001', name: 'X' } })); // replace, through the other object
      await changed(() => s.put({ ...entry, data: { orgno: '310000001', name: 'X' } })); // replace with the same data
      await changed(() => s.other.delete('organizations', '310000001')); // delete
      await changed(() => s.delete('roles', 'c'));
      expect((await s.changedSince(seen.at(-1)!)).entries).toBeUndefined();
    });
  });
}

describe('SQLite', () => {
  // A file, so that the second store object has its own connection, as another process (the CLI) would.
  const dir = mkdtempSync(join(tmpdir(), 'ap-testdata-store-'));
  const dbs: Database.Database[] = [];
  afterAll(() => {
    for (const db of dbs) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  testDataConformance('SQLite', async () => {
    const path = join(dir, 'db.sqlite');
    dbs.push(openSqlite(path), openSqlite(path));
    return Object.assign(new SqliteTestDataStore(dbs[0]!), { other: new SqliteTestDataStore(dbs[1]!) });
  });
});

const url = process.env.DATABASE_URL;
describe.skipIf(!url)('PostgreSQL', () => {
  const schema = randomSchema();
  let pool: PgPool;
  let other: PgPool;
  afterAll(async () => {
    await pool?.end();
    await other?.end();
    await dropSchema(url!, schema);
  });
  testDataConformance('PostgreSQL', async () => {
    pool = createPostgresPool(url!, { schema });
    await migratePostgres(pool, { schema });
    other = createPostgresPool(url!, { schema });
    return Object.assign(new PostgresTestDataStore(pool), { other: new PostgresTestDataStore(other) });
  });
});
