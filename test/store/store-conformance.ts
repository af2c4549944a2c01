import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client, StoredClient } from '../../src/clients/client-types.js';
import type { ManualClock } from '../../src/core/clock.js';
import type { Grant, SigningKeyRecord, StoredEmployerRule, Stores } from '../../src/store/ports.js';
import { loose } from './loose-ephemeral.js';
import type { ApiScope, ScopeAccess } from '../../src/scopes/scope-types.js';

/**
 * The behaviour every store adapter must share. Each adapter's test file calls
 * runStoreConformance with a factory that builds a fresh, isolated set of stores
 * (random schema / key prefix) and a cleanup that removes it again.
 */
export interface StoreFixture {
  stores: Stores;
  clock: ManualClock;
  /** The ephemeral store expires by wall-clock time (Redis), not by the ManualClock. */
  realTimeExpiry?: boolean;
  cleanup(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function makeClient(id: string, opts: { active?: boolean; orgno?: string } = {}): StoredClient {
  const client: Client = {
    client_id: id,
    client_name: `Client ${id}`,
    description: 'conformance test client',
    client_orgno: opts.orgno ?? '310000001',
    integration_type: 'ansattporten',
    application_type: 'web',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token'],
    scopes: ['openid', 'profile'],
    redirect_uris: ['https://rp.example/cb'],
    post_logout_redirect_uris: [],
    frontchannel_logout_session_required: false,
    backchannel_logout_session_required: false,
    sso_disabled: true,
    code_challenge_method: 'S256',
    access_token_lifetime: 120,
    authorization_lifetime: 7200,
    refresh_token_lifetime: 3600,
    refresh_token_usage: 'ONETIME',
    active: opts.active ?? true,
    created: '2024-01-01T00:00:00.000Z',
    last_updated: '2024-01-01T00:00:00.000Z',
  };
  return { client, secret_hash: 'sha256$abc', secret_expires_at: 1_900_000_000_000 };
}

function makeGrant(id: string, over: Partial<Grant> = {}): Grant {
  return {
    id,
    clientId: 'client-a',
    sub: `sub-${id}`,
    pid: '05910099843',
    scope: 'openid profile',
    acr: 'substantial',
    amr: ['TestID'],
    authTime: 1_700_000_000,
    sid: 'sid-1',
    locale: 'nb',
    claims: { name: 'Kari Nordmann', groups: ['a', 'b'], nested: { n: 1.5, t: true, z: null } },
    authorizationDetails: [{ type: 'ansattporten:altinn:service', resource: 'urn:x', reportees: [{ ID: '0192:123' }] }],
    resource: 'https://api.example',
    clientAmr: 'client_secret_basic',
    createdAt: 1_700_000_000_123,
    expiresAt: 1_700_007_200_123,
    revoked: false,
    ...over,
  };
}

function makeKey(kid: string, createdAt: number, state: SigningKeyRecord['state'] = 'next'): SigningKeyRecord {
  return {
    kid,
    alg: 'RS256',
    privateJwk: { kty: 'RSA', kid, n: 'nnn', e: 'AQAB', d: 'ddd' },
    publicJwk: { kty: 'RSA', kid, n: 'nnn', e: 'AQAB' },
    state,
    createdAt,
  };
}

export function runStoreConformance(name: string, factory: () => Promise<StoreFixture>): void {
  describe(`${name}: store conformance`, () => {
    let fx: StoreFixture;
    let s: Stores;
    beforeEach(async () => {
      fx = await factory();
      s = fx.stores;
    });
    afterEach(async () => {
      await fx?.cleanup();
    });

    it('ping resolves', async () => {
      await expect(s.ping()).resolves.toBeUndefined();
    });

    describe('ephemeral', () => {
      it('put/get round-trips JSON values; namespaces are separate; put overwrites', async () => {
        const v = { a: 1, b: 'x', c: [true, null, { d: 2.5 }], e: 'æøå ✓' };
        await loose(s.ephemeral).put('ns1', 'k', v, 60);
        await loose(s.ephemeral).put('ns2', 'k', 'other', 60);
        expect(await loose(s.ephemeral).get('ns1', 'k')).toEqual(v);
        expect(await loose(s.ephemeral).get('ns2', 'k')).toBe('other');
        expect(await loose(s.ephemeral).get('ns1', 'missing')).toBeUndefined();
        expect(await loose(s.ephemeral).get('ns3', 'k')).toBeUndefined();
        await loose(s.ephemeral).put('ns1', 'k', 42, 60);
        expect(await loose(s.ephemeral).get('ns1', 'k')).toBe(42);
      });

      it('count tells the live entries of one namespace', async () => {
        expect(await loose(s.ephemeral).count('cnt')).toBe(0);
        await loose(s.ephemeral).put('cnt', 'a', 1, 60);
        await loose(s.ephemeral).put('cnt', 'b', 1, 60);
        await loose(s.ephemeral).put('cnt-other', 'c', 1, 60);
        await loose(s.ephemeral).put('cnt', 'short', 1, 1);
        expect(await loose(s.ephemeral).count('cnt')).toBe(3);
        await loose(s.ephemeral).delete('cnt', 'b');
        if (!fx.realTimeExpiry) fx.clock.advance(1001);
        else await new Promise((r) => setTimeout(r, 1200));
        expect(await loose(s.ephemeral).count('cnt')).toBe(1);
      });

      it('increment counts atomically in a fixed window that later increments do not extend', async () => {
        expect(await loose(s.ephemeral).increment('rl', 'k', 1)).toBe(1);
        expect(await loose(s.ephemeral).increment('rl', 'k', 1)).toBe(2);
        const many = await Promise.all(Array.from({ length: 20 }, () => loose(s.ephemeral).increment('rl', 'k', 1)));
        expect([...many].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
        expect(await loose(s.ephemeral).increment('rl', 'other', 60)).toBe(1);
        if (!fx.realTimeExpiry) fx.clock.advance(1001);
        else await new Promise((r) => setTimeout(r, 1200));
        expect(await loose(s.ephemeral).increment('rl', 'k', 1)).toBe(1); // a new window
        expect(await loose(s.ephemeral).increment('rl', 'other', 60)).toBe(2);
      });

      it('incrementAll counts several counters like increment, in fixed windows that later increments do not extend', async () => {
        const e = loose(s.ephemeral);
        expect(await e.incrementAll([])).toEqual([]);
        expect(await e.increment('rl-a', 'k', 1)).toBe(1);
        expect(await e.incrementAll([{ ns: 'rl-a', key: 'k', ttlSeconds: 60 }, { ns: 'rl-b', key: 'k', ttlSeconds: 60 }, { ns: 'rl-a', key: 'other', ttlSeconds: 1 }]))
          .toEqual([2, 1, 1]);
        // a counter named twice counts twice, in the order given; the others are counted once
        expect(await e.incrementAll([{ ns: 'rl-b', key: 'k', ttlSeconds: 60 }, { ns: 'rl-a', key: 'k', ttlSeconds: 60 }, { ns: 'rl-b', key: 'k', ttlSeconds: 60 }]))
          .toEqual([2, 3, 3]);
        expect(await e.get('rl-b', 'k')).toBe(3);
        expect(await e.increment('rl-a', 'k', 60)).toBe(4);
        if (!fx.realTimeExpiry) fx.clock.advance(1001);
        else await sleep(1200);
        // rl-a/k and rl-a/other started with 1 s windows (the later 60 s did not extend them); rl-b/k with 60 s
        expect(await e.incrementAll([{ ns: 'rl-a', key: 'k', ttlSeconds: 1 }, { ns: 'rl-b', key: 'k', ttlSeconds: 1 }, { ns: 'rl-a', key: 'other', ttlSeconds: 1 }]))
          .toEqual([1, 4, 1]);
      });

      it('of 10 concurrent incrementAll of the same counters, every count is given exactly once', async () => {
        const e = loose(s.ephemeral);
        const batch = [{ ns: 'rl-x', key: 'b', ttlSeconds: 60 }, { ns: 'rl-y', key: 'a', ttlSeconds: 60 }, { ns: 'rl-x', key: 'a', ttlSeconds: 60 }];
        // in different orders too: a store that locks rows must not deadlock
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => e.incrementAll(i % 2 ? batch : [...batch].reverse())));
        for (const pos of [0, 1, 2]) {
          const name = `${batch[pos]!.ns}/${batch[pos]!.key}`;
          const seen = results.map((r, i) => r[i % 2 ? pos : 2 - pos]!).sort((a, b) => a - b);
          expect(seen, name).toEqual(Array.from({ length: 10 }, (_, j) => j + 1));
        }
      });

      it('incrementAll with writes makes them in the same step only while every count is within its max', async () => {
        const e = loose(s.ephemeral);
        const counters = [{ ns: 'rl-a', key: 'k', ttlSeconds: 60, max: 2 }, { ns: 'rl-b', key: 'k', ttlSeconds: 60 }, { ns: 'rl-c', key: 'k', ttlSeconds: 60, max: 3 }];
        await e.put('flow', 'old', 'o', 60);
        expect(await e.incrementAll(counters, { put: [{ ns: 'flow', key: 'f1', value: { n: 1 }, ttlSeconds: 60 }], remove: [{ ns: 'flow', key: 'old' }] })).toEqual([1, 1, 1]);
        expect(await e.get('flow', 'f1')).toEqual({ n: 1 });
        expect(await e.get('flow', 'old')).toBeUndefined();
        expect(await e.incrementAll(counters, { put: [{ ns: 'flow', key: 'f2', value: 2, ttlSeconds: 60 }] })).toEqual([2, 2, 2]);
        expect(await e.get('flow', 'f2')).toBe(2);
        // rl-a passes its max: every counter still counts, nothing is written
        await e.put('flow', 'keep', 'k', 60);
        expect(await e.incrementAll(counters, { put: [{ ns: 'flow', key: 'f3', value: 3, ttlSeconds: 60 }], remove: [{ ns: 'flow', key: 'keep' }] })).toEqual([3, 3, 3]);
        expect(await e.get('flow', 'f3')).toBeUndefined();
        expect(await e.get('flow', 'keep')).toBe('k');
        expect(await e.get('rl-c', 'k')).toBe(3);
        // a counter named twice: each naming is held to its own max (values 1 and 2 here)
        expect(await e.incrementAll([{ ns: 'rl-d', key: 'k', ttlSeconds: 60, max: 1 }, { ns: 'rl-d', key: 'k', ttlSeconds: 60, max: 2 }], { put: [{ ns: 'flow', key: 'f4', value: 4, ttlSeconds: 60 }] })).toEqual([1, 2]);
        expect(await e.get('flow', 'f4')).toBe(4);
        expect(await e.incrementAll([{ ns: 'rl-e', key: 'k', ttlSeconds: 60, max: 2 }, { ns: 'rl-e', key: 'k', ttlSeconds: 60, max: 1 }], { put: [{ ns: 'flow', key: 'f5', value: 5, ttlSeconds: 60 }] })).toEqual([1, 2]);
        expect(await e.get('flow', 'f5')).toBeUndefined();
        // no counters: the writes are made
        expect(await e.incrementAll([], { put: [{ ns: 'flow', key: 'f6', value: 6, ttlSeconds: 60 }] })).toEqual([]);
        expect(await e.get('flow', 'f6')).toBe(6);
      });

      it('write deletes and stores several records in one step; records written so expire after their TTL', async () => {
        const e = loose(s.ephemeral);
        await e.put('session', 'old', 'o', 60);
        await e.put('session', 'other', 'x', 60);
        expect(await e.write({ remove: [{ ns: 'session', key: 'old' }, { ns: 'session', key: 'never' }], put: [{ ns: 'session', key: 'new', value: { s: 1 }, ttlSeconds: 60 }, { ns: 'code', key: 'c', value: 'v', ttlSeconds: 1 }] }))
          .toEqual({ written: true });
        expect(await e.get('session', 'old')).toBeUndefined();
        expect(await e.get('session', 'new')).toEqual({ s: 1 });
        expect(await e.get('code', 'c')).toBe('v');
        expect(await e.get('session', 'other')).toBe('x');
        expect(await e.write({})).toEqual({ written: true });
        expect(await e.write({ put: [{ ns: 'one', key: 'k', value: 1, ttlSeconds: 60 }] })).toEqual({ written: true });
        expect(await e.write({ remove: [{ ns: 'one', key: 'k' }] })).toEqual({ written: true });
        expect(await e.get('one', 'k')).toBeUndefined();
        if (!fx.realTimeExpiry) fx.clock.advance(1000);
        else await sleep(1200);
        expect(await e.get('code', 'c')).toBeUndefined();
        expect(await e.get('session', 'new')).toEqual({ s: 1 });
      });

      it('write with take writes only when the taken record was there (and live), and takes it', async () => {
        const e = loose(s.ephemeral);
        await e.put('flow', 'f', { id: 'f' }, 60);
        await e.put('session', 'old', 'o', 60);
        const step = { remove: [{ ns: 'session', key: 'old' }], put: [{ ns: 'session', key: 'new', value: 'n', ttlSeconds: 60 }, { ns: 'code', key: 'c', value: 'v', ttlSeconds: 60 }] };
        expect(await e.write({ take: { ns: 'flow', key: 'f' }, ...step })).toEqual({ written: true, taken: { id: 'f' } });
        expect(await e.get('flow', 'f')).toBeUndefined();
        expect([await e.get('session', 'old'), await e.get('session', 'new'), await e.get('code', 'c')]).toEqual([undefined, 'n', 'v']);
        // taken already: nothing is written
        await e.put('session', 'old2', 'o2', 60);
        expect(await e.write({ take: { ns: 'flow', key: 'f' }, remove: [{ ns: 'session', key: 'old2' }], put: [{ ns: 'code', key: 'c2', value: 'v2', ttlSeconds: 60 }] })).toEqual({ written: false });
        expect([await e.get('session', 'old2'), await e.get('code', 'c2')]).toEqual(['o2', undefined]);
        // an expired record is not there either
        await e.put('flow', 'short', 1, 1);
        if (!fx.realTimeExpiry) fx.clock.advance(1000);
        else await sleep(1200);
        expect(await e.write({ take: { ns: 'flow', key: 'short' }, put: [{ ns: 'code', key: 'c3', value: 'v3', ttlSeconds: 60 }] })).toEqual({ written: false });
        expect(await e.get('code', 'c3')).toBeUndefined();
        // take alone
        await e.put('flow', 'g', 'gv', 60);
        expect(await e.write({ take: { ns: 'flow', key: 'g' } })).toEqual({ written: true, taken: 'gv' });
        expect(await e.get('flow', 'g')).toBeUndefined();
      });

      it('write with take and unless takes and writes nothing while the counter is at its bound, and acts as before below it', async () => {
        const e = loose(s.ephemeral);
        await e.put('code', 'c', { v: 1 }, 60);
        const guarded = (key: string) => ({ take: { ns: 'code', key }, unless: { ns: 'rl-guard', key: 'client\naddr', atLeast: 2 }, put: [{ ns: 'code-used', key, value: 'g', ttlSeconds: 60 }] });
        // no counter yet, then one below the bound: taken and written
        expect(await e.write(guarded('c'))).toEqual({ written: true, taken: { v: 1 } });
        expect(await e.get('code-used', 'c')).toBe('g');
        await e.put('code', 'd', { v: 2 }, 60);
        expect(await e.increment('rl-guard', 'client\naddr', 1)).toBe(1);
        expect(await e.write(guarded('d'))).toEqual({ written: true, taken: { v: 2 } });
        // at the bound: refused, the record stays and nothing is written
        await e.put('code', 'x', { v: 3 }, 60);
        expect(await e.incrementAll([{ ns: 'rl-guard', key: 'client\naddr', ttlSeconds: 1 }])).toEqual([2]);
        expect(await e.write(guarded('x'))).toEqual({ written: false, refused: true });
        expect(await e.get('code', 'x')).toEqual({ v: 3 });
        expect(await e.get('code-used', 'x')).toBeUndefined();
        // a missing record under the bound (no counter at all) is not refused
        expect(await e.write({ take: { ns: 'code', key: 'gone' }, unless: { ns: 'rl-guard', key: 'other', atLeast: 1 } })).toEqual({ written: false });
        // once the counter's window is over, the record is taken
        if (!fx.realTimeExpiry) fx.clock.advance(1000);
        else await sleep(1200);
        expect(await e.write(guarded('x'))).toEqual({ written: true, taken: { v: 3 } });
        // unless without take is a programming error
        await expect(e.write({ unless: { ns: 'rl-guard', key: 'k', atLeast: 1 }, put: [{ ns: 'one', key: 'k', value: 1, ttlSeconds: 60 }] })).rejects.toThrow(/unless/);
      });

      it('of 20 concurrent writes taking one record exactly one is written', async () => {
        const e = loose(s.ephemeral);
        await e.put('flow', 'race', { n: 7 }, 60);
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
          e.write({ take: { ns: 'flow', key: 'race' }, put: [{ ns: 'code', key: `c${i}`, value: i, ttlSeconds: 60 }] })));
        const winners = results.flatMap((r, i) => (r.written ? [i] : []));
        expect(winners).toHaveLength(1);
        expect(results[winners[0]!]).toEqual({ written: true, taken: { n: 7 } });
        const stored = await Promise.all(Array.from({ length: 20 }, (_, i) => e.get('code', `c${i}`)));
        expect(stored.flatMap((v, i) => (v === undefined ? [] : [i]))).toEqual(winners);
      });

      it('a step that names one key twice is refused before anything is written', async () => {
        const e = loose(s.ephemeral);
        await e.put('flow', 'f', 1, 60);
        await expect(e.write({ take: { ns: 'flow', key: 'f' }, put: [{ ns: 'flow', key: 'f', value: 2, ttlSeconds: 60 }] })).rejects.toThrow(/twice/);
        await expect(e.write({ remove: [{ ns: 'a', key: 'k' }], put: [{ ns: 'a', key: 'k', value: 2, ttlSeconds: 60 }] })).rejects.toThrow(/twice/);
        await expect(e.incrementAll([{ ns: 'rl', key: 'k', ttlSeconds: 60 }], { put: [{ ns: 'rl', key: 'k', value: 2, ttlSeconds: 60 }] })).rejects.toThrow(/twice/);
        expect(await e.get('flow', 'f')).toBe(1);
        expect(await e.get('rl', 'k')).toBeUndefined();
      });

      it('delete removes the value and tolerates a missing key', async () => {
        await loose(s.ephemeral).put('ns', 'k', 'v', 60);
        await loose(s.ephemeral).delete('ns', 'k');
        expect(await loose(s.ephemeral).get('ns', 'k')).toBeUndefined();
        await expect(loose(s.ephemeral).delete('ns', 'never')).resolves.toBeUndefined();
      });

      it('entries expire after their TTL: get, take and add all treat them as absent', async () => {
        await loose(s.ephemeral).put('exp', 'get', 'g', 1);
        await loose(s.ephemeral).put('exp', 'take', 't', 1);
        expect(await loose(s.ephemeral).add('exp', 'add', 'first', 1)).toBe(true);
        await loose(s.ephemeral).put('exp', 'long', 'l', 60);
        await loose(s.ephemeral).put('exp', 'extended', 'e1', 1);
        await loose(s.ephemeral).put('exp', 'extended', 'e2', 60); // put replaces the TTL too
        if (!fx.realTimeExpiry) {
          fx.clock.advance(999);
          expect(await loose(s.ephemeral).get('exp', 'get')).toBe('g');
          expect(await loose(s.ephemeral).add('exp', 'add', 'second', 1)).toBe(false);
          fx.clock.advance(1); // exactly at expiry: gone
        } else {
          await sleep(1200); // the only wall-clock wait in the suite
        }
        expect(await loose(s.ephemeral).get('exp', 'get')).toBeUndefined();
        expect(await loose(s.ephemeral).take('exp', 'take')).toBeUndefined();
        expect(await loose(s.ephemeral).add('exp', 'add', 'third', 60)).toBe(true);
        expect(await loose(s.ephemeral).get('exp', 'add')).toBe('third');
        expect(await loose(s.ephemeral).get('exp', 'long')).toBe('l');
        expect(await loose(s.ephemeral).get('exp', 'extended')).toBe('e2');
      });

      it('take returns the value once and only once', async () => {
        await loose(s.ephemeral).put('codes', 'c1', { grant: 'g1' }, 60);
        expect(await loose(s.ephemeral).take('codes', 'c1')).toEqual({ grant: 'g1' });
        expect(await loose(s.ephemeral).take('codes', 'c1')).toBeUndefined();
        expect(await loose(s.ephemeral).get('codes', 'c1')).toBeUndefined();
        expect(await loose(s.ephemeral).take('codes', 'never')).toBeUndefined();
      });

      it('of 20 concurrent takes of one key exactly one gets the value', async () => {
        await loose(s.ephemeral).put('codes', 'race', { n: 7 }, 60);
        const results = await Promise.all(Array.from({ length: 20 }, () => loose(s.ephemeral).take<{ n: number }>('codes', 'race')));
        const winners = results.filter((r) => r !== undefined);
        expect(winners).toEqual([{ n: 7 }]);
      });

      it('add stores only if absent, and again after delete', async () => {
        expect(await loose(s.ephemeral).add('jti', 'a', 'first', 60)).toBe(true);
        expect(await loose(s.ephemeral).add('jti', 'a', 'second', 60)).toBe(false);
        expect(await loose(s.ephemeral).get('jti', 'a')).toBe('first');
        await loose(s.ephemeral).put('jti', 'b', 'put', 60);
        expect(await loose(s.ephemeral).add('jti', 'b', 'added', 60)).toBe(false);
        await loose(s.ephemeral).delete('jti', 'a');
        expect(await loose(s.ephemeral).add('jti', 'a', 'third', 60)).toBe(true);
        expect(await loose(s.ephemeral).get('jti', 'a')).toBe('third');
      });

      it('of 20 concurrent adds of one key exactly one wins, and its value is stored', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => loose(s.ephemeral).add('jti', 'race', i, 60)));
        const winners = results.flatMap((r, i) => (r ? [i] : []));
        expect(winners).toHaveLength(1);
        expect(await loose(s.ephemeral).get('jti', 'race')).toBe(winners[0]);
      });
    });

    describe('signing keys and secrets', () => {
      it('insert, list in creation order, insert is ignored for an existing kid', async () => {
        expect(await s.keys.listSigningKeys()).toEqual([]);
        const k2 = makeKey('k2', 2000, 'current');
        const k1 = makeKey('k1', 1000, 'retired');
        k2.activatedAt = 2500;
        k1.activatedAt = 1500;
        k1.publishUntil = 9000;
        await s.keys.insertSigningKey(k2);
        await s.keys.insertSigningKey(k1);
        await s.keys.insertSigningKey({ ...makeKey('k1', 5000, 'next'), publicJwk: { kty: 'RSA', kid: 'k1', changed: true } });
        expect(await s.keys.listSigningKeys()).toEqual([k1, k2]);
      });

      it('optional times are absent, not null, when unset', async () => {
        await s.keys.insertSigningKey(makeKey('k', 1000));
        const [k] = await s.keys.listSigningKeys();
        expect(k).toEqual(makeKey('k', 1000));
        expect(k!.activatedAt).toBeUndefined();
        expect(k!.publishUntil).toBeUndefined();
      });

      it('update patches only the given fields; unknown kid is a no-op; delete removes', async () => {
        await s.keys.insertSigningKey(makeKey('k1', 1000));
        await s.keys.insertSigningKey(makeKey('k2', 2000));
        await s.keys.updateSigningKey('k1', { state: 'current', activatedAt: 1_700_000_000_000 });
        await s.keys.updateSigningKey('k1', { publishUntil: 1_800_000_000_000 });
        await s.keys.updateSigningKey('k1', { state: 'retired' });
        await s.keys.updateSigningKey('nope', { state: 'current' });
        let keys = await s.keys.listSigningKeys();
        expect(keys).toHaveLength(2);
        expect(keys[0]).toEqual({ ...makeKey('k1', 1000), state: 'retired', activatedAt: 1_700_000_000_000, publishUntil: 1_800_000_000_000 });
        expect(keys[1]).toEqual(makeKey('k2', 2000));
        await s.keys.deleteSigningKey('k1');
        await s.keys.deleteSigningKey('nope');
        keys = await s.keys.listSigningKeys();
        expect(keys.map((k) => k.kid)).toEqual(['k2']);
      });

      it('getOrCreateSecret: 10 concurrent first calls all get the same stored value', async () => {
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => s.keys.getOrCreateSecret('salt', () => `candidate-${i}-${randomUUID()}`)));
        expect(new Set(results).size).toBe(1);
        expect(results[0]).toMatch(/^candidate-\d+-/);
        expect(await s.keys.getOrCreateSecret('salt', () => 'late')).toBe(results[0]);
        expect(await s.keys.getOrCreateSecret('other', () => 'other-value')).toBe('other-value');
      });
    });

    describe('clients', () => {
      it('put/get round-trips; missing is undefined; put replaces', async () => {
        const c = makeClient('rp-1');
        await s.clients.putClient(c);
        expect(await s.clients.getClient('rp-1')).toEqual(c);
        expect(await s.clients.getClient('rp-2')).toBeUndefined();
        const changed = makeClient('rp-1');
        changed.client.client_name = 'Renamed';
        delete changed.secret_hash;
        delete changed.secret_expires_at;
        await s.clients.putClient(changed);
        expect(await s.clients.getClient('rp-1')).toEqual(changed);
      });

      it('list is ordered by client_id, hides inactive clients unless asked, filters by orgno', async () => {
        await s.clients.putClient(makeClient('b-client', { orgno: '111111111' }));
        await s.clients.putClient(makeClient('a-client', { orgno: '222222222' }));
        await s.clients.putClient(makeClient('B-upper', { orgno: '111111111' }));
        await s.clients.putClient(makeClient('c-inactive', { active: false, orgno: '111111111' }));
        const ids = (cs: StoredClient[]) => cs.map((c) => c.client.client_id);
        expect(ids(await s.clients.listClients())).toEqual(['B-upper', 'a-client', 'b-client']);
        expect(ids(await s.clients.listClients({ includeInactive: true }))).toEqual(['B-upper', 'a-client', 'b-client', 'c-inactive']);
        expect(ids(await s.clients.listClients({ orgno: '111111111' }))).toEqual(['B-upper', 'b-client']);
        expect(ids(await s.clients.listClients({ orgno: '111111111', includeInactive: true }))).toEqual(['B-upper', 'b-client', 'c-inactive']);
        expect(ids(await s.clients.listClients({ orgno: '999999999' }))).toEqual([]);
        expect(await s.clients.listClients({ orgno: '222222222' })).toEqual([makeClient('a-client', { orgno: '222222222' })]);
      });
    });

    describe('grants', () => {
      it('create/get round-trips every field; missing is undefined; revoke', async () => {
        const g = makeGrant('g1');
        await s.grants.createGrant(g);
        expect(await s.grants.getGrant('g1')).toEqual(g);
        expect(await s.grants.getGrant('nope')).toBeUndefined();
        const minimal = makeGrant('g2');
        delete minimal.pid;
        delete minimal.authorizationDetails;
        delete minimal.resource;
        await s.grants.createGrant(minimal);
        expect(await s.grants.getGrant('g2')).toEqual(minimal);
        await s.grants.revokeGrant('g1');
        expect(await s.grants.getGrant('g1')).toEqual({ ...g, revoked: true });
        expect((await s.grants.getGrant('g2'))!.revoked).toBe(false);
        await expect(s.grants.revokeGrant('nope')).resolves.toBeUndefined();
      });

      it('revokeGrantsForLogout revokes only the session grants whose scopes are only openid/profile', async () => {
        await s.grants.createGrant(makeGrant('op', { sid: 'S', scope: 'openid profile' }));
        await s.grants.createGrant(makeGrant('o', { sid: 'S', scope: 'openid' }));
        await s.grants.createGrant(makeGrant('po', { sid: 'S', scope: 'profile openid' }));
        await s.grants.createGrant(makeGrant('api', { sid: 'S', scope: 'openid profile ansattporten:altinn:service' }));
        await s.grants.createGrant(makeGrant('other-sid', { sid: 'T', scope: 'openid profile' }));
        await s.grants.createGrant(makeGrant('already', { sid: 'S', scope: 'openid', revoked: false }));
        await s.grants.createGrant(makeGrant('prefix', { sid: 'S', scope: 'openid profilex' }));
        await s.grants.revokeGrant('already');

        const ids = await s.grants.revokeGrantsForLogout('S');
        expect([...ids].sort()).toEqual(['o', 'op', 'po']);
        for (const id of ['o', 'op', 'po', 'already']) expect((await s.grants.getGrant(id))!.revoked).toBe(true);
        for (const id of ['api', 'other-sid', 'prefix']) expect((await s.grants.getGrant(id))!.revoked).toBe(false);
        expect(await s.grants.revokeGrantsForLogout('S')).toEqual([]);
        expect(await s.grants.revokeGrantsForLogout('unknown')).toEqual([]);
      });

      it('refresh tokens: put/get, replace, touch; missing is undefined', async () => {
        await s.grants.putRefreshToken('h1', { grantId: 'g1', expiresAt: 1_700_000_100_000, used: false });
        expect(await s.grants.getRefreshToken('h1')).toEqual({ grantId: 'g1', expiresAt: 1_700_000_100_000, used: false });
        expect(await s.grants.getRefreshToken('nope')).toBeUndefined();
        await s.grants.touchRefreshToken('h1', 1_700_000_200_000);
        expect(await s.grants.getRefreshToken('h1')).toEqual({ grantId: 'g1', expiresAt: 1_700_000_200_000, used: false });
        await s.grants.touchRefreshToken('nope', 1);
        expect(await s.grants.getRefreshToken('nope')).toBeUndefined();
        await s.grants.putRefreshToken('h1', { grantId: 'g2', expiresAt: 5, used: true });
        expect(await s.grants.getRefreshToken('h1')).toEqual({ grantId: 'g2', expiresAt: 5, used: true });
      });

      it('markRefreshTokenUsed is true for the first caller only', async () => {
        await s.grants.putRefreshToken('h', { grantId: 'g', expiresAt: 1_700_000_100_000, used: false });
        expect(await s.grants.markRefreshTokenUsed('h')).toBe(true);
        expect(await s.grants.markRefreshTokenUsed('h')).toBe(false);
        expect((await s.grants.getRefreshToken('h'))!.used).toBe(true);
        expect(await s.grants.markRefreshTokenUsed('missing')).toBe(false);
      });

      it('of 20 concurrent markRefreshTokenUsed calls exactly one wins', async () => {
        await s.grants.putRefreshToken('race', { grantId: 'g', expiresAt: 1_700_000_100_000, used: false });
        const results = await Promise.all(Array.from({ length: 20 }, () => s.grants.markRefreshTokenUsed('race')));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('createGrant with token records writes grant, access token and refresh token together', async () => {
        const g = makeGrant('gt');
        await s.grants.createGrant(g, {
          accessToken: { jti: 'at-1', grantId: 'gt', expiresAt: 1_700_000_100_000 },
          refreshToken: { hash: 'rt-1', rec: { grantId: 'gt', expiresAt: 1_700_000_200_000, used: false } },
        });
        expect(await s.grants.getGrant('gt')).toEqual(g);
        expect(await s.grants.getAccessTokenGrant('at-1')).toBe('gt');
        expect(await s.grants.getRefreshToken('rt-1')).toEqual({ grantId: 'gt', expiresAt: 1_700_000_200_000, used: false });
        await s.grants.createGrant(makeGrant('g-at-only'), { accessToken: { jti: 'at-2', grantId: 'g-at-only', expiresAt: 1 } });
        expect(await s.grants.getAccessTokenGrant('at-2')).toBe('g-at-only');
        // a failing grant insert (duplicate id) leaves no token records behind
        await expect(s.grants.createGrant(makeGrant('gt'), { accessToken: { jti: 'at-3', grantId: 'gt', expiresAt: 1 } })).rejects.toThrow();
        expect(await s.grants.getAccessTokenGrant('at-3')).toBeUndefined();
      });

      it('saveTokens records an access token and a rotated refresh token', async () => {
        await s.grants.createGrant(makeGrant('gs'));
        await s.grants.saveTokens({
          accessToken: { jti: 'at-s', grantId: 'gs', expiresAt: 1_700_000_100_000 },
          refreshToken: { hash: 'rt-s', rec: { grantId: 'gs', expiresAt: 1_700_000_300_000, used: false } },
        });
        expect(await s.grants.getAccessTokenGrant('at-s')).toBe('gs');
        expect(await s.grants.getRefreshToken('rt-s')).toEqual({ grantId: 'gs', expiresAt: 1_700_000_300_000, used: false });
        await s.grants.saveTokens({ accessToken: { jti: 'at-s2', grantId: 'gs', expiresAt: 1 } });
        expect(await s.grants.getAccessTokenGrant('at-s2')).toBe('gs');
      });

      it('access-token index maps jti to grant', async () => {
        await s.grants.putAccessToken('jti-1', 'g1', 1_700_000_100_000);
        await s.grants.putAccessToken('jti-2', 'g2', 1_700_000_100_000);
        expect(await s.grants.getAccessTokenGrant('jti-1')).toBe('g1');
        expect(await s.grants.getAccessTokenGrant('jti-2')).toBe('g2');
        expect(await s.grants.getAccessTokenGrant('nope')).toBeUndefined();
        await s.grants.putAccessToken('jti-1', 'g3', 1_700_000_200_000);
        expect(await s.grants.getAccessTokenGrant('jti-1')).toBe('g3');
      });
    });

    describe('audit', () => {
      it('append/list: newest first, limit, before/after round-trip, at from the clock by default', async () => {
        const audit = s.audit!;
        expect(audit).toBeDefined();
        expect(await audit.list()).toEqual([]);
        fx.clock.set(1_700_000_000_123);
        await audit.append({ actor: 'admin', action: 'client.create', target: 'rp-1', after: { client_name: 'A', scopes: ['openid'] } });
        await audit.append({ at: 1_700_000_005_456, actor: 'admin', action: 'client.update', target: 'rp-1', before: { client_name: 'A' }, after: { client_name: 'B' } });
        await audit.append({ actor: 'system', action: 'key.rotate', target: 'kid-1', before: null });

        const all = await audit.list();
        expect(all.map((e) => e.action)).toEqual(['key.rotate', 'client.update', 'client.create']);
        expect(all[0]!.id).toBeGreaterThan(all[1]!.id);
        expect(all[1]!.id).toBeGreaterThan(all[2]!.id);
        expect(all[2]).toEqual({ id: all[2]!.id, at: 1_700_000_000_123, actor: 'admin', action: 'client.create', target: 'rp-1', after: { client_name: 'A', scopes: ['openid'] } });
        expect(all[1]).toEqual({ id: all[1]!.id, at: 1_700_000_005_456, actor: 'admin', action: 'client.update', target: 'rp-1', before: { client_name: 'A' }, after: { client_name: 'B' } });
        expect(all[0]).toEqual({ id: all[0]!.id, at: 1_700_000_000_123, actor: 'system', action: 'key.rotate', target: 'kid-1' });
        expect((await audit.list({ limit: 2 })).map((e) => e.action)).toEqual(['key.rotate', 'client.update']);
      });
    });

    // --- employer rules (issue 7) ---
    describe('employer rules', () => {
      const rule = (id: string, orgno: string, created: string, over: Partial<StoredEmployerRule> = {}): StoredEmployerRule => ({
        id, orgno, match: { domain: 'alfa.example.no' }, filter: null, created, last_updated: created, ...over,
      });

      it('put/get round-trips every field (match kinds, filters, rights, name, unit_type); missing is undefined', async () => {
        const rules = s.employerRules!;
        expect(rules).toBeDefined();
        expect(await rules.list()).toEqual([]);
        const full = rule('r-full', '310000019', '2024-01-01T00:00:00.000Z', {
          match: { group: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b' }, filter: { allow: ['client-a'] }, rights: ['rapporter', 'les ✓ æøå'],
          name: 'ALFA AS', unit_type: 'AS', last_updated: '2024-02-01T00:00:00.000Z',
        });
        const deny = rule('r-deny', '310000019', '2024-01-02T00:00:00.000Z', { match: { email: 'kari@alfa.example.no' }, filter: { deny: ['x', 'y'] } });
        const minimal = rule('r-min', '310000027', '2024-01-03T00:00:00.000Z');
        for (const r of [full, deny, minimal]) await rules.put(r);
        expect(await rules.get('r-full')).toEqual(full);
        expect(await rules.get('r-deny')).toEqual(deny);
        const m = await rules.get('r-min');
        expect(m).toEqual(minimal);
        expect(m!.filter).toBeNull();
        expect('rights' in m!).toBe(false);
        expect('name' in m!).toBe(false);
        expect(await rules.get('nope')).toBeUndefined();
      });

      it('put replaces by id (orgno may change); list is ordered by orgno, created, id and filters by orgno', async () => {
        const rules = s.employerRules!;
        await rules.put(rule('b', '310000027', '2024-01-01T00:00:00.000Z'));
        await rules.put(rule('c', '310000019', '2024-01-02T00:00:00.000Z'));
        await rules.put(rule('a', '310000019', '2024-01-02T00:00:00.000Z'));
        await rules.put(rule('Z', '310000019', '2024-01-02T00:00:00.000Z'));
        await rules.put(rule('d', '310000019', '2024-01-01T00:00:00.000Z'));
        const ids = (rs: StoredEmployerRule[]) => rs.map((r) => r.id);
        expect(ids(await rules.list())).toEqual(['d', 'Z', 'a', 'c', 'b']);
        expect(ids(await rules.list({ orgno: '310000019' }))).toEqual(['d', 'Z', 'a', 'c']);
        expect(ids(await rules.list({ orgno: '310000027' }))).toEqual(['b']);
        expect(await rules.list({ orgno: '999999999' })).toEqual([]);
        const moved = rule('c', '310000027', '2024-01-02T00:00:00.000Z', { filter: { allow: ['only'] }, rights: ['r'], last_updated: '2024-03-01T00:00:00.000Z' });
        await rules.put(moved);
        expect(await rules.get('c')).toEqual(moved);
        expect(ids(await rules.list({ orgno: '310000019' }))).toEqual(['d', 'Z', 'a']);
        expect(ids(await rules.list({ orgno: '310000027' }))).toEqual(['b', 'c']);
        expect(await rules.list()).toHaveLength(5);
      });

      it('delete removes the rule and reports whether one was deleted', async () => {
        const rules = s.employerRules!;
        await rules.put(rule('x', '310000019', '2024-01-01T00:00:00.000Z'));
        await rules.put(rule('y', '310000019', '2024-01-01T00:00:00.000Z'));
        expect(await rules.delete('x')).toBe(true);
        expect(await rules.delete('x')).toBe(false);
        expect(await rules.delete('never')).toBe(false);
        expect(await rules.get('x')).toBeUndefined();
        expect((await rules.list()).map((r) => r.id)).toEqual(['y']);
      });
    });
    // --- API scopes (spec §15.4) ---
    describe('API scopes', () => {
      const scope = (name: string, owner: string, over: Partial<ApiScope> = {}): ApiScope => {
        const [prefix, subscope] = [name.slice(0, name.indexOf(':')), name.slice(name.indexOf(':') + 1)];
        return {
          name, prefix, subscope, description: `scope ${name}`, active: true, owner_orgno: owner, allowed_integration_types: ['ansattporten'],
          accessible_for_all: false, requires_pseudonymous_tokens: false, token_type: 'SELF_CONTAINED', visibility: 'PUBLIC',
          created: '2024-01-01T00:00:00.000Z', last_updated: '2024-01-01T00:00:00.000Z', ...over,
        };
      };

      it('scopes: put/get round-trips every field, add inserts only once, put replaces, list orders by name and filters', async () => {
        const store = s.scopes!;
        expect(store).toBeDefined();
        expect(await store.listScopes()).toEqual([]);
        const full = scope('beta:les.æøå', '310000019', {
          long_description: 'lang ✓', at_max_age: 60, authorization_max_lifetime: 3600, token_type: 'OPAQUE', visibility: 'PRIVATE',
          requires_pseudonymous_tokens: true, accessible_for_all: true, allowed_integration_types: [],
        });
        expect(await store.addScope(full)).toBe(true);
        expect(await store.addScope({ ...full, description: 'second' })).toBe(false);
        expect(await store.getScope('beta:les.æøå')).toEqual(full);
        const minimal = scope('alfa:skriv', '310000027');
        await store.putScope(minimal);
        const m = await store.getScope('alfa:skriv');
        expect(m).toEqual(minimal);
        expect('at_max_age' in m!).toBe(false);
        await store.putScope(scope('beta:Z', '310000019'));
        await store.putScope(scope('beta:a', '310000019'));
        expect((await store.listScopes()).map((x) => x.name)).toEqual(['alfa:skriv', 'beta:Z', 'beta:a', 'beta:les.æøå']);
        expect((await store.listScopes({ prefix: 'beta' })).map((x) => x.name)).toEqual(['beta:Z', 'beta:a', 'beta:les.æøå']);
        expect((await store.listScopes({ owner_orgno: '310000027' })).map((x) => x.name)).toEqual(['alfa:skriv']);
        expect(await store.listScopes({ prefix: 'none' })).toEqual([]);
        const changed = { ...minimal, active: false, description: 'changed', last_updated: '2024-02-01T00:00:00.000Z' };
        await store.putScope(changed);
        expect(await store.getScope('alfa:skriv')).toEqual(changed);
        expect(await store.getScope('nope:x')).toBeUndefined();
      });

      it('prefixes: the first add wins, list orders by prefix and filters by owner', async () => {
        const store = s.scopes!;
        expect(await store.addPrefix({ prefix: 'beta', owner_orgno: '310000019', created: '2024-01-01T00:00:00.000Z' })).toBe(true);
        expect(await store.addPrefix({ prefix: 'beta', owner_orgno: '310000027', created: '2024-01-02T00:00:00.000Z' })).toBe(false);
        expect(await store.addPrefix({ prefix: 'alfa', owner_orgno: '310000027', created: '2024-01-03T00:00:00.000Z' })).toBe(true);
        expect(await store.getPrefix('beta')).toEqual({ prefix: 'beta', owner_orgno: '310000019', created: '2024-01-01T00:00:00.000Z' });
        expect(await store.getPrefix('gamma')).toBeUndefined();
        expect((await store.listPrefixes()).map((p) => p.prefix)).toEqual(['alfa', 'beta']);
        expect(await store.listPrefixes({ owner_orgno: '310000019' })).toEqual([{ prefix: 'beta', owner_orgno: '310000019', created: '2024-01-01T00:00:00.000Z' }]);
        // concurrent claims of one prefix: exactly one succeeds
        const results = await Promise.all(['310000035', '310000043', '310000051'].map((o) => store.addPrefix({ prefix: 'race', owner_orgno: o, created: '2024-01-04T00:00:00.000Z' })));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('access entries: put/get by scope and consumer, put replaces the state, list filters and orders', async () => {
        const store = s.scopes!;
        const entry = (sc: string, consumer: string, state: ScopeAccess['state']): ScopeAccess => ({
          scope: sc, consumer_orgno: consumer, owner_orgno: '310000019', state, created: '2024-01-01T00:00:00.000Z', last_updated: '2024-01-01T00:00:00.000Z',
        });
        await store.putAccess(entry('beta:b', '310000035', 'APPROVED'));
        await store.putAccess(entry('beta:a', '310000035', 'REQUESTED'));
        await store.putAccess(entry('beta:a', '310000027', 'APPROVED'));
        expect(await store.getAccess('beta:a', '310000035')).toEqual(entry('beta:a', '310000035', 'REQUESTED'));
        expect(await store.getAccess('beta:a', '310000043')).toBeUndefined();
        const key = (xs: ScopeAccess[]) => xs.map((a) => `${a.scope}/${a.consumer_orgno}/${a.state}`);
        expect(key(await store.listAccess())).toEqual(['beta:a/310000027/APPROVED', 'beta:a/310000035/REQUESTED', 'beta:b/310000035/APPROVED']);
        expect(key(await store.listAccess({ scope: 'beta:a' }))).toEqual(['beta:a/310000027/APPROVED', 'beta:a/310000035/REQUESTED']);
        expect(key(await store.listAccess({ consumer_orgno: '310000035' }))).toEqual(['beta:a/310000035/REQUESTED', 'beta:b/310000035/APPROVED']);
        expect(key(await store.listAccess({ scope: 'beta:b', consumer_orgno: '310000027' }))).toEqual([]);
        await store.putAccess({ ...entry('beta:a', '310000035', 'DENIED'), last_updated: '2024-03-01T00:00:00.000Z' });
        expect(await store.getAccess('beta:a', '310000035')).toMatchObject({ state: 'DENIED', last_updated: '2024-03-01T00:00:00.000Z' });
        expect(await store.listAccess()).toHaveLength(3);
      });
    });
  });
}
