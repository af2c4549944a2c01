import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestDataStore } from '../../src/store/ports.js';
import { emptyTestWorldExtras, type Fixtures } from '../../src/fixtures/fixture-types.js';
import { SqliteTestDataStore } from '../../src/store/sqlite/sqlite-testdata-store.js';
import { openSqlite } from '../../src/store/sqlite/sqlite-database.js';
import { mergeTestWorld, TestWorld, validateTestData } from '../../src/testworld/test-data.js';
import { TestDataAdmin } from '../../src/testworld/test-data-admin.js';
import { actionsFor } from '../../src/representation/altinn-model.js';

const KARI = '15895010046';
const NEW = '05829907455';
const MAIN = '310000108';
const SUB = '310000116';
const NEWORG = '310000132';

const fixtures: Fixtures = {
  ...emptyTestWorldExtras(),
  persons: [{ pid: KARI, given_name: 'KARI', family_name: 'NORDMANN' }],
  organizations: [
    { orgno: MAIN, name: 'ALFA AS', unit_type: 'AS', parent_orgno: null, deleted: false },
    { orgno: SUB, name: 'ALFA AS AVD', unit_type: 'BEDR', parent_orgno: MAIN, deleted: false },
  ],
  resources: [{ id: 'skjema', name: 'Skjema' }],
  rights: [{ pid: KARI, orgno: MAIN, resource: 'skjema', actions: ['read'] }],
  employer_rules: [],
  roles: [{ pid: KARI, orgno: MAIN, role: 'DAGL' }],
  resource_policies: [{ resource: 'skjema', rules: [{ roles: ['DAGL'], access_packages: [], actions: ['write'] }] }],
};

describe('test data: validation', () => {
  it('validates entries like the fixtures and checks organisation references against the world', () => {
    expect(validateTestData('roles', { pid: NEW, orgno: MAIN, role: 'DAGL' }, fixtures)).toEqual({ ok: true, key: `${NEW} ${MAIN} DAGL`, data: { pid: NEW, orgno: MAIN, role: 'DAGL' } });
    expect(validateTestData('roles', { pid: NEW, orgno: NEWORG, role: 'DAGL' }, fixtures)).toEqual({ ok: false, errors: [{ field: 'orgno', message: `is not a known organisation ("${NEWORG}"); add it first` }] });
    expect(validateTestData('roles', { pid: NEW, orgno: MAIN, role: 'BOSS' }, fixtures).ok).toBe(false);
    // a stored right may name a resource the fixtures do not list (your own)
    expect(validateTestData('rights', { pid: NEW, orgno: MAIN, resource: 'min-tjeneste', actions: ['read'] }, fixtures).ok).toBe(true);
    expect(validateTestData('organizations', { orgno: NEWORG, name: 'NY AVD', unit_type: 'BEDR' }, fixtures)).toEqual({ ok: false, errors: [{ field: 'parent_orgno', message: 'is required for a sub-unit (unit_type BEDR)' }] });
    expect(validateTestData('organizations', { orgno: NEWORG, name: 'NY AVD', unit_type: 'BEDR', parent_orgno: SUB }, fixtures).ok).toBe(false);
    expect(validateTestData('organizations', { orgno: MAIN, name: 'ALFA', unit_type: 'AS', parent_orgno: NEWORG }, fixtures).ok).toBe(false);
    expect(validateTestData('work_accounts', { email: 'A@B.NO', given_name: 'A', family_name: 'B', tenant_id: '0b7e5c1a-2f3d-4a6b-9c8d-1e2f3a4b5c6d' }, fixtures)).toMatchObject({ ok: true, key: 'a@b.no', data: { email: 'a@b.no', groups: [], email_verified: true } });
    expect(validateTestData('persons', { pid: '15895010047', given_name: 'X', family_name: 'Y' }, fixtures)).toEqual({ ok: false, errors: [{ field: 'pid', message: 'check digit mismatch ("15895010047")' }] });
  });
});

