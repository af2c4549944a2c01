/**
 * Login benchmark: our provider against node-oidc-provider 9 in the same run.
 *
 * Both servers run as separate child processes (`node --import tsx …`) and are warmed up with
 * BENCH_WARMUP logins each (JIT, caches); then measured rounds alternate between them. The
 * headline figure is the server's CPU per login: utime+stime of the server's process tree from
 * /proc/<pid>/stat, before and after a round. See README "Benchmarks" for the method.
 *
 *   npm run bench
 *   BENCH_WARMUP=300 BENCH_LOGINS=600 BENCH_RSS_LOGINS=2000 BENCH_EXPIRY_WAIT=0 npm run bench   (quick)
 *   DATABASE_URL=postgres://… REDIS_URL=redis://… npm run bench   (adds PostgreSQL+Redis vs Redis adapter)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { freePort } from '../test/e2e/harness.js';
import { HttpClient } from './lib/http-client.js';
import { CLIENT_ID, CLIENT_SECRET, oursFlow, REDIRECT_URI, referenceFlow, type LoginFlow, type LoginState } from './lib/flows.js';
import { cpuDelta, cpuSnapshot, localPortsOf, pgrep, treeCpuMs, treeRssMiB } from './lib/proc.js';

const int = (name: string, dflt: number) => {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
};
const WARMUP = int('BENCH_WARMUP', 2000);
const LOGINS = int('BENCH_LOGINS', 4000); // measured logins per server, over all rounds
const ROUNDS = Math.max(1, int('BENCH_ROUNDS', 4));
const CONCURRENCY = int('BENCH_CONCURRENCY', 4);
const ROUTE_LOGINS = int('BENCH_ROUTE_LOGINS', 1000);
const ROUTE_BATCH = int('BENCH_ROUTE_BATCH', 200);
const RSS_LOGINS = int('BENCH_RSS_LOGINS', 20_000); // logins after warm-up before the second RSS reading
const EXPIRY_WAIT_S = int('BENCH_EXPIRY_WAIT', 130); // session lifetime 60 s + the memory store's 60 s sweep
const STARTS = int('BENCH_STARTS', 3);
const SESSION_MINUTES = 1;
const COMPARE = process.env.BENCH_COMPARE !== '0';
const STORES = process.env.BENCH_STORES !== '0' && !!process.env.DATABASE_URL && !!process.env.REDIS_URL;

const ROOT = join(import.meta.dirname, '..');
const runId = `${process.pid}${Date.now().toString(36)}`;

// ---------------------------------------------------------------------------------------------
// Servers

interface Server {
  label: string;
  flow: LoginFlow;
  child: ChildProcess;
  pid: number;
  http: HttpClient;
  countsFile: string;
  /** Cleans up what the server left behind (data dir, schema, keys). */
  cleanup: () => Promise<void>;
}

interface Spec {
  label: string;
  flow: LoginFlow;
  args: string[];
  env: Record<string, string>;
  cleanup?: () => Promise<void>;
}

function ourSpec(dir: string, store: 'embedded' | 'pg+redis'): Spec {
  const clients = join(dir, 'clients.json');
  if (!existsSync(clients)) {
    writeFileSync(clients, JSON.stringify([{
      client_id: CLIENT_ID, client_name: 'Bench', client_orgno: '310900001', integration_type: 'ansattporten', application_type: 'web',
      token_endpoint_auth_method: 'client_secret_basic', grant_types: ['authorization_code'], scopes: ['openid', 'profile'],
      redirect_uris: [REDIRECT_URI], client_secret: CLIENT_SECRET,
    }]));
    // Short lifetimes, so the memory measurement sees sessions and logins in progress expire.
    writeFileSync(join(dir, 'config.json'), JSON.stringify({
      session: { absolute_minutes: SESSION_MINUTES, idle_minutes: SESSION_MINUTES },
      lifetimes: { login_flow_seconds: 60 },
    }));
  }
  const schema = `bench_${runId}`;
  const prefix = `bench-${runId}`;
  const env: Record<string, string> = {
    HOST: '127.0.0.1', DATA_DIR: dir, CLIENTS_FILE: clients, CONFIG_FILE: join(dir, 'config.json'),
    DATABASE_URL: '', REDIS_URL: '',
  };
  if (store === 'pg+redis') Object.assign(env, { DATABASE_URL: process.env.DATABASE_URL!, REDIS_URL: process.env.REDIS_URL!, DATABASE_SCHEMA: schema, REDIS_PREFIX: prefix });
  return {
    label: store === 'embedded' ? 'ansattporten (SQLite + memory)' : 'ansattporten (PostgreSQL + Redis)',
    flow: oursFlow,
    args: ['--import', 'tsx', '--import', './bench/store-call-counter.ts', 'src/main.ts'],
    env,
    cleanup: store === 'pg+redis' ? () => dropStoreData(schema, prefix) : undefined,
  };
}

