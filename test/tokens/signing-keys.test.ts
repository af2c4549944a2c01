import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { Stores } from '../../src/store/ports.js';
import { createSqliteStores } from '../../src/store/sqlite/sqlite-store.js';
import { KeyRotation } from '../../src/tokens/key-rotation.js';
import { SigningKeys } from '../../src/tokens/signing-keys.js';

const DAY = 24 * 3600_000;

describe('SigningKeys.sign and signAll (real SQLite key store)', () => {
  let dir: string;
  let stores: Stores;
  let clock: ManualClock;
  let keys: SigningKeys;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ap-sign-'));
    clock = new ManualClock(Date.UTC(2030, 0, 1));
    stores = createSqliteStores(join(dir, 'db.sqlite'), clock);
    await new KeyRotation(stores.keys, clock, { rotateAfterMs: 90 * DAY, publishAheadMs: DAY, keepRetiredMs: 2 * DAY }).ensureKeys();
    keys = new SigningKeys(stores.keys, clock);
    await keys.init();
  });
  afterEach(async () => {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const iat = () => Math.floor(clock.now() / 1000);
  /** Verifies as a client would: RS256 against the published JWKS, with the expected typ. */
  const verify = async (jwt: string, typ: string) =>
    (await jwtVerify(jwt, createLocalJWKSet(JSON.parse(keys.jwks()) as JSONWebKeySet), { algorithms: ['RS256'], typ, currentDate: new Date(clock.now()) })).payload;

  it('signs every item of a response, in the order given, each with its own typ and the current kid', async () => {
    const [at, id] = await keys.signAll([
      { payload: { sub: 'a', jti: 'access', iat: iat(), exp: iat() + 60 }, typ: 'at+jwt' },
      { payload: { sub: 'a', jti: 'id', iat: iat(), exp: iat() + 60 }, typ: 'JWT' },
    ]);
    expect((await verify(at!, 'at+jwt')).jti).toBe('access');
    expect((await verify(id!, 'JWT')).jti).toBe('id');
    for (const jwt of [at!, id!]) expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', kid: keys.currentKid, typ: expect.any(String) });
  });

  it('gives the same JWS shape as sign (header and payload byte for byte, signature valid)', async () => {
    const payload = { sub: 'b', aud: 'c', iat: iat(), exp: iat() + 60, nested: { æ: 'ø' } };
    const [viaAll] = await keys.signAll([{ payload, typ: 'JWT' }, { payload, typ: 'JWT' }]);
    const viaSign = await keys.sign(payload, 'JWT');
    // RSASSA-PKCS1-v1_5 is deterministic: the same input and key give the same signature.
    expect(viaAll).toBe(viaSign);
    expect(await verify(viaAll!, 'JWT')).toEqual(payload);
  });

  it('signs one item or none', async () => {
    expect(await keys.signAll([])).toEqual([]);
    const [one] = await keys.signAll([{ payload: { sub: 'c', iat: iat(), exp: iat() + 60 }, typ: 'logout+jwt' }]);
    expect((await verify(one!, 'logout+jwt')).sub).toBe('c');
  });

  it('rejects (leaving nothing running) when no key has been loaded', async () => {
    const bare = new SigningKeys(stores.keys, clock);
    const items = [{ payload: { sub: 'x' }, typ: 'at+jwt' }, { payload: { sub: 'y' }, typ: 'JWT' }];
    await expect(bare.signAll(items)).rejects.toThrow('signing keys not initialised');
    await expect(bare.sign({ sub: 'x' })).rejects.toThrow('signing keys not initialised');
  });
});
