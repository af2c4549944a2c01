import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock.js';
import type { Grant } from '../../src/store/ports.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/sqlite-migrations.js';
import { migrateSqliteFile, sqlitePath } from '../../src/store/sqlite/sqlite-database.js';
import { createSqliteStores } from '../../src/store/sqlite/sqlite-store.js';
import { CLIENT_DEFAULTS, type StoredClient } from '../../src/clients/client-types.js';
import { loose } from './loose-ephemeral.js';

const T0 = Date.UTC(2025, 5, 1, 8);

let clock: ManualClock;
let stores: ReturnType<typeof createSqliteStores>;

beforeEach(() => {
  clock = new ManualClock(T0);
  stores = createSqliteStores(':memory:', clock);
});

afterEach(async () => {
  await stores.close();
});

function grant(over: Partial<Grant> = {}): Grant {
  return {
    id: 'g1', clientId: 'client-a', sub: 'sub-1', pid: '15895010046', scope: 'openid profile', acr: 'substantial', amr: ['TestID'],
    authTime: T0 / 1000, sid: 'sid-1', locale: 'nb', claims: { name: 'FIKTIV' }, clientAmr: 'client_secret_basic',
    createdAt: T0, expiresAt: T0 + 7_200_000, revoked: false, ...over,
  };
}

describe('ephemeral store: put/get and TTL', () => {
  it('returns the stored JSON value until the TTL ends', async () => {
    const e = loose(stores.ephemeral);
    await e.put('ns', 'k', { a: 1, b: ['x'] }, 10);
    expect(await e.get('ns', 'k')).toEqual({ a: 1, b: ['x'] });
    clock.advance(9_999);
    expect(await e.get('ns', 'k')).toEqual({ a: 1, b: ['x'] });
    clock.advance(1);
    expect(await e.get('ns', 'k')).toBeUndefined();
  });

  it('returns undefined for unknown keys', async () => {
    expect(await loose(stores.ephemeral).get('ns', 'nope')).toBeUndefined();
  });

  it('keeps namespaces apart', async () => {
    const e = loose(stores.ephemeral);
    await e.put('a', 'k', 'in a', 60);
    await e.put('b', 'k', 'in b', 60);
    expect(await e.get('a', 'k')).toBe('in a');
    expect(await e.get('b', 'k')).toBe('in b');
    await e.delete('a', 'k');
    expect(await e.get('a', 'k')).toBeUndefined();
    expect(await e.get('b', 'k')).toBe('in b');
  });

  it('put replaces the value and the TTL', async () => {
    const e = loose(stores.ephemeral);
    await e.put('ns', 'k', 1, 10);
    clock.advance(5_000);
    await e.put('ns', 'k', 2, 10);
    clock.advance(9_000);
    expect(await e.get('ns', 'k')).toBe(2);
    clock.advance(1_000);
    expect(await e.get('ns', 'k')).toBeUndefined();
  });

  it('stores falsy values faithfully', async () => {
    const e = loose(stores.ephemeral);
    for (const [k, v] of [['zero', 0], ['f', false], ['empty', ''], ['null', null]] as const) {
      await e.put('ns', k, v, 10);
      expect(await e.get('ns', k)).toBe(v);
    }
  });

  it('delete of an unknown key is harmless', async () => {
    await expect(loose(stores.ephemeral).delete('ns', 'nope')).resolves.toBeUndefined();
  });
});

describe('ephemeral store: expired rows are deleted by the steps that store', () => {
  const rows = (ns: string) => (stores.db.prepare('SELECT count(*) AS n FROM ephemeral WHERE ns = ?').get(ns) as { n: number }).n;

  it('write and incrementAll with writes purge expired rows, at most once a minute', async () => {
    const e = loose(stores.ephemeral);
    await e.put('old', 'a', 1, 1); // the first put purges (nothing) and starts the minute
    clock.advance(61_000);
    await e.write({ take: { ns: 'missing', key: 'k' }, put: [{ ns: 'x', key: '1', value: 1, ttlSeconds: 1 }] });
    expect(rows('old')).toBe(0);
    await e.put('old', 'b', 1, 1);
    clock.advance(61_000);
    await e.incrementAll([{ ns: 'rl', key: 'k', ttlSeconds: 60 }], { put: [{ ns: 'x', key: '2', value: 2, ttlSeconds: 60 }] });
    expect(rows('old')).toBe(0);
    await e.put('old', 'c', 1, 1);
    clock.advance(30_000);
    await e.write({ put: [{ ns: 'x', key: '3', value: 3, ttlSeconds: 60 }, { ns: 'x', key: '4', value: 4, ttlSeconds: 60 }] });
    expect(rows('old')).toBe(1); // within the minute: not yet
  });
});

