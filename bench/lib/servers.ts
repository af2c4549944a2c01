/**
 * Starting and stopping the benchmarked servers (ours and node-oidc-provider) as child processes,
 * reading their store-call counters, and driving logins against them.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { buildSync } from 'esbuild';
import { existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { freePort } from '../../test/e2e/harness.js';
import { HttpClient } from './http-client.js';
import { CLIENT_ID, CLIENT_SECRET, oursFlow, REDIRECT_URI, referenceFlow, type LoginFlow, type LoginState } from './flows.js';
import { preciseCpuMs } from './proc.js';

/** A numeric setting from the environment. */
export const int = (name: string, dflt: number) => {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
};
export const CONCURRENCY = int('BENCH_CONCURRENCY', 4);
export const SESSION_MINUTES = 1;
const ROOT = join(import.meta.dirname, '..', '..');
export const runId = `${process.pid}${Date.now().toString(36)}`;

// ---------------------------------------------------------------------------------------------
// Servers

export interface Server {
  label: string;
  flow: LoginFlow;
  child: ChildProcess;
  pid: number;
  http: HttpClient;
  countsFile: string;
  /** Cleans up what the server left behind (data dir, schema, keys). */
  cleanup: () => Promise<void>;
}

export interface Spec {
  label: string;
  flow: LoginFlow;
  args: string[];
  env: Record<string, string>;
  cleanup?: () => Promise<void>;
}

let built = false;
/** Our server runs as `npm start` runs it: the bundle, rebuilt once per bench run so it is never stale. */
function ourEntry(): string {
  if (process.env.BENCH_SERVER_ENTRY) return process.env.BENCH_SERVER_ENTRY;
  if (!built) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  built = true;
  return 'build/src/main.mjs';
}

/**
 * The bench's own TypeScript that runs inside the servers (the reference server, the store-call
 * counter), compiled once per run with esbuild, so both servers run on plain `node` as
 * `npm start` runs ours, without tsx's loader thread and memory in the figures.
 */
const BENCH_BUILD = join(ROOT, 'node_modules', '.cache', 'ansattporten-bench');
let benchBuilt = false;
export function benchEntry(name: 'store-call-counter' | 'oidc-provider-server' | 'gc-observer'): string {
  if (!benchBuilt) {
    buildSync({
      entryPoints: ['store-call-counter', 'oidc-provider-server', 'gc-observer'].map((n) => join(ROOT, 'bench', `${n}.ts`)),
      outdir: BENCH_BUILD, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external',
      outExtension: { '.js': '.mjs' }, logLevel: 'warning',
    });
    benchBuilt = true;
  }
  return join(BENCH_BUILD, `${name}.mjs`);
}

/** Node's arguments for a server: with the store-call counter preloaded, or exactly as it starts in production. */
function serverArgs(entry: string, counted: boolean, flags: string[] = []): string[] {
  // A TypeScript entry (BENCH_SERVER_ENTRY=src/main.ts) runs through tsx, as `npm run start:dev` does.
  return [...flags, ...(entry.endsWith('.ts') ? ['--import', 'tsx'] : []), ...(counted ? ['--import', benchEntry('store-call-counter')] : []), entry];
}

export function ourSpec(dir: string, store: 'embedded' | 'pg+redis', counted = true): Spec {
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
      // The load comes from one address and one cookie jar per login: lift the per-address bounds
      // on authorization requests and logins in progress (they still count, as in production).
      rate_limits: { authorization_requests_per_minute: 1_000_000, login_flows_per_address: 10_000_000, login_flows_total: 100_000_000 },
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
    // As `npm start` runs it (package.json), plus BENCH_OUR_NODE_FLAGS for experiments.
    args: serverArgs(ourEntry(), counted, ['--enable-source-maps', ...(process.env.BENCH_OUR_NODE_FLAGS ?? '').split(' ').filter(Boolean)]),
    env,
    cleanup: store === 'pg+redis' ? () => dropStoreData(schema, prefix) : undefined,
  };
}