describe('test data: the merged world', () => {
  it('is the fixtures plus stored entries; stored persons and organisations replace fixture ones; invalid rows are skipped', () => {
    const w = mergeTestWorld(fixtures, [
      { kind: 'organizations', key: NEWORG, created: 't', data: { orgno: NEWORG, name: 'NY AS', unit_type: 'AS', parent_orgno: null, deleted: false } },
      { kind: 'persons', key: KARI, created: 't', data: { pid: KARI, given_name: 'KARI', family_name: 'HANSEN' } },
      { kind: 'roles', key: 'x', created: 't', data: { pid: NEW, orgno: NEWORG, role: 'DAGL' } },
      { kind: 'roles', key: 'y', created: 't', data: { pid: NEW, orgno: NEWORG, role: 'NOPE' } },
    ]);
    expect(w.persons).toEqual([{ pid: KARI, given_name: 'KARI', family_name: 'HANSEN' }]);
    expect(w.organizations.map((o) => o.orgno)).toEqual([MAIN, SUB, NEWORG]);
    expect(w.roles).toEqual([{ pid: KARI, orgno: MAIN, role: 'DAGL' }, { pid: NEW, orgno: NEWORG, role: 'DAGL' }]);
    expect(actionsFor(w, NEW, NEWORG, 'skjema')).toEqual(['write']);
    expect(mergeTestWorld(fixtures, [])).toBe(fixtures);
  });
});

describe('TestDataAdmin', () => {
  const make = () => {
    const store = new SqliteTestDataStore(openSqlite(':memory:'));
    const world = new TestWorld(fixtures, store);
    return { store, world, admin: new TestDataAdmin({ world, store, clock: { now: () => Date.UTC(2026, 0, 1) } }) };
  };

  it('adds (validated, against organisations added before), lists fixtures then stored, removes stored entries only', async () => {
    const { admin, world } = make();
    expect((await admin.add('t', 'roles', { pid: NEW, orgno: NEWORG, role: 'DAGL' })).ok).toBe(false);
    expect(await admin.add('t', 'organizations', { orgno: NEWORG, name: 'NY AS', unit_type: 'AS' })).toMatchObject({ ok: true, value: { source: 'store', key: NEWORG, created: '2026-01-01T00:00:00.000Z' } });
    expect((await admin.add('t', 'roles', { pid: NEW, orgno: NEWORG, role: 'DAGL' })).ok).toBe(true);
    expect((await admin.list('roles')).map((v) => [v.source, v.key])).toEqual([['fixtures', `${KARI} ${MAIN} DAGL`], ['store', `${NEW} ${NEWORG} DAGL`]]);
    expect(actionsFor(await world.current(), NEW, NEWORG, 'skjema')).toEqual(['write']);

    expect(await admin.remove('t', 'roles', [KARI, MAIN, 'DAGL'])).toMatchObject({ ok: false, status: 409 });
    expect(await admin.remove('t', 'roles', [NEW, MAIN, 'DAGL'])).toMatchObject({ ok: false, status: 404 });
    expect(await admin.remove('t', 'roles', [NEW, MAIN])).toMatchObject({ ok: false, status: 400 });
    expect(await admin.remove('t', 'roles', [NEW, NEWORG, 'DAGL'])).toEqual({ ok: true, value: undefined });
    expect(actionsFor(await world.current(), NEW, NEWORG, 'skjema')).toEqual([]);
  });
});

