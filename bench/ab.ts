/**
 * Our provider against an earlier commit of itself, side by side in one run: both built, both
 * started (the earlier one from a temporary git worktree, each with its own data directory, or
 * PostgreSQL schema and Redis prefix), warmed up, then rounds alternating between them (ABBA…),
 * the server's CPU per login from /proc for the whole process tree and for the main thread, and
 * p50/p99 at BENCH_CONCURRENCY logins in flight. The earlier commit is driven with its own login
 * flow (its bench/lib/flows.ts), so a change in the number of requests is compared fairly.
 *
 *   npm run bench:ab -- <commit>                 (embedded)
 *   DATABASE_URL=… REDIS_URL=… npm run bench:ab -- <commit>   (PostgreSQL + Redis)
 *   BENCH_WARMUP=2000 BENCH_ROUNDS=8 BENCH_ROUND_LOGINS=500 (defaults)
 *
 * A commit from before the build step is bundled with this checkout's scripts/build.mjs; one whose
 * configuration does not know every key the bench sets gets BENCH_B_CONFIG (JSON) as its config.json.
 *
 * Two identical builds differ by up to 5 % on a busy 2-core virtual machine: repeat a run before
 * believing a difference smaller than that.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoginFlow } from './lib/flows.js';
import { threadCpuMs, treeCpuMs } from './lib/proc.js';
import { dropStoreData, int, ourSpec, runLogins, startServer, stopServer, type Server } from './lib/servers.js';
import { percentile } from './lib/stats.js';

const rev = process.argv[2];
if (!rev) {
  console.error('usage: npm run bench:ab -- <commit>   (compares the working tree with that commit)');
  process.exit(2);
}
const WARMUP = int('BENCH_WARMUP', 2000);
const ROUNDS = int('BENCH_ROUNDS', 8);
const PER_ROUND = int('BENCH_ROUND_LOGINS', 500);
const ROOT = join(import.meta.dirname, '..');
const store = process.env.DATABASE_URL && process.env.REDIS_URL && process.env.BENCH_STORES !== '0' ? 'pg+redis' : 'embedded';

// The earlier commit: a worktree with this checkout's node_modules, built as `npm ci` builds it.
const tree = mkdtempSync(join(tmpdir(), 'ap-ab-'));
execFileSync('git', ['worktree', 'add', '--detach', tree, rev], { cwd: ROOT, stdio: 'ignore' });
const cleanupTree = () => {
  try { execFileSync('git', ['worktree', 'remove', '--force', tree], { cwd: ROOT, stdio: 'ignore' }); } catch { rmSync(tree, { recursive: true, force: true }); }
};
let a: Server | undefined;
let b: Server | undefined;
try {
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
  // A commit from before the build step (npm start then ran the sources through tsx) is bundled
  // with this checkout's build script, so that both run as `npm start` runs ours now.
  if (!existsSync(join(tree, 'scripts', 'build.mjs'))) {
    mkdirSync(join(tree, 'scripts'), { recursive: true });
    copyFileSync(join(ROOT, 'scripts', 'build.mjs'), join(tree, 'scripts', 'build.mjs'));
  }
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: tree, stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const theirFlows = join(tree, 'bench', 'lib', 'flows.ts');
  const oldFlow = existsSync(theirFlows) ? ((await import(theirFlows)) as { oursFlow: LoginFlow }).oursFlow : undefined;

  process.env.BENCH_SERVER_ENTRY = join(ROOT, 'build', 'src', 'main.mjs');
  const specA = ourSpec(mkdtempSync(join(tmpdir(), 'ap-ab-a-')), store, false);
  specA.label = 'working tree';
  const specB = ourSpec(mkdtempSync(join(tmpdir(), 'ap-ab-b-')), store, false);
  specB.label = rev;
  specB.args = specB.args.map((x) => (x === process.env.BENCH_SERVER_ENTRY ? join(tree, 'build', 'src', 'main.mjs') : x));
  if (oldFlow) specB.flow = oldFlow;
  // An earlier commit whose configuration schema lacks keys the bench sets now: its own config.json.
  if (process.env.BENCH_B_CONFIG) writeFileSync(specB.env.CONFIG_FILE!, process.env.BENCH_B_CONFIG);
  if (specB.env.DATABASE_SCHEMA) {
    specB.env.DATABASE_SCHEMA += '_b';
    specB.env.REDIS_PREFIX += '-b';
    const schema = specB.env.DATABASE_SCHEMA;
    const prefix = specB.env.REDIS_PREFIX!;
    specB.cleanup = () => dropStoreData(schema, prefix);
  }
  a = (await startServer(specA)).server;
  b = (await startServer(specB)).server;
  console.log(`${store}: the working tree against ${rev}; warm-up ${WARMUP}, ${ROUNDS} alternating rounds of ${PER_ROUND} logins`);
  await runLogins(a, WARMUP);
  await runLogins(b, WARMUP);
  const acc = new Map<Server, { cpu: number; main: number; n: number; lat: number[] }>([[a, { cpu: 0, main: 0, n: 0, lat: [] }], [b, { cpu: 0, main: 0, n: 0, lat: [] }]]);
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of r % 2 === 0 ? [a, b] : [b, a]) {
      const c0 = treeCpuMs(s.pid);
      const m0 = threadCpuMs(s.pid);
      const lat = await runLogins(s, PER_ROUND);
      const x = acc.get(s)!;
      x.cpu += treeCpuMs(s.pid) - c0;
      x.main += threadCpuMs(s.pid) - m0;
      x.n += PER_ROUND;
      x.lat.push(...lat);
    }
  }
  for (const s of [a, b]) {
    const x = acc.get(s)!;
    const lat = x.lat.sort((p, q) => p - q);
    console.log(`  ${s.label.padEnd(14)} CPU per login ${(x.cpu / x.n).toFixed(3)} ms (main thread ${(x.main / x.n).toFixed(3)}), p50 ${percentile(lat, 50).toFixed(1)} ms, p99 ${percentile(lat, 99).toFixed(1)} ms, ${s.flow.steps.length} requests a login`);
  }
  const ca = acc.get(a)!;
  const cb = acc.get(b)!;
  console.log(`  CPU per login: ${(((ca.cpu / ca.n) / (cb.cpu / cb.n) - 1) * 100).toFixed(1)} % against ${rev}`);
} finally {
  for (const s of [a, b]) {
    if (!s) continue;
    await stopServer(s);
    await s.cleanup();
  }
  cleanupTree();
}
process.exit(0);
