/**
 * What the slowest logins are: both servers as `npm run bench` runs them (embedded stores), with
 * bench/gc-observer.ts preloaded into each, warmed up, then rounds alternating between them
 * (ABBA…) with BENCH_CONCURRENCY logins in flight. Prints, per server, p50/p90/p99/max of a whole
 * login and of each step, the garbage collections during its measured rounds by kind, and for its
 * slowest 1 % of logins how many overlap a collection pause above 1 ms and which step was the
 * slowest in each.
 *
 *   npx tsx bench/latency-tail.ts
 *   BENCH_WARMUP=2000 BENCH_ROUNDS=4 BENCH_ROUND_LOGINS=1000 (defaults)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchEntry, CONCURRENCY, int, ourSpec, referenceSpec, runLogins, startServer, stopServer, type LoginTiming, type Server, type Spec } from './lib/servers.js';
import { percentile } from './lib/stats.js';

const WARMUP = int('BENCH_WARMUP', 2000);
const ROUNDS = Math.max(1, int('BENCH_ROUNDS', 4));
const PER_ROUND = int('BENCH_ROUND_LOGINS', 1000);
const PAUSE_MS = 1;

interface Measured { server: Server; gcFile: string; logins: LoginTiming[]; rounds: Array<[number, number]> }
interface Gc { start: number; duration: number; kind: string }

const now = () => performance.timeOrigin + performance.now();

async function round(m: Measured): Promise<void> {
  const begin = now();
  await runLogins(m.server, PER_ROUND, (login) => m.logins.push(login));
  m.rounds.push([begin, now()]);
}

const ms = (n: number) => n.toFixed(2);

function readGcs(file: string): Gc[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => {
    const [start, duration, kind] = line.split(' ');
    return { start: Number(start), duration: Number(duration), kind: kind ?? 'unknown' };
  });
}

function report(m: Measured): void {
  const { server, logins } = m;
  const names = server.flow.steps.map((s) => s.name);
  const totals = logins.map((l) => l.total).sort((a, b) => a - b);
  console.log(`\n${server.label}: ${logins.length} logins, p50 ${ms(percentile(totals, 50))}  p90 ${ms(percentile(totals, 90))}  p99 ${ms(percentile(totals, 99))}  max ${ms(totals.at(-1)!)} ms`);
  names.forEach((name, i) => {
    const xs = logins.map((l) => l.steps[i]!).sort((a, b) => a - b);
    console.log(`  ${name.padEnd(30)} p50 ${ms(percentile(xs, 50))}  p99 ${ms(percentile(xs, 99))}  max ${ms(xs.at(-1)!)}`);
  });
  const gcs = readGcs(m.gcFile).filter((g) => m.rounds.some(([a, b]) => g.start >= a && g.start <= b));
  const byKind = new Map<string, { count: number; total: number; max: number }>();
  for (const g of gcs) {
    const k = byKind.get(g.kind) ?? { count: 0, total: 0, max: 0 };
    k.count++;
    k.total += g.duration;
    k.max = Math.max(k.max, g.duration);
    byKind.set(g.kind, k);
  }
  const kinds = [...byKind].map(([kind, k]) => `${kind} ${k.count} (${ms(k.total)} ms, longest ${ms(k.max)})`).join(', ');
  console.log(`  garbage collections in its measured rounds: ${kinds || 'none'}`);
  const slowest = [...logins].sort((a, b) => a.total - b.total).slice(Math.floor(logins.length * 0.99));
  const pauses = gcs.filter((g) => g.duration > PAUSE_MS);
  const overlapping = slowest.filter((l) => pauses.some((g) => g.start <= l.start + l.total && g.start + g.duration >= l.start)).length;
  const slowStep = new Map<string, number>();
  for (const l of slowest) {
    const name = names[l.steps.indexOf(Math.max(...l.steps))]!;
    slowStep.set(name, (slowStep.get(name) ?? 0) + 1);
  }
  console.log(`  slowest 1 %: ${slowest.length} logins, ${overlapping} overlap a collection pause above ${PAUSE_MS} ms; slowest step in each: ${[...slowStep].map(([n, c]) => `${n} ${c}`).join(', ')}`);
}

const dirs: string[] = [];
const measured: Measured[] = [];
try {
  const specs: Array<(dir: string) => Spec> = [(dir) => ourSpec(dir, 'embedded', false), (dir) => referenceSpec(dir, 'memory', false)];
  for (const specIn of specs) {
    const dir = mkdtempSync(join(tmpdir(), 'ap-tail-'));
    dirs.push(dir);
    const spec = specIn(dir);
    const gcFile = join(dir, 'gc.log');
    spec.args = ['--import', benchEntry('gc-observer'), ...spec.args];
    spec.env.BENCH_GC_FILE = gcFile;
    const { server } = await startServer(spec);
    measured.push({ server, gcFile, logins: [], rounds: [] });
  }
  console.log(`Latency tails: warm-up ${WARMUP}, ${ROUNDS} alternating rounds of ${PER_ROUND} logins, ${CONCURRENCY} in flight`);
  for (const m of measured) await runLogins(m.server, WARMUP);
  for (let r = 0; r < ROUNDS; r++) {
    for (const m of r % 2 === 0 ? measured : [...measured].reverse()) await round(m);
  }
  await sleep(700); // the observers write every 500 ms
  for (const m of measured) report(m);
} finally {
  for (const m of measured) {
    await stopServer(m.server);
    await m.server.cleanup();
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