describe('TestWorld.current', () => {
  const dirs: string[] = [];
  const dbs: ReturnType<typeof openSqlite>[] = [];
  afterEach(() => {
    for (const db of dbs.splice(0)) db.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  /** Two store objects on one SQLite file, each with its own connection (two instances, or the server and the CLI). */
  const twoStores = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ap-testworld-'));
    dirs.push(dir);
    const path = join(dir, 'db.sqlite');
    dbs.push(openSqlite(path), openSqlite(path));
    return [new SqliteTestDataStore(dbs[0]!), new SqliteTestDataStore(dbs[1]!)] as const;
  };
  const org = (orgno: string, name: string) => ({ kind: 'organizations' as const, key: orgno, created: '2026-01-01T00:00:00.000Z', data: { orgno, name, unit_type: 'AS', parent_orgno: null, deleted: false } });
  /** Records the calls a TestWorld makes on its store. */
  const recording = (store: TestDataStore) => {
    const calls: string[] = [];
    const wrapped: TestDataStore = {
      list: (kind) => { calls.push('list'); return store.list(kind); },
      put: (e) => store.put(e),
      delete: (k, key) => store.delete(k, key),
      changedSince: (v) => { calls.push(`changedSince(${v})`); return store.changedSince(v); },
    };
    return { calls, wrapped };
  };

  it('asks only for the version while nothing changed, and gives the same world object', async () => {
    const [store] = twoStores();
    const { calls, wrapped } = recording(store);
    const world = new TestWorld(fixtures, wrapped);
    const w1 = await world.current();
    expect(w1).toBe(fixtures); // nothing stored: the fixtures themselves
    await store.put(org(NEWORG, 'NY AS'));
    const w2 = await world.current();
    expect(w2.organizations.map((o) => o.orgno)).toEqual([MAIN, SUB, NEWORG]);
    expect(await world.current()).toBe(w2);
    expect(await world.current()).toBe(w2);
    expect(calls).toHaveLength(4);
    expect(calls.every((c) => c.startsWith('changedSince('))).toBe(true);
    expect(calls[0]).toBe('changedSince(undefined)');
    expect(new Set(calls.slice(2)).size).toBe(1); // the same version asked about while nothing changed
  });

  it('with a version already seen (atLeast) answers from memory when it holds that version or newer, and asks the store otherwise', async () => {
    const [store, other] = twoStores();
    const { calls, wrapped } = recording(store);
    const world = new TestWorld(fixtures, wrapped);
    await store.put(org(NEWORG, 'NY AS'));
    const seen = await world.versioned();
    expect(seen.version).toBeGreaterThan(0);
    expect(calls).toHaveLength(1);
    // The answer to a page that showed this version: no store read, the same world.
    expect(await world.versioned(seen.version)).toBe(seen);
    expect(await world.versioned(seen.version! - 1)).toBe(seen);
    expect(calls).toHaveLength(1);
    // A page another instance showed with a newer world: this one asks and catches up.
    await other.put(org(NEWORG, 'NYTT NAVN AS'));
    const newer = await world.versioned(seen.version! + 1);
    expect(calls).toHaveLength(2);
    expect(newer.version).toBeGreaterThan(seen.version!);
    expect(newer.world.organizations.find((o) => o.orgno === NEWORG)?.name).toBe('NYTT NAVN AS');
    // Without a version (a new page), the store is always asked: a change is seen by the next login.
    await other.put(org(NEWORG, 'TREDJE NAVN AS'));
    expect((await world.current()).organizations.find((o) => o.orgno === NEWORG)?.name).toBe('TREDJE NAVN AS');
    expect(calls).toHaveLength(3);
  });

  it('believes a store whose version went down (restored or re-created) and merges its entries', async () => {
    let version = 7;
    let entries = [org(NEWORG, 'FØR AS')];
    const store: TestDataStore = {
      list: async () => entries, put: async () => {}, delete: async () => false,
      changedSince: async (v) => (v === version ? { version } : { version, entries }),
    };
    const world = new TestWorld(fixtures, store);
    expect((await world.current()).organizations.find((o) => o.orgno === NEWORG)?.name).toBe('FØR AS');
    version = 2;
    entries = [org(NEWORG, 'ETTER AS')];
    const after = await world.versioned();
    expect(after.version).toBe(2);
    expect(after.world.organizations.find((o) => o.orgno === NEWORG)?.name).toBe('ETTER AS');
  });

  it('never goes back to an older world when reads overlap', async () => {
    const [store, other] = twoStores();
    const world = new TestWorld(fixtures, store);
    await other.put(org(NEWORG, 'NY AS'));
    const [a, b] = await Promise.all([world.versioned(), world.versioned()]);
    expect(a.version).toBe(b.version);
    await other.put(org(NEWORG, 'NYTT NAVN AS'));
    const latest = await world.versioned();
    expect(await world.versioned(a.version)).toBe(latest);
  });

  it('sees every kind of write made through another store object on the same database at the next call', async () => {
    const [mine, theirs] = twoStores();
    const world = new TestWorld(fixtures, mine);
    const orgs = async () => (await world.current()).organizations.map((o) => `${o.orgno} ${o.name}`);
    expect(await orgs()).toEqual([`${MAIN} ALFA AS`, `${SUB} ALFA AS AVD`]);
    await theirs.put(org(NEWORG, 'NY AS'));
    expect(await orgs()).toEqual([`${MAIN} ALFA AS`, `${SUB} ALFA AS AVD`, `${NEWORG} NY AS`]);
    await theirs.put(org(NEWORG, 'NYTT NAVN AS'));
    expect(await orgs()).toEqual([`${MAIN} ALFA AS`, `${SUB} ALFA AS AVD`, `${NEWORG} NYTT NAVN AS`]);
    await theirs.put(org(MAIN, 'ALFA OMDØPT AS'));
    expect(await orgs()).toEqual([`${MAIN} ALFA OMDØPT AS`, `${SUB} ALFA AS AVD`, `${NEWORG} NYTT NAVN AS`]);
    expect(await theirs.delete('organizations', NEWORG)).toBe(true);
    expect(await orgs()).toEqual([`${MAIN} ALFA OMDØPT AS`, `${SUB} ALFA AS AVD`]);
    expect(await theirs.delete('organizations', MAIN)).toBe(true);
    expect(await world.current()).toBe(fixtures);
  });
});
