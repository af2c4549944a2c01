/**
 * The real entry point with an upstream eID on an http issuer off loopback and no allow_insecure:
 * exit code 2 and one line naming the eID, before anything listens (src/eid/upstream/upstream-issuer-rule.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function run(configFile: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['CONFIG_FILE', 'DATABASE_URL', 'DATABASE_SCHEMA', 'REDIS_URL', 'REDIS_PREFIX', 'CLIENTS_FILE', 'FIXTURES_FILE', 'NODE_ENV', 'HOST', 'PORT', 'LOG_LEVEL', 'EPHEMERAL_STORE', 'TRUST_PROXY']) delete env[k];
  Object.assign(env, { PORT: '0', DATA_DIR: resolve(ROOT, 'data-never-created'), CONFIG_FILE: configFile });
  return new Promise((res, rej) => {
    const child = spawn('npx', ['tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); rej(new Error(`did not exit:\n${stdout}\n${stderr}`)); }, 60_000);
    child.on('exit', (code) => { clearTimeout(timer); res({ code, stdout, stderr }); });
  });
}

describe('npx tsx src/main.ts with an http upstream eID off loopback', () => {
  it('exit 2 naming the eID, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ap-upstream-cfg-'));
    try {
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ eids: [{ id: 'corp', preset: 'oidc', issuer: 'http://idp.corp.example', client_id: 'c', client_secret: 's' }] }));
      const r = await run(file);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim()).toBe('ansattporten: configuration error: eids: the upstream eID "corp" has an http issuer that is not on a loopback address ("http://idp.corp.example"): use https, or set allow_insecure: true for a test upstream (never in production)');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
