/**
 * What `npm start` runs: the bundle that `npm ci` builds (scripts/build.mjs → build/src/main.mjs).
 * Built again here (esbuild takes well under a second), then started like `npm start`, it serves
 * discovery and a login page, and with a bad variable it stops with the configuration error.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the built entry point (npm start)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ap-built-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('builds, starts and serves discovery and the login', async () => {
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const port = await freePort();
    const child = spawn(process.execPath, ['build/src/main.mjs'], { cwd: ROOT, env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '' }, stdio: 'ignore' });
    try {
      let doc: Record<string, unknown> | undefined;
      for (let i = 0; i < 200 && !doc; i++) {
        try {
          const res = await fetch(`http://localhost:${port}/.well-known/openid-configuration`);
          if (res.ok) doc = await res.json();
        } catch { await new Promise((r) => setTimeout(r, 50)); }
      }
      expect(doc?.issuer).toBe(`http://localhost:${port}`);
      const demo = await fetch(`http://localhost:${port}/demo`);
      expect(demo.status).toBe(200);
      expect(await demo.text()).toContain('<html');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('stops with a configuration error (exit 2) for a bad variable', () => {
    const r = spawnSync(process.execPath, ['build/src/main.mjs'], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'verbose', DATA_DIR: dataDir }, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('LOG_LEVEL');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