describe('ephemeral store: take', () => {
  it('returns the value once and only once', async () => {
    const e = loose(stores.ephemeral);
    await e.put('code', 'c1', { client: 'a' }, 60);
    expect(await e.take('code', 'c1')).toEqual({ client: 'a' });
    expect(await e.take('code', 'c1')).toBeUndefined();
    expect(await e.get('code', 'c1')).toBeUndefined();
  });

  it('of two concurrent takes, exactly one gets the value', async () => {
    const e = loose(stores.ephemeral);
    await e.put('code', 'c2', 'v', 60);
    const results = await Promise.all([e.take('code', 'c2'), e.take('code', 'c2'), e.take('code', 'c2')]);
    expect(results.filter((r) => r === 'v')).toHaveLength(1);
  });

  it('does not return an expired value', async () => {
    const e = loose(stores.ephemeral);
    await e.put('code', 'c3', 'v', 60);
    clock.advance(60_000);
    expect(await e.take('code', 'c3')).toBeUndefined();
  });

  it('returns undefined for unknown keys', async () => {
    expect(await stores.ephemeral.take('code', 'nope')).toBeUndefined();
  });
});

describe('ephemeral store: add', () => {
  it('is true only the first time', async () => {
    const e = loose(stores.ephemeral);
    expect(await e.add('jti', 'x', 1, 60)).toBe(true);
    expect(await e.add('jti', 'x', 2, 60)).toBe(false);
    expect(await e.add('jti', 'x', 3, 600)).toBe(false);
    expect(await e.get('jti', 'x')).toBe(1); // the losing call did not overwrite
  });

  it('is true again once the first entry has expired', async () => {
    const e = loose(stores.ephemeral);
    expect(await e.add('jti', 'y', 'first', 60)).toBe(true);
    clock.advance(59_999);
    expect(await e.add('jti', 'y', 'second', 60)).toBe(false);
    clock.advance(1);
    expect(await e.add('jti', 'y', 'third', 60)).toBe(true);
    expect(await e.get('jti', 'y')).toBe('third');
    expect(await e.add('jti', 'y', 'fourth', 60)).toBe(false);
  });

  it('keys and namespaces are independent', async () => {
    const e = loose(stores.ephemeral);
    expect(await e.add('jti', 'a', 1, 60)).toBe(true);
    expect(await e.add('jti', 'b', 1, 60)).toBe(true);
    expect(await e.add('other', 'a', 1, 60)).toBe(true);
  });

  it('is false when the key was put (not added) and still valid', async () => {
    const e = loose(stores.ephemeral);
    await e.put('jti', 'p', 1, 60);
    expect(await e.add('jti', 'p', 2, 60)).toBe(false);
  });

  it('is true again after a delete', async () => {
    const e = loose(stores.ephemeral);
    await e.add('jti', 'd', 1, 60);
    await e.delete('jti', 'd');
    expect(await e.add('jti', 'd', 2, 60)).toBe(true);
  });
});

