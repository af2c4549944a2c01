import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config.js';
import { createPostgresStores } from '../../src/store/postgres/postgres-store.js';
import { createSqliteStores } from '../../src/store/sqlite/sqlite-store.js';
import { secureSqliteFile } from '../../src/store/file-permissions.js';
import {
  decryptJwk, EncryptedKeyStore, encryptJwk, GENERATED_KEK_FILE, isEnvelope, KeyEncryptionError, parseKek, resolveKek,
} from '../../src/tokens/key-encryption.js';
import { generateSigningKey } from '../../src/tokens/signing-keys.js';
import { dropSchema, randomSchema } from '../store/pg-test-helpers.js';

const clock = { now: () => Date.UTC(2026, 0, 1) };
const kekA = parseKek(Buffer.alloc(32, 1).toString('base64'), 'A');
const kekB = parseKek(Buffer.alloc(32, 2).toString('base64'), 'B');
const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'ap-kek-')); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('envelope encryption', () => {
  const jwk = { kty: 'RSA', d: 'secret-d', n: 'n', e: 'AQAB' };

  it('round-trips; AES-256-GCM with a fresh 96-bit IV each time; no clear text in the envelope', () => {
    const a = encryptJwk(jwk, 'kid-1', kekA);
    const b = encryptJwk(jwk, 'kid-1', kekA);
    expect(Buffer.from(a.iv, 'base64url')).toHaveLength(12);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
    expect(JSON.stringify(a)).not.toContain('secret-d');
    expect(a).toMatchObject({ enc: 'A256GCM', kek: kekA.id });
    expect(decryptJwk(a, 'kid-1', kekA)).toEqual(jwk);
  });

  it('the kid is authenticated: an envelope moved to another kid does not decrypt', () => {
    expect(() => decryptJwk(encryptJwk(jwk, 'kid-1', kekA), 'kid-2', kekA)).toThrow(KeyEncryptionError);
  });

  it('a tampered ciphertext or tag does not decrypt', () => {
    const e = encryptJwk(jwk, 'k', kekA);
    const flip = (s: string) => { const b = Buffer.from(s, 'base64url'); b[0]! ^= 1; return b.toString('base64url'); };
    expect(() => decryptJwk({ ...e, ct: flip(e.ct) }, 'k', kekA)).toThrow(/altered/);
    expect(() => decryptJwk({ ...e, tag: flip(e.tag) }, 'k', kekA)).toThrow(/altered/);
  });

  it('a wrong key-encryption key is named in the error (and is a configuration error)', () => {
    const err = (() => { try { decryptJwk(encryptJwk(jwk, 'k', kekA), 'k', kekB); } catch (e) { return e as Error; } return undefined; })()!;
    expect(err).toBeInstanceOf(KeyEncryptionError);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(kekA.id);
    expect(err.message).toContain(kekB.id);
    // same id, other bytes (forged id): still refused by GCM
    expect(() => decryptJwk(encryptJwk(jwk, 'k', kekA), 'k', { ...kekB, id: kekA.id })).toThrow(KeyEncryptionError);
  });

  it('parses base64, base64url and raw 32-byte keys; refuses other lengths', () => {
    const raw = Buffer.alloc(32, 9);
    expect(parseKek(raw.toString('base64'), 'x').key).toEqual(raw);
    expect(parseKek(raw.toString('base64url'), 'x').key).toEqual(raw);
    expect(parseKek(raw, 'x').key).toEqual(raw);
    expect(parseKek(`${raw.toString('base64')}\n`, 'x').key).toEqual(raw);
    expect(() => parseKek(Buffer.alloc(16).toString('base64'), 'KEY_ENCRYPTION_KEY')).toThrow(/KEY_ENCRYPTION_KEY.*32 bytes/);
    expect(() => parseKek('not base64 !', 'x')).toThrow(ConfigError);
  });
});

describe('resolveKek', () => {
  it('production mode refuses to start without a key-encryption key', () => {
    expect(() => resolveKek({ production: true, dataDir: tmp() })).toThrow(/production mode needs a key-encryption key/);
  });

  it('outside production a key file is generated 0600 in a 0700 data directory and reused', () => {
    const dir = join(tmp(), 'data');
    const a = resolveKek({ production: false, dataDir: dir });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, GENERATED_KEK_FILE)).mode & 0o777).toBe(0o600);
    expect(resolveKek({ production: false, dataDir: dir }).id).toBe(a.id);
  });

  it('KEY_ENCRYPTION_KEY wins over KEY_ENCRYPTION_KEY_FILE; the file is read when given', () => {
    const f = join(tmp(), 'kek');
    writeFileSync(f, Buffer.alloc(32, 2).toString('base64'));
    expect(resolveKek({ file: f, production: true, dataDir: tmp() }).id).toBe(kekB.id);
    expect(resolveKek({ key: Buffer.alloc(32, 1).toString('base64'), file: f, production: true, dataDir: tmp() }).id).toBe(kekA.id);
    expect(() => resolveKek({ file: join(tmp(), 'missing'), production: true, dataDir: tmp() })).toThrow(/cannot read the key-encryption key file/);
  });
});

