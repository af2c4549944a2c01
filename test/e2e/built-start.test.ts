/**
 * What `npm start` runs: the bundle that `npm ci` builds (scripts/build.mjs → build/src/main.mjs).
 * Built again here (esbuild takes well under a second), then started like `npm start`, it serves
 * discovery and a login page, and with a bad variable it stops with the configuration error.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
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

  it('loads the packages that only some deployments need when first used, not at start', async () => {
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(built.status, built.stderr).toBe(0);
    // ES module packages are left out of the bundle (scripts/build.mjs): what the entry and the
    // chunks it imports statically import is what a start loads.
    const imported = new Set<string>();
    const importedLater = new Set<string>();
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(join(ROOT, 'build/src', file), 'utf8');
      for (const m of code.matchAll(/^import\s(?:[^;]*?\sfrom\s)?"([^"]+)";/gms)) {
        if (m[1]!.startsWith('./')) visit(m[1]!.slice(2));
        else imported.add(m[1]!);
      }
      for (const m of code.matchAll(/\bimport\("([^"./][^"]*)"\)/g)) importedLater.add(m[1]!);
    };
    visit('main.mjs');
    expect(imported).toContain('fastify'); // the scan finds the static imports
    for (const p of ['pkijs', 'asn1js', 'openid-client', 'tldts', 'pg', 'redis']) expect(imported, p).not.toContain(p);
    expect([...importedLater].sort()).toEqual(['openid-client', 'pkijs']);
    for (const p of ['playwright-core', 'oidc-provider', 'vitest', 'axe-core']) expect(readFileSync(join(ROOT, 'build/src/main.mjs'), 'utf8')).not.toContain(`"${p}"`);

    // CommonJS packages, and those that packages require, as the running process loaded them.
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', './test/e2e/report-loaded-modules.mjs', 'build/src/main.mjs'], { cwd: ROOT, env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise((r) => child.once('exit', r));
    let up = false;
    for (let i = 0; i < 200 && !up; i++) {
      try {
        up = (await fetch(`http://localhost:${port}/.well-known/openid-configuration`)).ok;
      } catch { await new Promise((r) => setTimeout(r, 50)); }
    }
    child.kill('SIGTERM');
    await exited;
    expect(up).toBe(true);
    const packages = new Set([...stderr.matchAll(/^loaded: .*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]!));
    expect(packages).toContain('fastify');
    for (const p of ['ajv', '@fastify/ajv-compiler', 'tldts', 'pkijs', 'asn1js', 'openid-client', 'pg', 'redis', '@redis/client']) expect(packages, p).not.toContain(p);
  });

  it('stops with a configuration error (exit 2) for a bad variable', () => {
    const r = spawnSync(process.execPath, ['build/src/main.mjs'], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'verbose', DATA_DIR: dataDir }, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('LOG_LEVEL');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
