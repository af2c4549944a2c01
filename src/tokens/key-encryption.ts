/**
 * Private signing keys at rest: envelope encryption above the store. Every adapter (SQLite,
 * PostgreSQL) keeps `privateJwk` as JSON; this module puts an envelope there instead of the JWK:
 *
 *   { "enc": "A256GCM", "kek": "<key-encryption key id>", "iv": b64url(12 bytes), "ct": b64url, "tag": b64url }
 *
 * AES-256-GCM (NIST SP 800-38D) with a random 96-bit IV per encryption and the kid as additional
 * authenticated data, so an envelope moved to another key record does not decrypt. The
 * key-encryption key (KEK) comes from KEY_ENCRYPTION_KEY (base64, 32 bytes) or the file named by
 * KEY_ENCRYPTION_KEY_FILE; production mode refuses to start without one. Outside production a
 * KEK is generated once into DATA_DIR (mode 0600) so `npm start` stays one command.
 *
 * EncryptedKeyStore wraps any KeyStore: writes encrypt, reads decrypt, so no adapter changes.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/config.js';
import { secureDir } from '../store/file-permissions.js';
import type { KeyStore, SigningKeyRecord, Stores } from '../store/ports.js';

export const GENERATED_KEK_FILE = 'key-encryption.key';
const ENC = 'A256GCM';

/** A key-encryption key and a short id of it (stored with each envelope to name the KEK in errors). */
export interface Kek {
  key: Buffer;
  id: string;
  /** Where it came from, for messages: "KEY_ENCRYPTION_KEY", a file path. */
  source: string;
}

export interface Envelope {
  enc: typeof ENC;
  kek: string;
  iv: string;
  ct: string;
  tag: string;
}

/** The stored key could not be decrypted: wrong KEK, or a tampered record (a configuration error: exit 2). */
export class KeyEncryptionError extends ConfigError {
  override name = 'KeyEncryptionError';
}

export function kekId(key: Buffer): string {
  return createHash('sha256').update('ansattporten key-encryption key\0').update(key).digest('base64url').slice(0, 16);
}

/** Parse a KEK: base64 (or base64url) text of exactly 32 bytes; a file may also hold the 32 raw bytes. */
export function parseKek(value: string | Buffer, source: string): Kek {
  let key: Buffer | undefined;
  if (Buffer.isBuffer(value) && value.length === 32) key = value;
  else {
    const text = (Buffer.isBuffer(value) ? value.toString('utf8') : value).trim();
    if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
      const b = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
      if (b.length === 32) key = b;
    }
  }
  if (!key) throw new ConfigError(`${source}: the key-encryption key must be 32 bytes, base64-encoded (e.g. \`openssl rand -base64 32\`)`);
  return { key, id: kekId(key), source };
}

/**
 * The KEK from the environment (KEY_ENCRYPTION_KEY, else KEY_ENCRYPTION_KEY_FILE). Without either:
 * production mode throws ConfigError; otherwise the generated file in dataDir is used (and created
 * 0600 in a 0700 directory on first use).
 */
export function resolveKek(opts: { key?: string | undefined; file?: string | undefined; production: boolean; dataDir: string }): Kek {
  if (opts.key) return parseKek(opts.key, 'KEY_ENCRYPTION_KEY');
  if (opts.file) return readKekFile(opts.file);
  if (opts.production) {
    throw new ConfigError('production mode needs a key-encryption key for the signing keys: set KEY_ENCRYPTION_KEY (base64 of 32 random bytes) or KEY_ENCRYPTION_KEY_FILE');
  }
  const file = join(opts.dataDir, GENERATED_KEK_FILE);
  if (!existsSync(file)) {
    secureDir(opts.dataDir);
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process made it first
    }
  }
  return readKekFile(file);
}

/**
 * Wrap `stores.keys` in an EncryptedKeyStore under the configured KEK (idempotent) and return it.
 * Call once after the stores are opened, before anything reads or writes signing keys.
 */
export function protectSigningKeys(
  stores: Stores,
  config: { keyEncryptionKey?: string | undefined; keyEncryptionKeyFile?: string | undefined; production: boolean; dataDir: string },
): EncryptedKeyStore {
  if (stores.keys instanceof EncryptedKeyStore) return stores.keys;
  const kek = resolveKek({ key: config.keyEncryptionKey, file: config.keyEncryptionKeyFile, production: config.production, dataDir: config.dataDir });
  const wrapped = new EncryptedKeyStore(stores.keys, kek);
  stores.keys = wrapped;
  return wrapped;
}

export function readKekFile(path: string): Kek {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw new ConfigError(`cannot read the key-encryption key file ${path}: ${(e as Error).message}`);
  }
  return parseKek(raw, path);
}