function referenceSpec(dir: string, store: 'memory' | 'redis'): Spec {
  const prefix = `oidc-bench-${runId}`;
  return {
    label: store === 'memory' ? 'node-oidc-provider (in-memory adapter)' : 'node-oidc-provider (Redis adapter)',
    flow: referenceFlow,
    args: ['--import', 'tsx', '--import', './bench/store-call-counter.ts', 'bench/oidc-provider-server.ts'],
    env: {
      NODE_ENV: 'production', BENCH_REF_KEY_FILE: join(dir, 'ref-key.json'), BENCH_SESSION_SECONDS: String(SESSION_MINUTES * 60),
      REDIS_URL: store === 'redis' ? process.env.REDIS_URL! : '', REDIS_PREFIX: prefix,
    },
    cleanup: store === 'redis' ? () => dropStoreData(undefined, prefix) : undefined,
  };
}

async function dropStoreData(schema: string | undefined, prefix: string): Promise<void> {
  if (schema && process.env.DATABASE_URL) {
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => c.end());
  }
  if (process.env.REDIS_URL) {
    const { createClient } = await import('redis');
    const r = createClient({ url: process.env.REDIS_URL });
    await r.connect();
    for await (const keys of r.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) if (keys.length) await r.del(keys);
    await r.quit();
  }
}

/** Spawns `node …` and resolves when the discovery document is served; returns the time that took. */
async function startServer(spec: Spec): Promise<{ server: Server; startMs: number }> {
  const port = await freePort();
  const countsFile = join(tmpdir(), `ap-bench-counts-${runId}-${port}.json`);
  const t0 = performance.now();
  const child = spawn(process.execPath, spec.args, {
    cwd: ROOT,
    env: { ...process.env, ...spec.env, PORT: String(port), BENCH_COUNTS_FILE: countsFile },
    stdio: ['ignore', 'ignore', 'pipe'], // request logs go to /dev/null (written, not kept)
  });
  // Forward the servers' errors, without node-oidc-provider's development-mode warnings.
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    const kept = d.split('\n').filter((l) => l && !l.startsWith('oidc-provider WARNING')).join('\n');
    if (kept) process.stderr.write(`[${spec.label}] ${kept}\n`);
  });
  let exited: number | null | undefined;
  child.once('exit', (c) => { exited = c; });
  const http = new HttpClient('127.0.0.1', port, CONCURRENCY);
  const discovery = '/.well-known/openid-configuration';
  for (;;) {
    if (exited !== undefined) throw new Error(`${spec.label} exited with ${exited} during start-up`);
    try {
      const r = await http.send('GET', discovery, undefined, { wantBody: true });
      if (r.status === 200 && r.body.includes('"issuer"')) break;
    } catch { /* not listening yet */ }
    await sleep(10);
  }
  const startMs = performance.now() - t0;
  return { server: { label: spec.label, flow: spec.flow, child, pid: child.pid!, http, countsFile, cleanup: spec.cleanup ?? (async () => {}) }, startMs };
}

async function stopServer(s: Server): Promise<void> {
  s.http.close();
  if (s.child.exitCode === null) {
    const exited = new Promise((r) => s.child.once('exit', r));
    s.child.kill('SIGTERM');
    await exited;
  }
  rmSync(s.countsFile, { force: true });
}

interface StoreCounts { pgQueries: number; redisRoundTrips: number; redisCommands: number; sqliteStatements: number }

async function storeCounts(s: Server): Promise<StoreCounts> {
  rmSync(s.countsFile, { force: true });
  s.child.kill('SIGUSR2');
  for (let i = 0; i < 500 && !existsSync(s.countsFile); i++) await sleep(10);
  const c = JSON.parse(readFileSync(s.countsFile, 'utf8')) as StoreCounts;
  unlinkSync(s.countsFile);
  return c;
}

// ---------------------------------------------------------------------------------------------
// Load

/** Runs `n` complete logins, `CONCURRENCY` in flight; returns each login's latency (ms). */
async function runLogins(s: Server, n: number): Promise<number[]> {
  const latencies: number[] = [];
  let started = 0;
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, n) }, async () => {
    while (started < n) {
      started++;
      const t = performance.now();
      const st = s.flow.newState();
      for (const step of s.flow.steps) await step.run(s.http, st);
      latencies.push(performance.now() - t);
    }
  }));
  return latencies;
}

/** Runs one step for every state in the batch, `CONCURRENCY` in flight. */
async function runStep(s: Server, stepIndex: number, states: LoginState[]): Promise<void> {
  let i = 0;
  const step = s.flow.steps[stepIndex]!;
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, states.length) }, async () => {
    while (i < states.length) await step.run(s.http, states[i++]!);
  }));
}

/** CPU ms per route: each step runs for a whole batch of logins between two /proc readings. */
async function cpuPerRoute(s: Server, logins: number): Promise<Map<string, number>> {
  const sum = new Map<string, number>();
  for (let done = 0; done < logins; done += ROUTE_BATCH) {
    const states = Array.from({ length: Math.min(ROUTE_BATCH, logins - done) }, () => s.flow.newState());
    for (let k = 0; k < s.flow.steps.length; k++) {
      const before = treeCpuMs(s.pid);
      await runStep(s, k, states);
      const name = s.flow.steps[k]!.name;
      sum.set(name, (sum.get(name) ?? 0) + treeCpuMs(s.pid) - before);
    }
  }
  return new Map([...sum].map(([k, v]) => [k, v / logins]));
}

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

