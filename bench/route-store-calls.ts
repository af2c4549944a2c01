/**
 * Store calls per route of one login (ad hoc): starts our server with the store-call counter,
 * warms it up, then runs each step of a batch of logins between two readings of the counters.
 *   tsx bench/route-store-calls.ts            (embedded; PostgreSQL + Redis too when DATABASE_URL and REDIS_URL are set)
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { int, ourSpec, runLogins, runStep, startServer, stopServer, storeCounts, type Spec, type StoreCounts } from './lib/servers.js';

const N = int('BENCH_ROUTE_LOGINS', 20);
const WARM = int('BENCH_WARMUP', 20);
const VERBOSE = process.env.VERBOSE === '1';

function diff(a: StoreCounts, b: StoreCounts): StoreCounts {
  return {
    pgQueries: (a.pgQueries - b.pgQueries) / N, redisRoundTrips: (a.redisRoundTrips - b.redisRoundTrips) / N,
    redisCommands: (a.redisCommands - b.redisCommands) / N, sqliteStatements: (a.sqliteStatements - b.sqliteStatements) / N,
    byStatement: Object.fromEntries(Object.entries(a.byStatement).map(([k, v]) => [k, (v - (b.byStatement[k] ?? 0)) / N]).filter(([, v]) => (v as number) > 0)),
  };
}

async function measure(spec: Spec): Promise<void> {
  const { server } = await startServer(spec);
  try {
    await runLogins(server, WARM);
    console.log(`\n${spec.label}: store calls per request (mean of ${N})`);
    const states = Array.from({ length: N }, () => server.flow.newState());
    const total = { pg: 0, rt: 0, cmd: 0, sq: 0 };
    for (let k = 0; k < server.flow.steps.length; k++) {
      const before = await storeCounts(server);
      await runStep(server, k, states);
      const d = diff(await storeCounts(server), before);
      total.pg += d.pgQueries; total.rt += d.redisRoundTrips; total.cmd += d.redisCommands; total.sq += d.sqliteStatements;
      console.log(`  ${server.flow.steps[k]!.name.padEnd(20)} pg ${d.pgQueries.toFixed(2).padStart(5)}  redis ${d.redisRoundTrips.toFixed(2).padStart(5)} (${d.redisCommands.toFixed(2)} cmds)  sqlite ${d.sqliteStatements.toFixed(2).padStart(5)}`);
      if (VERBOSE) for (const [s, v] of Object.entries(d.byStatement)) console.log(`      ${v.toFixed(2)}  ${s}`);
    }
    console.log(`  ${'total'.padEnd(20)} pg ${total.pg.toFixed(2).padStart(5)}  redis ${total.rt.toFixed(2).padStart(5)} (${total.cmd.toFixed(2)} cmds)  sqlite ${total.sq.toFixed(2).padStart(5)}`);
  } finally {
    await stopServer(server);
    await server.cleanup();
  }
}

/** A variant of a spec: other environment, another label. */
const variant = (spec: Spec, label: string, env: Record<string, string>): Spec => ({ ...spec, label: `${spec.label.replace(/\(.*\)/, '')}(${label})`, env: { ...spec.env, ...env } });

const dir = mkdtempSync(join(tmpdir(), 'ap-rt-'));
try {
  for (const d of ['e', 'es', 'p', 'po']) mkdirSync(join(dir, d));
  await measure(ourSpec(join(dir, 'e'), 'embedded'));
  await measure(variant(ourSpec(join(dir, 'es'), 'embedded'), 'SQLite + SQLite', { EPHEMERAL_STORE: 'sqlite' }));
  if (process.env.DATABASE_URL && process.env.REDIS_URL) {
    await measure(ourSpec(join(dir, 'p'), 'pg+redis'));
    await measure(variant(ourSpec(join(dir, 'po'), 'pg+redis'), 'PostgreSQL only', { REDIS_URL: '' }));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
