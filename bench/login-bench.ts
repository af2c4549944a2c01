/**
 * Login benchmark: our provider against node-oidc-provider 9 in the same run.
 *
 * Both servers run as separate child processes (plain `node`; the bench's TypeScript that runs inside them is compiled with esbuild first, bench/lib/servers.ts) and are warmed up with
 * BENCH_WARMUP logins each (JIT, caches); then measured rounds alternate between them. The
 * headline figure is the server's CPU per login: utime+stime of the server's process tree from
 * /proc/<pid>/stat, before and after a round. See README "Benchmarks" for the method.
 *
 *   npm run bench
 *   BENCH_WARMUP=300 BENCH_LOGINS=600 BENCH_RSS_LOGINS=2000 BENCH_EXPIRY_WAIT=0 npm run bench   (quick)
 *   DATABASE_URL=postgres://… REDIS_URL=redis://… npm run bench   (adds PostgreSQL+Redis vs Redis adapter)
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { cpuDelta, cpuSnapshot, localPortsOf, pgrep, threadCpuMs, treeCpuMs, treeRssMiB } from './lib/proc.js';
import {
  CONCURRENCY, cpuPerRoute, int, ourSpec, referenceSpec, runLogins, startServer, stopServer, storeCounts,
  type Server, type Spec, type StoreCounts,
} from './lib/servers.js';
import { rs256SignMs } from './lib/rsa-cost.js';
import { percentile } from './lib/stats.js';
const WARMUP = int('BENCH_WARMUP', 2000);
const LOGINS = int('BENCH_LOGINS', 4000); // measured logins per server, over all rounds
const ROUNDS = Math.max(1, int('BENCH_ROUNDS', 4));
const ROUTE_LOGINS = int('BENCH_ROUTE_LOGINS', 1000);
// node-oidc-provider's in-memory adapter is an LRU of 1000 entries (about 6 per login): larger
// batches would evict its codes before they are redeemed.
const ROUTE_BATCH = int('BENCH_ROUTE_BATCH', 100);
const RSS_LOGINS = int('BENCH_RSS_LOGINS', 20_000); // logins after warm-up before the second RSS reading
const EXPIRY_WAIT_S = int('BENCH_EXPIRY_WAIT', 130); // session lifetime 60 s + the memory store's 60 s sweep
const STARTS = int('BENCH_STARTS', 3);
const COMPARE = process.env.BENCH_COMPARE !== '0';
const STORES = process.env.BENCH_STORES !== '0' && !!process.env.DATABASE_URL && !!process.env.REDIS_URL;

// ---------------------------------------------------------------------------------------------
// Database processes (PostgreSQL backends are one process per connection; Redis is one process)

interface DbCpu { pgThisServer: number; pgAll: number; redis: number }

async function pgBackendsOf(db: pg.Client, serverPid: number): Promise<number[]> {
  const ports = [...localPortsOf(serverPid)];
  if (ports.length === 0) return [];
  const { rows } = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE client_port = ANY($1::int[])', [ports]);
  return rows.map((r) => r.pid);
}

// ---------------------------------------------------------------------------------------------
// Statistics and printing

const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '–');
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

function table(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log(`  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`);
}

interface Result {
  label: string;
  cpuPerLogin: number;
  mainThreadPerLogin: number;
  roundCpu: number[];
  loginsPerSec: number;
  p50: number;
  p99: number;
  routes: Map<string, number>;
  rssWarm: number;
  rssAfter?: number;
  counts?: StoreCounts;
  db?: DbCpu;
}

// ---------------------------------------------------------------------------------------------
// Phases

async function measureStartup(specs: Spec[]): Promise<void> {
  if (STARTS <= 0) return;
  console.log(`\nStart-up (spawn of \`node\` as \`npm start\` runs ours, to a served discovery document, keys already stored; median of ${STARTS}), idle RSS 2 s later:`);
  const rows = [['server', 'start ms', 'idle RSS MiB']];
  for (const spec of specs) {
    // The first start creates the signing keys; it is not timed.
    await stopServer((await startServer(spec)).server);
    const times: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      const { server, startMs } = await startServer(spec);
      times.push(startMs);
      await sleep(2000);
      rss.push(treeRssMiB(server.pid));
      await stopServer(server);
    }
    rows.push([spec.label, f(median(times), 0), f(median(rss), 1)]);
  }
  table(rows);
}

async function comparePair(specs: Spec[], opts: { rss: boolean; db: boolean }): Promise<Result[]> {
  const servers: Server[] = [];
  let db: pg.Client | undefined;
  try {
    for (const spec of specs) servers.push((await startServer(spec)).server);
    if (opts.db) {
      db = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await db.connect();
    }
    const tWarm = performance.now();
    for (const s of servers) await runLogins(s, WARMUP);
    console.log(`  warm-up: ${WARMUP} logins each (${f((performance.now() - tWarm) / 1000, 0)} s)`);
    const results: Result[] = servers.map((s) => ({
      label: s.label, cpuPerLogin: 0, mainThreadPerLogin: 0, roundCpu: [], loginsPerSec: 0, p50: 0, p99: 0, routes: new Map(), rssWarm: treeRssMiB(s.pid),
      ...(opts.db ? { db: { pgThisServer: 0, pgAll: 0, redis: 0 } } : {}),
    }));
    const latencies: number[][] = servers.map(() => []);
    const wall = servers.map(() => 0);
    const cpu = servers.map(() => 0);
    const mainCpu = servers.map(() => 0);
    const countsBefore = await Promise.all(servers.map(storeCounts));
    const perRound = Math.max(1, Math.round(LOGINS / ROUNDS));
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? servers.map((_, i) => i) : servers.map((_, i) => servers.length - 1 - i);
      for (const i of order) {
        const s = servers[i]!;
        const pgPids = opts.db ? pgrep('-f', 'postgres') : [];
        const redisPids = opts.db ? pgrep('redis-server') : [];
        const pgBefore = cpuSnapshot(pgPids);
        const redisBefore = cpuSnapshot(redisPids);
        const c0 = treeCpuMs(s.pid);
        const m0 = threadCpuMs(s.pid);
        const t0 = performance.now();
        latencies[i]!.push(...(await runLogins(s, perRound)));
        wall[i]! += performance.now() - t0;
        const used = treeCpuMs(s.pid) - c0;
        mainCpu[i]! += threadCpuMs(s.pid) - m0;
        cpu[i]! += used;
        results[i]!.roundCpu.push(used / perRound);
        if (db && results[i]!.db) {
          const pgAfter = cpuSnapshot(pgrep('-f', 'postgres'));
          const mine = new Set(await pgBackendsOf(db, s.pid));
          const d = results[i]!.db!;
          d.pgAll += cpuDelta(pgBefore, pgAfter);
          d.pgThisServer += cpuDelta(new Map([...pgBefore].filter(([p]) => mine.has(p))), new Map([...pgAfter].filter(([p]) => mine.has(p))));
          d.redis += cpuDelta(redisBefore, cpuSnapshot(pgrep('redis-server')));
        }
      }
    }
    const countsAfter = await Promise.all(servers.map(storeCounts));
    const measured = perRound * ROUNDS;
    servers.forEach((_, i) => {
      const res = results[i]!;
      res.cpuPerLogin = cpu[i]! / measured;
      res.mainThreadPerLogin = mainCpu[i]! / measured;
      res.loginsPerSec = (measured / wall[i]!) * 1000;
      const sorted = latencies[i]!.sort((a, b) => a - b);
      res.p50 = percentile(sorted, 50);
      res.p99 = percentile(sorted, 99);
      const b = countsBefore[i]!;
      const a = countsAfter[i]!;
      res.counts = {
        pgQueries: (a.pgQueries - b.pgQueries) / measured, redisRoundTrips: (a.redisRoundTrips - b.redisRoundTrips) / measured,
        redisCommands: (a.redisCommands - b.redisCommands) / measured, sqliteStatements: (a.sqliteStatements - b.sqliteStatements) / measured,
        byStatement: Object.fromEntries(Object.entries(a.byStatement).map(([k, v]) => [k, (v - (b.byStatement[k] ?? 0)) / measured])),
      };
      if (res.db) res.db = { pgThisServer: res.db.pgThisServer / measured, pgAll: res.db.pgAll / measured, redis: res.db.redis / measured };
    });
    // CPU per route, alternating servers batch by batch.
    if (ROUTE_LOGINS > 0) {
      const parts = Math.max(1, Math.round(ROUTE_LOGINS / ROUTE_BATCH));
      const acc = servers.map(() => new Map<string, number>());
      for (let p = 0; p < parts; p++) {
        for (const [i, s] of servers.entries()) {
          for (const [k, v] of await cpuPerRoute(s, ROUTE_BATCH, ROUTE_BATCH)) acc[i]!.set(k, (acc[i]!.get(k) ?? 0) + v / parts);
        }
      }
      servers.forEach((_, i) => { results[i]!.routes = acc[i]!; });
    }
    if (opts.rss) {
      // Continue to RSS_LOGINS logins since warm-up, let every session expire, read RSS again.
      const done = measured + (ROUTE_LOGINS > 0 ? Math.max(1, Math.round(ROUTE_LOGINS / ROUTE_BATCH)) * ROUTE_BATCH : 0);
      const rest = Math.max(0, RSS_LOGINS - done);
      const t = performance.now();
      const chunk = 2000;
      for (let left = rest; left > 0; left -= chunk) for (const s of servers) await runLogins(s, Math.min(chunk, left));
      console.log(`  ${rest} more logins each for the memory reading (${f((performance.now() - t) / 1000, 0)} s); waiting ${EXPIRY_WAIT_S} s for sessions to expire`);
      await sleep(EXPIRY_WAIT_S * 1000);
      servers.forEach((s, i) => { results[i]!.rssAfter = treeRssMiB(s.pid); });
    }
    return results;
  } finally {
    await db?.end();
    for (const s of servers) {
      await stopServer(s);
      await s.cleanup().catch((e: unknown) => console.error(`cleanup of ${s.label}: ${String(e)}`));
    }
  }
}

function printResults(title: string, results: Result[], opts: { rss: boolean; db: boolean }): void {
  if (title) console.log(`\n${title}`);
  const labels = results.map((r) => r.label);
  const rows: string[][] = [['', ...labels]];
  rows.push(['server CPU per login (ms)', ...results.map((r) => f(r.cpuPerLogin))]);
  rows.push(['  of which main thread / other threads', ...results.map((r) => `${f(r.mainThreadPerLogin)} / ${f(r.cpuPerLogin - r.mainThreadPerLogin)}`)]);
  rows.push(['  per round (ms)', ...results.map((r) => r.roundCpu.map((x) => f(x)).join(' '))]);
  rows.push(['logins per core-second', ...results.map((r) => f(1000 / r.cpuPerLogin, 0))]);
  rows.push([`logins/s (wall, ${CONCURRENCY} in flight)`, ...results.map((r) => f(r.loginsPerSec, 0))]);
  rows.push(['latency p50 / p99 (ms)', ...results.map((r) => `${f(r.p50, 1)} / ${f(r.p99, 1)}`)]);
  rows.push(['RSS after warm-up (MiB)', ...results.map((r) => f(r.rssWarm, 1))]);
  if (opts.rss) {
    rows.push([`RSS after ${RSS_LOGINS} logins, expired (MiB)`, ...results.map((r) => f(r.rssAfter ?? NaN, 1))]);
    rows.push(['  difference', ...results.map((r) => `${r.rssAfter! >= r.rssWarm ? '+' : ''}${f(((r.rssAfter! - r.rssWarm) / r.rssWarm) * 100, 1)} %`)]);
  }
  const c = (k: Exclude<keyof StoreCounts, 'byStatement'>) => results.map((r) => f(r.counts?.[k] ?? NaN, 1));
  if (opts.db) {
    rows.push(['PostgreSQL queries per login', ...c('pgQueries')]);
    rows.push(['Redis round trips (commands) per login', ...results.map((r) => `${f(r.counts!.redisRoundTrips, 1)} (${f(r.counts!.redisCommands, 1)})`)]);
    rows.push(['PostgreSQL CPU per login, its backends (ms)', ...results.map((r) => f(r.db!.pgThisServer))]);
    rows.push(['PostgreSQL CPU per login, all processes (ms)', ...results.map((r) => f(r.db!.pgAll))]);
    rows.push(['redis-server CPU per login (ms)', ...results.map((r) => f(r.db!.redis))]);
    rows.push(['server + PostgreSQL + Redis CPU (ms)', ...results.map((r) => f(r.cpuPerLogin + r.db!.pgAll + r.db!.redis))]);
  } else {
    rows.push(['SQLite statements per login', ...c('sqliteStatements')]);
  }
  table(rows);
  if (results.length === 2) {
    const [a, b] = results as [Result, Result];
    console.log(`  ratio, logins per core-second: ${f(b.cpuPerLogin / a.cpuPerLogin)}×   p99: ${f(a.p99 / b.p99)}× of the reference's`);
    if (opts.db) console.log(`  ratio incl. database CPU: ${f((b.cpuPerLogin + b.db!.pgAll + b.db!.redis) / (a.cpuPerLogin + a.db!.pgAll + a.db!.redis))}×`);
  }
  for (const r of results) {
    const stmts = Object.entries(r.counts?.byStatement ?? {}).filter(([, v]) => v >= 0.01).sort((x, y) => y[1] - x[1]);
    if (stmts.length === 0) continue;
    console.log(`  store calls per login, ${r.label}:`);
    for (const [k, v] of stmts) console.log(`    ${f(v).padStart(5)}  ${k}`);
  }
  for (const r of results) {
    if (r.routes.size === 0) continue;
    console.log(`  CPU per route, ${r.label} (ms; batches of ${ROUTE_BATCH} requests of one route between two readings of /proc/<pid>/task/*/schedstat):`);
    let total = 0;
    for (const [k, v] of r.routes) { console.log(`    ${k.padEnd(30)} ${f(v, 3)}`); total += v; }
    console.log(`    ${'sum'.padEnd(30)} ${f(total, 3)}`);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ap-bench-'));
  const [l1, l5] = loadavg();
  console.log(`Login benchmark: Node ${process.version}, ${availableParallelism()} cores, load average ${f(l1!, 1)} / ${f(l5!, 1)} (1/5 min)`);
  console.log(`RS256 here: ${f(rs256SignMs(), 3)} ms of CPU a signature (node:crypto, synchronous, 2048-bit); our login signs two, the reference's one`);
  console.log(`warm-up ${WARMUP}, measured ${LOGINS} logins in ${ROUNDS} alternating rounds, ${CONCURRENCY} in flight; CPU per route over ${ROUTE_LOGINS} logins`);
  try {
    for (const d of ['ours', 'ours-start', 'ours-pg']) mkdirSync(join(dir, d));
    const ref = referenceSpec(dir, 'memory');
    // Start-up and idle memory exactly as the servers start in production: no store-call counter.
    const startSpec = ourSpec(join(dir, 'ours-start'), 'embedded', false);
    await measureStartup(COMPARE ? [startSpec, referenceSpec(dir, 'memory', false)] : [startSpec]);
    const ours = ourSpec(join(dir, 'ours'), 'embedded');
    const embedded = COMPARE ? [ours, ref] : [ours];
    console.log('\nEmbedded defaults:');
    printResults('', await comparePair(embedded, { rss: RSS_LOGINS > 0, db: false }), { rss: RSS_LOGINS > 0, db: false });
    if (STORES) {
      console.log('\nPostgreSQL + Redis (shared database servers: other work on them shows up in their CPU):');
      const pair = COMPARE ? [ourSpec(join(dir, 'ours-pg'), 'pg+redis'), referenceSpec(dir, 'redis')] : [ourSpec(join(dir, 'ours-pg'), 'pg+redis')];
      printResults('', await comparePair(pair, { rss: false, db: true }), { rss: false, db: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