describe('EncryptedKeyStore on SQLite', () => {
  it('stores no private key material in the database file; reads decrypt; migrate encrypts old clear-text keys; rewrap moves keys', async () => {
    const dir = tmp();
    const path = join(dir, 'ansattporten.sqlite');
    secureSqliteFile(path);
    const stores = createSqliteStores(path, clock);
    try {
      // a key written in the clear by an older version
      const old = await generateSigningKey(clock, 'current');
      await stores.keys.insertSigningKey(old);
      const store = new EncryptedKeyStore(stores.keys, kekA);
      const fresh = await generateSigningKey(clock, 'next');
      await store.insertSigningKey(fresh);
      expect(await store.migrate()).toEqual([old.kid]);
      stores.db.pragma('wal_checkpoint(TRUNCATE)');

      const raw = (stores.db.prepare('SELECT kid, private_jwk FROM signing_keys').all() as { kid: string; private_jwk: string }[]);
      for (const r of raw) {
        expect(isEnvelope(JSON.parse(r.private_jwk))).toBe(true);
        expect(r.private_jwk).not.toMatch(/"(d|p|q|dp|dq|qi)"/);
      }
      const fileBytes = readFileSync(path).toString('latin1');
      for (const k of [old, fresh]) expect(fileBytes).not.toContain(k.privateJwk.d as string);
      expect((await store.listSigningKeys()).map((k) => k.privateJwk.d).sort()).toEqual([old.privateJwk.d, fresh.privateJwk.d].sort());
      // state, times and public keys survive the migration
      expect((await store.listSigningKeys()).find((k) => k.kid === old.kid)).toMatchObject({ state: 'current', createdAt: old.createdAt, activatedAt: old.activatedAt, publicJwk: old.publicJwk });

      // a wrong key-encryption key refuses
      await expect(new EncryptedKeyStore(stores.keys, kekB).migrate()).rejects.toThrow(KeyEncryptionError);
      await expect(new EncryptedKeyStore(stores.keys, kekB).listSigningKeys()).rejects.toThrow(/encrypted under key-encryption key/);

      // rewrap: afterwards B reads them, A no longer does
      expect((await store.rewrap(kekB)).sort()).toEqual([old.kid, fresh.kid].sort());
      const underB = new EncryptedKeyStore(stores.keys, kekB);
      expect((await underB.listSigningKeys()).map((k) => k.privateJwk.d).sort()).toEqual([old.privateJwk.d, fresh.privateJwk.d].sort());
      await expect(store.listSigningKeys()).rejects.toThrow(KeyEncryptionError);
      expect(await underB.rewrap(kekB)).toEqual([]);
    } finally {
      await stores.close();
    }
  });

  it('the database file is 0600 in a 0700 directory, also its WAL', async () => {
    const dir = join(tmp(), 'nested');
    const path = join(dir, 'ansattporten.sqlite');
    secureSqliteFile(path);
    const stores = createSqliteStores(path, clock);
    try {
      await stores.keys.getOrCreateSecret('x', () => 'y');
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
    } finally {
      await stores.close();
    }
  });
});

const DATABASE_URL = process.env.DATABASE_URL;
describe.skipIf(!DATABASE_URL)('EncryptedKeyStore on PostgreSQL', () => {
  it('the signing_keys table holds envelopes only; a wrong key refuses', async () => {
    const schema = randomSchema();
    const stores = await createPostgresStores(DATABASE_URL!, clock, { schema });
    try {
      const store = new EncryptedKeyStore(stores.keys, kekA);
      const key = await generateSigningKey(clock, 'current');
      await store.insertSigningKey(key);
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT private_jwk::text AS j FROM "${schema}".signing_keys`);
        expect(rows).toHaveLength(1);
        expect(rows[0].j).not.toContain(key.privateJwk.d as string);
        expect(isEnvelope(JSON.parse(rows[0].j))).toBe(true);
      } finally {
        await client.end();
      }
      expect((await store.listSigningKeys())[0]!.privateJwk).toEqual(key.privateJwk);
      await expect(new EncryptedKeyStore(stores.keys, kekB).migrate()).rejects.toThrow(KeyEncryptionError);
    } finally {
      await stores.close();
      await dropSchema(DATABASE_URL!, schema);
    }
  });
});