describe('grant store', () => {
  it('stores and reads a grant', async () => {
    const g = grant({ authorizationDetails: [{ type: 'ansattporten:orgno' }], resource: 'https://api.example.no' });
    await stores.grants.createGrant(g);
    expect(await stores.grants.getGrant('g1')).toEqual(g);
    expect(await stores.grants.getGrant('nope')).toBeUndefined();
  });

  it('refuses two grants with the same id', async () => {
    await stores.grants.createGrant(grant());
    await expect(stores.grants.createGrant(grant({ sub: 'other' }))).rejects.toThrow();
    expect((await stores.grants.getGrant('g1'))?.sub).toBe('sub-1');
  });

  it('revokeGrant marks one grant revoked', async () => {
    await stores.grants.createGrant(grant());
    await stores.grants.createGrant(grant({ id: 'g2' }));
    await stores.grants.revokeGrant('g1');
    expect((await stores.grants.getGrant('g1'))?.revoked).toBe(true);
    expect((await stores.grants.getGrant('g2'))?.revoked).toBe(false);
  });

  it('markRefreshTokenUsed is true only once', async () => {
    await stores.grants.createGrant(grant());
    await stores.grants.putRefreshToken('h1', { grantId: 'g1', expiresAt: T0 + 600_000, used: false });
    expect(await stores.grants.markRefreshTokenUsed('h1')).toBe(true);
    expect(await stores.grants.markRefreshTokenUsed('h1')).toBe(false);
    expect(await stores.grants.markRefreshTokenUsed('h1')).toBe(false);
    expect(await stores.grants.getRefreshToken('h1')).toEqual({ grantId: 'g1', expiresAt: T0 + 600_000, used: true });
  });

  it('markRefreshTokenUsed: of concurrent callers exactly one wins', async () => {
    await stores.grants.putRefreshToken('h2', { grantId: 'g1', expiresAt: T0 + 600_000, used: false });
    const r = await Promise.all([1, 2, 3, 4].map(() => stores.grants.markRefreshTokenUsed('h2')));
    expect(r.filter(Boolean)).toHaveLength(1);
  });

  it('markRefreshTokenUsed is false for unknown and already-used tokens', async () => {
    expect(await stores.grants.markRefreshTokenUsed('nope')).toBe(false);
    await stores.grants.putRefreshToken('h3', { grantId: 'g1', expiresAt: T0 + 600_000, used: true });
    expect(await stores.grants.markRefreshTokenUsed('h3')).toBe(false);
  });

  it('touchRefreshToken moves the idle expiry', async () => {
    await stores.grants.putRefreshToken('h4', { grantId: 'g1', expiresAt: T0 + 600_000, used: false });
    await stores.grants.touchRefreshToken('h4', T0 + 1_200_000);
    expect((await stores.grants.getRefreshToken('h4'))?.expiresAt).toBe(T0 + 1_200_000);
    expect(await stores.grants.getRefreshToken('nope')).toBeUndefined();
  });

  it('maps access token jtis to grants', async () => {
    await stores.grants.putAccessToken('jti-1', 'g1', T0 + 120_000);
    expect(await stores.grants.getAccessTokenGrant('jti-1')).toBe('g1');
    expect(await stores.grants.getAccessTokenGrant('jti-2')).toBeUndefined();
  });
});

describe('grant store: revokeGrantsForLogout', () => {
  beforeEach(async () => {
    const g = stores.grants;
    await g.createGrant(grant({ id: 'openid', scope: 'openid' }));
    await g.createGrant(grant({ id: 'openid-profile', scope: 'openid profile' }));
    await g.createGrant(grant({ id: 'profile-openid-b', scope: 'profile openid', clientId: 'client-b' }));
    await g.createGrant(grant({ id: 'api', scope: 'openid profile idporten:dcr.read' }));
    await g.createGrant(grant({ id: 'api-only', scope: 'idporten:dcr.read' }));
    await g.createGrant(grant({ id: 'prefix', scope: 'openid profile2' }));
    await g.createGrant(grant({ id: 'other-sid', scope: 'openid', sid: 'sid-2' }));
  });

  it('revokes only the grants of that sid whose scopes are only openid/profile', async () => {
    const ids = await stores.grants.revokeGrantsForLogout('sid-1');
    expect(ids.sort()).toEqual(['openid', 'openid-profile', 'profile-openid-b']);
    for (const id of ['openid', 'openid-profile', 'profile-openid-b']) expect((await stores.grants.getGrant(id))?.revoked).toBe(true);
    for (const id of ['api', 'api-only', 'prefix', 'other-sid']) expect((await stores.grants.getGrant(id))?.revoked).toBe(false);
  });

  it('does not report grants that were already revoked', async () => {
    await stores.grants.revokeGrant('openid');
    expect((await stores.grants.revokeGrantsForLogout('sid-1')).sort()).toEqual(['openid-profile', 'profile-openid-b']);
    expect(await stores.grants.revokeGrantsForLogout('sid-1')).toEqual([]);
  });

  it('returns nothing for an unknown sid', async () => {
    expect(await stores.grants.revokeGrantsForLogout('nope')).toEqual([]);
    expect((await stores.grants.getGrant('openid'))?.revoked).toBe(false);
  });
});