export function referenceSpec(dir: string, store: 'memory' | 'redis', counted = true): Spec {
  const prefix = `oidc-bench-${runId}`;
  return {
    label: store === 'memory' ? 'node-oidc-provider (in-memory adapter)' : 'node-oidc-provider (Redis adapter)',
    flow: referenceFlow,
    args: serverArgs(benchEntry('oidc-provider-server'), counted),
    env: {
      NODE_ENV: 'production', BENCH_REF_KEY_FILE: join(dir, 'ref-key.json'), BENCH_SESSION_SECONDS: String(SESSION_MINUTES * 60),
      REDIS_URL: store === 'redis' ? process.env.REDIS_URL! : '', REDIS_PREFIX: prefix,
    },
    cleanup: store === 'redis' ? () => dropStoreData(undefined, prefix) : undefined,
  };
}

export async function dropStoreData(schema: string | undefined, prefix: string): Promise<void> {
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
export async function startServer(spec: Spec): Promise<{ server: Server; startMs: number }> {
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

export async function stopServer(s: Server): Promise<void> {
  s.http.close();
  if (s.child.exitCode === null) {
    const exited = new Promise((r) => s.child.once('exit', r));
    s.child.kill('SIGTERM');
    await exited;
  }
  rmSync(s.countsFile, { force: true });
}

export interface StoreCounts {
  pgQueries: number; redisRoundTrips: number; redisCommands: number; sqliteStatements: number;
  /** Calls per statement (SQL text) or Redis command / batch. */
  byStatement: Record<string, number>;
}

export async function storeCounts(s: Server): Promise<StoreCounts> {
  rmSync(s.countsFile, { force: true });
  s.child.kill('SIGUSR2');
  for (let i = 0; i < 500 && !existsSync(s.countsFile); i++) await sleep(10);
  const c = JSON.parse(readFileSync(s.countsFile, 'utf8')) as StoreCounts;
  unlinkSync(s.countsFile);
  return c;
}

// ---------------------------------------------------------------------------------------------
// Load

/** One login as runLogins ran it: when it started (epoch ms), its latency and each step's (ms). */
export interface LoginTiming {
  start: number;
  total: number;
  steps: number[];
}

/**
 * Runs `n` complete logins, `CONCURRENCY` in flight; returns each login's latency (ms), and hands
 * each login with its steps' latencies to `onLogin` when given.
 */
export async function runLogins(s: Server, n: number, onLogin?: (login: LoginTiming) => void): Promise<number[]> {
  const latencies: number[] = [];
  let started = 0;
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, n) }, async () => {
    while (started < n) {
      started++;
      const t = performance.now();
      const st = s.flow.newState();
      const steps: number[] = [];
      for (const step of s.flow.steps) {
        const a = performance.now();
        await step.run(s.http, st);
        steps.push(performance.now() - a);
      }
      const total = performance.now() - t;
      latencies.push(total);
      onLogin?.({ start: performance.timeOrigin + t, total, steps });
    }
  }));
  return latencies;
}

/** Runs one step for every state in the batch, `CONCURRENCY` in flight. */
export async function runStep(s: Server, stepIndex: number, states: LoginState[]): Promise<void> {
  let i = 0;
  const step = s.flow.steps[stepIndex]!;
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, states.length) }, async () => {
    while (i < states.length) await step.run(s.http, states[i++]!);
  }));
}

/**
 * CPU ms per route: each step runs for a whole batch of logins between two readings of the
 * server's thread run times (schedstat, ns resolution), so every request in the batch is of one
 * route. Background work (GC, timers) lands on the route during which it happens.
 */
export async function cpuPerRoute(s: Server, logins: number, batch: number): Promise<Map<string, number>> {
  const sum = new Map<string, number>();
  for (let done = 0; done < logins; done += batch) {
    const states = Array.from({ length: Math.min(batch, logins - done) }, () => s.flow.newState());
    for (let k = 0; k < s.flow.steps.length; k++) {
      const before = preciseCpuMs(s.pid);
      await runStep(s, k, states);
      const name = s.flow.steps[k]!.name;
      sum.set(name, (sum.get(name) ?? 0) + preciseCpuMs(s.pid) - before);
    }
  }
  return new Map([...sum].map(([k, v]) => [k, v / logins]));
}