const pct = (sorted: number[], p: number) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '–');
const median = (xs: number[]) => pct([...xs].sort((a, b) => a - b), 50);

function table(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log('  ' + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
}

interface Result {
  label: string;
  cpuPerLogin: number;
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
  console.log(`\nStart-up (spawn of \`node --import tsx …\` to a served discovery document, keys already stored; median of ${STARTS}), idle RSS 2 s later:`);
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
      label: s.label, cpuPerLogin: 0, roundCpu: [], loginsPerSec: 0, p50: 0, p99: 0, routes: new Map(), rssWarm: treeRssMiB(s.pid),
      ...(opts.db ? { db: { pgThisServer: 0, pgAll: 0, redis: 0 } } : {}),
    }));
    const latencies: number[][] = servers.map(() => []);
    const wall = servers.map(() => 0);
    const cpu = servers.map(() => 0);
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
        const t0 = performance.now();
        latencies[i]!.push(...(await runLogins(s, perRound)));
        wall[i]! += performance.now() - t0;
        const used = treeCpuMs(s.pid) - c0;
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
      res.loginsPerSec = (measured / wall[i]!) * 1000;
      const sorted = latencies[i]!.sort((a, b) => a - b);
      res.p50 = pct(sorted, 50);
      res.p99 = pct(sorted, 99);
      const b = countsBefore[i]!;
      const a = countsAfter[i]!;
      res.counts = {
        pgQueries: (a.pgQueries - b.pgQueries) / measured, redisRoundTrips: (a.redisRoundTrips - b.redisRoundTrips) / measured,
        redisCommands: (a.redisCommands - b.redisCommands) / measured, sqliteStatements: (a.sqliteStatements - b.sqliteStatements) / measured,
      };
      if (res.db) res.db = { pgThisServer: res.db.pgThisServer / measured, pgAll: res.db.pgAll / measured, redis: res.db.redis / measured };
    });
    // CPU per route, alternating servers batch by batch.
    if (ROUTE_LOGINS > 0) {
      const parts = Math.max(1, Math.round(ROUTE_LOGINS / ROUTE_BATCH));
      const acc = servers.map(() => new Map<string, number>());
      for (let p = 0; p < parts; p++) {
        for (const [i, s] of servers.entries()) {
          for (const [k, v] of await cpuPerRoute(s, ROUTE_BATCH)) acc[i]!.set(k, (acc[i]!.get(k) ?? 0) + v / parts);
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
  rows.push(['  per round (ms)', ...results.map((r) => r.roundCpu.map((x) => f(x)).join(' '))]);
  rows.push(['logins per core-second', ...results.map((r) => f(1000 / r.cpuPerLogin, 0))]);
  rows.push([`logins/s (wall, ${CONCURRENCY} in flight)`, ...results.map((r) => f(r.loginsPerSec, 0))]);
  rows.push(['latency p50 / p99 (ms)', ...results.map((r) => `${f(r.p50, 1)} / ${f(r.p99, 1)}`)]);
  rows.push(['RSS after warm-up (MiB)', ...results.map((r) => f(r.rssWarm, 1))]);
  if (opts.rss) {
    rows.push([`RSS after ${RSS_LOGINS} logins, expired (MiB)`, ...results.map((r) => f(r.rssAfter ?? NaN, 1))]);
    rows.push(['  difference', ...results.map((r) => `${r.rssAfter! >= r.rssWarm ? '+' : ''}${f(((r.rssAfter! - r.rssWarm) / r.rssWarm) * 100, 1)} %`)]);
  }
  const c = (k: keyof StoreCounts) => results.map((r) => f(r.counts?.[k] ?? NaN, 1));
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
    if (r.routes.size === 0) continue;
    console.log(`  CPU per route, ${r.label} (ms; batches of ${ROUTE_BATCH} requests of one route between /proc readings):`);
    let total = 0;
    for (const [k, v] of r.routes) { console.log(`    ${k.padEnd(30)} ${f(v, 3)}`); total += v; }
    console.log(`    ${'sum'.padEnd(30)} ${f(total, 3)}`);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ap-bench-'));
  const [l1, l5] = loadavg();
  console.log(`Login benchmark: Node ${process.version}, ${availableParallelism()} cores, load average ${f(l1!, 1)} / ${f(l5!, 1)} (1/5 min)`);
  console.log(`warm-up ${WARMUP}, measured ${LOGINS} logins in ${ROUNDS} alternating rounds, ${CONCURRENCY} in flight; CPU per route over ${ROUTE_LOGINS} logins`);
  try {
    for (const d of ['ours', 'ours-start', 'ours-pg']) mkdirSync(join(dir, d));
    const ref = referenceSpec(dir, 'memory');
    const startSpec = ourSpec(join(dir, 'ours-start'), 'embedded');
    await measureStartup(COMPARE ? [startSpec, ref] : [startSpec]);
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
