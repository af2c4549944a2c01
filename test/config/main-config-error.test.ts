/**
 * The real entry point (`npx tsx src/main.ts`) with a bad environment variable: exit code 2, one
 * line on stderr naming the variable and the allowed values, no stack trace, nothing listening.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function run(extra: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['CONFIG_FILE', 'DATABASE_URL', 'DATABASE_SCHEMA', 'REDIS_URL', 'REDIS_PREFIX', 'CLIENTS_FILE', 'FIXTURES_FILE', 'NODE_ENV', 'HOST', 'PORT', 'LOG_LEVEL', 'EPHEMERAL_STORE', 'TRUST_PROXY']) delete env[k];
  Object.assign(env, { PORT: '0', DATA_DIR: resolve(ROOT, 'data-never-created'), ...extra });
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

describe('npx tsx src/main.ts with a bad environment variable', () => {
  it('LOG_LEVEL=verbose: exit 2, the variable and the allowed values on stderr, no stack trace', async () => {
    const r = await run({ LOG_LEVEL: 'verbose' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toBe('ansattporten: configuration error: LOG_LEVEL: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent" (got "verbose")');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).not.toContain('issuer:');
  }, 90_000);

  it('EPHEMERAL_STORE=typo and HOST=not a host: exit 2 naming the variable', async () => {
    const a = await run({ EPHEMERAL_STORE: 'typo' });
    expect(a.code, a.stderr).toBe(2);
    expect(a.stderr).toContain('EPHEMERAL_STORE: Invalid option: expected one of "memory"|"sqlite" (got "typo")');
    expect(a.stderr).not.toMatch(/\n\s+at /);
    const b = await run({ HOST: 'not a host' });
    expect(b.code, b.stderr).toBe(2);
    expect(b.stderr).toContain('HOST: must be an IP address or a host name (got "not a host")');
  }, 120_000);

  it('production with a weak ADMIN_TOKEN: exit 2 naming ADMIN_TOKEN', async () => {
    const r = await run({ NODE_ENV: 'production', ISSUER: 'https://login.example.test', ADMIN_TOKEN: 'a'.repeat(40) });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('configuration error: production mode refuses this ADMIN_TOKEN: it is one repeated character');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 90_000);
});