describe('key store', () => {
  it('getOrCreateSecret returns the same value on the second call', async () => {
    let calls = 0;
    const create = () => `secret-${++calls}`;
    const first = await stores.keys.getOrCreateSecret('pairwise', create);
    const second = await stores.keys.getOrCreateSecret('pairwise', create);
    expect(first).toBe('secret-1');
    expect(second).toBe('secret-1');
  });

  it('keeps secrets apart by name', async () => {
    expect(await stores.keys.getOrCreateSecret('a', () => 'A')).toBe('A');
    expect(await stores.keys.getOrCreateSecret('b', () => 'B')).toBe('B');
    expect(await stores.keys.getOrCreateSecret('a', () => 'X')).toBe('A');
  });

  it('stores, updates and deletes signing keys', async () => {
    const k = { kid: 'k1', alg: 'RS256' as const, privateJwk: { d: 'x' }, publicJwk: { n: 'y' }, state: 'next' as const, createdAt: T0 };
    await stores.keys.insertSigningKey(k);
    await stores.keys.insertSigningKey({ ...k, state: 'current' }); // ignored: kid exists
    expect(await stores.keys.listSigningKeys()).toEqual([k]);
    await stores.keys.updateSigningKey('k1', { state: 'current', activatedAt: T0 + 1 });
    expect((await stores.keys.listSigningKeys())[0]).toMatchObject({ state: 'current', activatedAt: T0 + 1 });
    await stores.keys.deleteSigningKey('k1');
    expect(await stores.keys.listSigningKeys()).toEqual([]);
  });
});

describe('client store', () => {
  it('upserts and lists clients, hiding inactive ones unless asked', async () => {
    const c = (id: string, active: boolean, orgno = '310900001'): StoredClient => ({
      client: {
        ...CLIENT_DEFAULTS, client_id: id, client_name: id, description: '', client_orgno: orgno, redirect_uris: ['https://x/cb'],
        active, created: 'c', last_updated: 'u',
      },
    });
    await stores.clients.putClient(c('a', true));
    await stores.clients.putClient(c('b', false));
    await stores.clients.putClient(c('c', true, '310900002'));
    expect((await stores.clients.listClients()).map((x) => x.client.client_id)).toEqual(['a', 'c']);
    expect((await stores.clients.listClients({ includeInactive: true })).map((x) => x.client.client_id)).toEqual(['a', 'b', 'c']);
    expect((await stores.clients.listClients({ orgno: '310900002' })).map((x) => x.client.client_id)).toEqual(['c']);
    await stores.clients.putClient(c('a', false));
    expect((await stores.clients.getClient('a'))?.client.active).toBe(false);
    expect(await stores.clients.getClient('zz')).toBeUndefined();
  });
});

describe('migrations', () => {
  it('are applied once: opening the same file twice works and keeps the data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ap-sqlite-'));
    try {
      const file = join(dir, 'nested', 'ansattporten.sqlite');
      const c1 = new ManualClock(T0);
      const s1 = createSqliteStores(file, c1);
      await s1.keys.getOrCreateSecret('salt', () => 'persisted');
      await s1.grants.createGrant(grant());
      await loose(s1.ephemeral).put('ns', 'k', 'v', 600);
      await s1.close();

      const s2 = createSqliteStores(file, c1);
      try {
        const versions = s2.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
        expect(versions.map((v) => v.version)).toEqual(SQLITE_MIGRATIONS.map((_, i) => i + 1));
        expect(await s2.keys.getOrCreateSecret('salt', () => 'new')).toBe('persisted');
        expect((await s2.grants.getGrant('g1'))?.sub).toBe('sub-1');
        expect(await loose(s2.ephemeral).get('ns', 'k')).toBe('v');
        await s2.ping();
      } finally {
        await s2.close();
      }

      const s3 = createSqliteStores(file, c1);
      const n = (s3.db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n;
      await s3.close();
      expect(n).toBe(SQLITE_MIGRATIONS.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a fresh in-memory database has every migration recorded', () => {
    const n = (stores.db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n;
    expect(n).toBe(SQLITE_MIGRATIONS.length);
  });
});

describe('migrateSqliteFile (the CLI\'s migrate)', () => {
  it('creates the file in the data directory, reports the versions it applied, then none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ap-sqlite-migrate-'));
    try {
      const file = sqlitePath(join(dir, 'data'));
      expect(file).toBe(join(dir, 'data', 'ansattporten.sqlite'));
      expect(migrateSqliteFile(file)).toEqual(SQLITE_MIGRATIONS.map((_, i) => i + 1));
      expect(migrateSqliteFile(file)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
