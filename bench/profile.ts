/**
 * `npm run bench:profile`: runs our server under `node --cpu-prof` (embedded store, or
 * PostgreSQL+Redis when DATABASE_URL and REDIS_URL are set), warms it up, drives BENCH_LOGINS
 * logins, stops it, and summarises the samples of the measured window only
 * (bench/profile-summary.ts). The profile file is kept (path printed) for Chrome DevTools.
 *
 *   npm run bench:profile
 *   BENCH_WARMUP=500 BENCH_LOGINS=1000 npm run bench:profile
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printSummary, summarise, type CpuProfile } from './profile-summary.js';
import { cpuByThreadName, threadCpuMs, treeCpuMs } from './lib/proc.js';
import { int, ourSpec, runLogins, startServer, stopServer } from './lib/servers.js';

const WARMUP = int('BENCH_WARMUP', 2000);
const LOGINS = int('BENCH_LOGINS', 3000);
const INTERVAL_US = int('BENCH_PROFILE_INTERVAL_US', 500);

const dir = mkdtempSync(join(tmpdir(), 'ap-profile-'));
const profDir = join(dir, 'profile');
mkdirSync(join(dir, 'data'));
const store = process.env.DATABASE_URL && process.env.REDIS_URL ? 'pg+redis' : 'embedded';
// From the TypeScript sources (through tsx): in the bundle every function of ours is in one file,
// and the categories below are told apart by file. After warm-up the JIT makes the same code of both.
process.env.BENCH_SERVER_ENTRY ??= 'src/main.ts';
const spec = ourSpec(join(dir, 'data'), store, false);
// Without the store-call counter: its wrappers would take the blame for the native calls they wrap.
spec.args = ['--cpu-prof', '--cpu-prof-dir', profDir, `--cpu-prof-interval=${INTERVAL_US}`, ...spec.args];

// Both the profile and process.hrtime use CLOCK_MONOTONIC; the window is in its µs.
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

const { server } = await startServer(spec);
let fromUs = 0;
let toUs = 0;
let cpu = 0;
let mainCpu = 0;
const threads = new Map<string, number>();
try {
  await runLogins(server, WARMUP);
  const c0 = treeCpuMs(server.pid);
  const m0 = threadCpuMs(server.pid);
  const t0 = cpuByThreadName(server.pid);
  fromUs = nowUs();
  await runLogins(server, LOGINS);
  toUs = nowUs();
  cpu = (treeCpuMs(server.pid) - c0) / LOGINS;
  mainCpu = (threadCpuMs(server.pid) - m0) / LOGINS;
  for (const [k, v] of cpuByThreadName(server.pid)) threads.set(k, (v - (t0.get(k) ?? 0)) / LOGINS);
} finally {
  await stopServer(server); // SIGTERM → the server exits → node writes the profile
  await server.cleanup();
  rmSync(join(dir, 'data'), { recursive: true, force: true }); // the profile stays
}
// One file per isolate: CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; thread 0 is the main thread.
const files = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
const file = files.find((f) => f.split('.').at(-3) === '0') ?? files[0];
if (!file) throw new Error(`no .cpuprofile in ${profDir}`);

console.log(`ansattporten (${store}) under --cpu-prof (interval ${INTERVAL_US} µs): warm-up ${WARMUP}, profiled ${LOGINS} logins`);
console.log(`CPU per login from /proc (profiler overhead included): process ${cpu.toFixed(2)} ms, main thread ${mainCpu.toFixed(2)} ms, other threads (libuv pool: WebCrypto; GC helpers) ${(cpu - mainCpu).toFixed(2)} ms`);
console.log(`CPU per login by thread: ${[...threads].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(2)} ms`).join(', ')}`);
console.log(`profile: ${join(profDir, file)}`);
for (const other of files.filter((f) => f !== file)) {
  // Other isolates: Node 20 runs tsx's module loader hooks on their own thread, for instance.
  const s = summarise(JSON.parse(readFileSync(join(profDir, other), 'utf8')) as CpuProfile, { fromUs, toUs });
  console.log(`worker-thread profile ${other}: busy ${s.busyMs.toFixed(0)} ms sampled in the window (not summarised below)`);
}
console.log('');
printSummary(summarise(JSON.parse(readFileSync(join(profDir, file), 'utf8')) as CpuProfile, { fromUs, toUs }), { logins: LOGINS, mainThreadCpuMsPerLogin: mainCpu });
