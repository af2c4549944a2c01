/**
 * Bench-only preload (`node --import <compiled store-call-counter.mjs> …`, see bench/lib/servers.ts): counts the
 * store calls a server makes, at the driver level, without touching the server's code:
 *   pg            one Client#query = one round trip (the extended protocol sends parse/bind/execute/sync together)
 *   redis         one command, or one MULTI/EXEC or pipeline batch = one round trip
 *   better-sqlite3 one executed statement (in process: not a round trip, but the same unit of work)
 * and the same per statement (SQL text, Redis command names). On SIGUSR2 the counts are written
 * as JSON to $BENCH_COUNTS_FILE.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const counts = { pgQueries: 0, redisRoundTrips: 0, redisCommands: 0, sqliteStatements: 0, byStatement: {} as Record<string, number> };
const require = createRequire(import.meta.url);
type Fn = (...args: unknown[]) => unknown;

// A statement's label is made once per text: the counter runs in the measured rounds too, and
// should cost the server as little as it can. Made on every call, the label cost 0.8 µs (a
// regular expression over the SQL), some 6 µs of our login's 7 SQLite statements; kept, 0.03 µs.
const labels = new Map<string, Map<string, string>>();
function label(kind: string, text: string): string {
  let byText = labels.get(kind);
  if (!byText) {
    byText = new Map();
    labels.set(kind, byText);
  }
  let l = byText.get(text);
  if (l === undefined) {
    l = `${kind}: ${text.replace(/\s+/g, ' ').trim().slice(0, 110)}`;
    if (byText.size < 10_000) byText.set(text, l);
  }
  return l;
}
function tally(key: string): void {
  counts.byStatement[key] = (counts.byStatement[key] ?? 0) + 1;
}

function wrap(proto: Record<string, unknown>, name: string, count: (self: unknown, args: unknown[]) => void): void {
  const orig = proto[name] as Fn | undefined;
  if (typeof orig !== 'function') return;
  proto[name] = function (this: unknown, ...args: unknown[]) {
    count(this, args);
    return orig.apply(this, args);
  };
}

try {
  const pg = require('pg') as { Client: { prototype: Record<string, unknown> } };
  wrap(pg.Client.prototype, 'query', (_self, args) => {
    counts.pgQueries++;
    const q = args[0];
    tally(label('pg', typeof q === 'string' ? q : String((q as { text?: string } | undefined)?.text ?? '?')));
  });
} catch { /* pg absent */ }

const redisName = (args: unknown): string => (Array.isArray(args) ? String(args[0]).toUpperCase() : '?');
try {
  const { createClient } = require('redis') as { createClient: () => object };
  // The method lives on a class deep in @redis/client; find it along the prototype chain.
  let proto = Object.getPrototypeOf(createClient()) as Record<string, unknown> | null;
  while (proto && !Object.hasOwn(proto, 'sendCommand')) proto = Object.getPrototypeOf(proto) as Record<string, unknown> | null;
  if (proto) {
    wrap(proto, 'sendCommand', (_self, args) => { counts.redisRoundTrips++; counts.redisCommands++; tally(`redis: ${redisName(args[0])}`); });
    const batch = (kind: string) => (_self: unknown, args: unknown[]) => {
      const cmds = Array.isArray(args[0]) ? (args[0] as Array<{ args?: unknown }>) : [];
      counts.redisRoundTrips++;
      counts.redisCommands += cmds.length;
      tally(`redis: ${kind}(${cmds.map((c) => redisName(c.args)).join(' ')})`);
    };
    wrap(proto, '_executeMulti', batch('MULTI'));
    wrap(proto, '_executePipeline', batch('PIPELINE'));
  }
} catch { /* redis absent */ }

try {
  const Database = require('better-sqlite3') as new (file: string) => { prepare(sql: string): object; close(): void };
  const db = new Database(':memory:');
  const stmtProto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<string, unknown>;
  db.close();
  for (const m of ['run', 'get', 'all', 'iterate']) {
    wrap(stmtProto, m, (self) => { counts.sqliteStatements++; tally(label('sqlite', String((self as { source?: string }).source))); });
  }
  wrap((Database as unknown as { prototype: Record<string, unknown> }).prototype, 'exec', (_self, args) => { counts.sqliteStatements++; tally(label('sqlite', String(args[0]))); });
} catch { /* better-sqlite3 absent */ }

process.on('SIGUSR2', () => {
  if (process.env.BENCH_COUNTS_FILE) writeFileSync(process.env.BENCH_COUNTS_FILE, JSON.stringify(counts));
});
