/**
 * Start time and idle memory of what `npm start` runs (build/src/main.mjs, embedded store):
 * starts the built entry in a fresh data directory once untimed (it creates the signing keys),
 * then BENCH_STARTS times (default 5) and prints the median time from spawn to the first served
 * discovery document and the median VmRSS (/proc/<pid>/status) BENCH_IDLE_MS (default 2000) later.
 * Run `npm run build` first.
 *
 *   npx tsx bench/idle-rss.ts
 *   BENCH_NODE_ARGS='--max-semi-space-size=16' npx tsx bench/idle-rss.ts
 *   BENCH_SOURCE_MAPS=0 BENCH_STARTS=9 npx tsx bench/idle-rss.ts
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/e2e/harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = process.env.BENCH_ENTRY ?? 'build/src/main.mjs'; // another build to compare, e.g. build-base/src/main.mjs
const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 2000);
const NODE_ARGS = [...(process.env.BENCH_SOURCE_MAPS === '0' ? [] : ['--enable-source-maps']), ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

async function startOnce(dataDir: string): Promise<{ startMs: number; rss: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [...NODE_ARGS, ENTRY], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '', NODE_ENV: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    let startMs: number | undefined;
    while (startMs === undefined) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      if (performance.now() - t0 > 20_000) throw new Error('no discovery within 20 s');
      try {
        const res = await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`);
        await res.arrayBuffer();
        if (res.ok) startMs = performance.now() - t0;
      } catch {
        await sleep(5);
      }
    }
    await sleep(IDLE_MS);
    return { startMs, rss: rssMiB(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

if (!existsSync(join(ROOT, ENTRY))) throw new Error(`${ENTRY} is missing: run npm run build first`);
const dataDir = mkdtempSync(join(tmpdir(), 'ap-idle-'));
try {
  await startOnce(dataDir); // creates the signing keys
  const runs: { startMs: number; rss: number }[] = [];
  for (let i = 0; i < STARTS; i++) runs.push(await startOnce(dataDir));
  console.log(`node ${[...NODE_ARGS, ENTRY].join(' ')}, embedded store, ${STARTS} starts with stored keys`);
  console.log(`  start to first discovery: median ${median(runs.map((r) => r.startMs)).toFixed(0)} ms (${runs.map((r) => r.startMs.toFixed(0)).join(', ')})`);
  console.log(`  VmRSS ${IDLE_MS} ms later:     median ${median(runs.map((r) => r.rss)).toFixed(1)} MiB (${runs.map((r) => r.rss.toFixed(1)).join(', ')})`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
