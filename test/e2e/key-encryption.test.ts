/**
 * Signing keys at rest, end to end: file modes of the data directory, no private key material in
 * the SQLite file, migration of keys stored in the clear, a wrong key-encryption key refusing to
 * start (exit 2 from the real process), production without a key-encryption key refusing, and
 * `ansattporten keys rewrap` moving the keys to a new key.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config.js';
import { createSqliteStores } from '../../src/store/sqlite/sqlite-store.js';
import { GENERATED_KEK_FILE, isEnvelope } from '../../src/tokens/key-encryption.js';
import { generateSigningKey } from '../../src/tokens/signing-keys.js';
import { http } from './checks.js';
import { startServer } from './harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'ap-kek-e2e-')); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const jwksKids = async (issuer: string) => ((await http(`${issuer}/jwks`)).json?.keys ?? (await http((await http(`${issuer}/.well-known/openid-configuration`)).json.jwks_uri)).json.keys).map((k: { kid: string }) => k.kid).sort();

function run(cmd: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; out: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['CONFIG_FILE', 'DATABASE_URL', 'DATABASE_SCHEMA', 'REDIS_URL', 'REDIS_PREFIX', 'CLIENTS_FILE', 'FIXTURES_FILE', 'NODE_ENV', 'KEY_ENCRYPTION_KEY', 'KEY_ENCRYPTION_KEY_FILE']) delete childEnv[k];
  Object.assign(childEnv, env);
  return new Promise((res) => {
    const child = spawn(process.execPath, cmd, { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => { clearTimeout(t); res({ code, out }); });
  });
}

function storedPrivateKeys(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'ansattporten.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT private_jwk FROM signing_keys').all() as { private_jwk: string }[]).map((r) => r.private_jwk);
  } finally {
    db.close();
  }
}

describe('signing keys protected at rest', () => {
  it('data directory 0700, database and generated key file 0600, only envelopes in the database', async () => {
    const dataDir = join(tmp(), 'data');
    const s = await startServer({ dataDir, keepData: true }); // the directory does not exist yet
    try {
      expect((await jwksKids(s.issuer)).length).toBeGreaterThan(0);
    } finally {
      await s.close();
    }
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'ansattporten.sqlite')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, GENERATED_KEK_FILE)).mode & 0o777).toBe(0o600);
    const stored = storedPrivateKeys(dataDir);
    expect(stored.length).toBeGreaterThanOrEqual(2);
    for (const j of stored) {
      expect(isEnvelope(JSON.parse(j))).toBe(true);
      expect(j).not.toMatch(/"(d|p|q|dp|dq|qi)"/);
    }
    const bytes = readFileSync(join(dataDir, 'ansattporten.sqlite')).toString('latin1');
    expect(bytes).not.toMatch(/"dq":"/);
  });

  it('keys stored in the clear by an older version are encrypted at the first start and keep signing', async () => {
    const dataDir = tmp();
    const clock = { now: () => Date.now() };
    const old = createSqliteStores(join(dataDir, 'ansattporten.sqlite'), clock);
    const current = await generateSigningKey(clock, 'current');
    const next = await generateSigningKey(clock, 'next');
    await old.keys.insertSigningKey(current);
    await old.keys.insertSigningKey(next);
    await old.close();
    expect(storedPrivateKeys(dataDir).some((j) => j.includes('"d":'))).toBe(true);

    const s = await startServer({ dataDir, keepData: true });
    try {
      expect(await jwksKids(s.issuer)).toEqual([current.kid, next.kid].sort());
    } finally {
      await s.close();
    }
    for (const j of storedPrivateKeys(dataDir)) expect(isEnvelope(JSON.parse(j))).toBe(true);
  });

  it('a wrong key-encryption key refuses to start with a clear error (exit 2), and rewrap moves the keys to a new key', async () => {
    const dataDir = tmp();
    const keyA = Buffer.alloc(32, 0xa).toString('base64');
    const s = await startServer({ dataDir, keepData: true, env: { KEY_ENCRYPTION_KEY: keyA } });
    const kids = await jwksKids(s.issuer);
    await s.close();

    const keyB = Buffer.alloc(32, 0xb).toString('base64');
    await expect(startServer({ dataDir, keepData: true, env: { KEY_ENCRYPTION_KEY: keyB } })).rejects.toThrow(/encrypted under key-encryption key/);
    // the generated file (no KEY_ENCRYPTION_KEY) is another key too
    await expect(startServer({ dataDir, keepData: true })).rejects.toThrow(ConfigError);

    const wrong = await run(['--import', 'tsx', 'src/main.ts'], { PORT: '0', DATA_DIR: dataDir, KEY_ENCRYPTION_KEY: keyB, LOG_LEVEL: 'warn' });
    expect(wrong.code).toBe(2);
    expect(wrong.out).toMatch(/encrypted under key-encryption key .* start with the key-encryption key the keys were stored under/);
    expect(wrong.out).not.toMatch(/\n\s+at /); // no stack trace

    // rewrap with the CLI: from A (environment) to the key in file F
    const f = join(tmp(), 'new.key');
    writeFileSync(f, `${keyB}\n`, { mode: 0o600 });
    const rewrap = await run(['bin/ansattporten.mjs', 'keys', 'rewrap', '--new-key-file', f], { DATA_DIR: dataDir, KEY_ENCRYPTION_KEY: keyA });
    expect(rewrap.out).toMatch(/re-encrypted \d+ signing key/);
    expect(rewrap.code).toBe(0);
    const usage = await run(['bin/ansattporten.mjs', 'keys', 'rewrap'], { DATA_DIR: dataDir, KEY_ENCRYPTION_KEY: keyA });
    expect(usage.code).toBe(2);

    await expect(startServer({ dataDir, keepData: true, env: { KEY_ENCRYPTION_KEY: keyA } })).rejects.toThrow(/encrypted under key-encryption key/);
    const after = await startServer({ dataDir, keepData: true, env: { KEY_ENCRYPTION_KEY_FILE: f } });
    try {
      expect(await jwksKids(after.issuer)).toEqual(kids);
    } finally {
      await after.close();
    }
  }, 120_000);

  it('production mode refuses to start without a key-encryption key', async () => {
    await expect(startServer({ env: { NODE_ENV: 'production', ISSUER: 'https://login.example.test', KEY_ENCRYPTION_KEY: '' } }))
      .rejects.toThrow(/production mode needs a key-encryption key/);
    const r = await run(['--import', 'tsx', 'src/main.ts'], { PORT: '0', DATA_DIR: tmp(), NODE_ENV: 'production', ISSUER: 'https://login.example.test' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/KEY_ENCRYPTION_KEY/);
  }, 60_000);
});