export function isEnvelope(v: unknown): v is Envelope {
  const o = v as Record<string, unknown> | null;
  return !!o && typeof o === 'object' && o.enc === ENC && typeof o.kek === 'string' && typeof o.iv === 'string' && typeof o.ct === 'string' && typeof o.tag === 'string';
}

export function encryptJwk(jwk: Record<string, unknown>, kid: string, kek: Kek): Envelope {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek.key, iv);
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const ct = Buffer.concat([cipher.update(JSON.stringify(jwk), 'utf8'), cipher.final()]);
  return { enc: ENC, kek: kek.id, iv: iv.toString('base64url'), ct: ct.toString('base64url'), tag: cipher.getAuthTag().toString('base64url') };
}

export function decryptJwk(env: Envelope, kid: string, kek: Kek): Record<string, unknown> {
  if (env.kek !== kek.id) {
    throw new KeyEncryptionError(`signing key ${kid} is encrypted under key-encryption key ${env.kek}, but the configured key (${kek.source}) is ${kek.id}: start with the key-encryption key the keys were stored under (or move them with \`ansattporten keys rewrap\`)`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek.key, Buffer.from(env.iv, 'base64url'));
    decipher.setAAD(Buffer.from(kid, 'utf8'));
    decipher.setAuthTag(Buffer.from(env.tag, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(env.ct, 'base64url')), decipher.final()]).toString('utf8');
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new KeyEncryptionError(`signing key ${kid} cannot be decrypted with the configured key-encryption key (${kek.source}): the record was altered or belongs to another key`);
  }
}

/** A KeyStore whose private keys are encrypted at rest under `kek`. */
export class EncryptedKeyStore implements KeyStore {
  constructor(private readonly inner: KeyStore, private readonly kek: Kek) {}

  async listSigningKeys(): Promise<SigningKeyRecord[]> {
    return (await this.inner.listSigningKeys()).map((k) => {
      if (isEnvelope(k.privateJwk)) return { ...k, privateJwk: decryptJwk(k.privateJwk, k.kid, this.kek) };
      // Not yet migrated (written by an older version): usable, and encrypted by migrate().
      return k;
    });
  }

  insertSigningKey(key: SigningKeyRecord): Promise<void> {
    return this.inner.insertSigningKey({ ...key, privateJwk: encryptJwk(key.privateJwk, key.kid, this.kek) as unknown as Record<string, unknown> });
  }

  updateSigningKey(kid: string, patch: Parameters<KeyStore['updateSigningKey']>[1]): Promise<void> {
    return this.inner.updateSigningKey(kid, patch);
  }

  deleteSigningKey(kid: string): Promise<void> {
    return this.inner.deleteSigningKey(kid);
  }

  getOrCreateSecret(name: string, create: () => string): Promise<string> {
    return this.inner.getOrCreateSecret(name, create);
  }

  /**
   * Encrypt keys stored in the clear (first start after upgrading) and check that every stored
   * key decrypts (a wrong KEK fails here, at start, with KeyEncryptionError). Returns the kids
   * encrypted now. Run it under the key-init lock: the port has no in-place update of a private
   * key, so a key is re-inserted (delete + insert of the same record).
   */
  async migrate(): Promise<string[]> {
    const done: string[] = [];
    for (const k of await this.inner.listSigningKeys()) {
      if (isEnvelope(k.privateJwk)) {
        decryptJwk(k.privateJwk, k.kid, this.kek);
        continue;
      }
      await this.replace(k, encryptJwk(k.privateJwk, k.kid, this.kek));
      done.push(k.kid);
    }
    return done;
  }

  private async replace(k: SigningKeyRecord, privateJwk: Envelope): Promise<void> {
    await this.inner.deleteSigningKey(k.kid);
    await this.inner.insertSigningKey({ ...k, privateJwk: privateJwk as unknown as Record<string, unknown> });
  }

  /** Move every key to `next` (the `keys rewrap` command); returns the kids moved. */
  async rewrap(next: Kek): Promise<string[]> {
    const records = await this.inner.listSigningKeys();
    // decrypt all first: a key that does not decrypt stops the command before anything changes
    const plain = records.map((k) => ({ k, jwk: isEnvelope(k.privateJwk) ? decryptJwk(k.privateJwk, k.kid, this.kek) : k.privateJwk }));
    const moved: string[] = [];
    for (const { k, jwk } of plain) {
      if (isEnvelope(k.privateJwk) && k.privateJwk.kek === next.id) continue;
      await this.replace(k, encryptJwk(jwk, k.kid, next));
      moved.push(k.kid);
    }
    return moved;
  }
}
