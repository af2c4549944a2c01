/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): self and total time by function and by file
 * (top 30), and grouped into categories. A sample belongs to the category of its innermost frame
 * that has one (so JSON.parse called from the store counts as store, node:crypto called from jose
 * as signing); samples with none are "other".
 *
 *   npx tsx bench/profile-summary.ts <file.cpuprofile> [logins] [from-µs to-µs]
 *
 * `logins` turns times into ms per login; `from`/`to` (CLOCK_MONOTONIC µs, the profile's own
 * clock) keep only the samples of a measured window (bench/profile.ts passes them).
 * Only the main thread is sampled: work in libuv's thread pool (WebCrypto signing) shows up in
 * /proc CPU but not here, except for the hand-offs on the main thread.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
export interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

export const CATEGORIES: Array<[string, RegExp]> = [
  ['signing (jose/crypto)', /node_modules\/jose\/|^node:(internal\/)?crypto|^src\/tokens\/signing-keys/],
  ['page rendering (src/ui)', /^src\/ui\/|^src\/http\/render-view/],
  ['sessions and cookies', /^src\/session\/|^src\/http\/cookies|node_modules\/(@fastify\/cookie|cookie|cookie-signature)\//],
  ['store', /^src\/store\/|node_modules\/(better-sqlite3|bindings|pg|pg-protocol|pg-pool|pg-types|postgres-[a-z]+|@redis\/[a-z-]+|redis)\//],
  ['logging (pino)', /node_modules\/(pino|pino-std-serializers|sonic-boom|thread-stream|fast-redact|@pinojs\/redact|on-exit-leak-free|quick-format-unescaped|atomic-sleep|safe-stable-stringify)\/|^src\/observability\/logging/],
  ['metrics (prom-client)', /node_modules\/(prom-client|tdigest|bintrees)\/|^src\/observability\/metrics/],
  ['validation (src/oauth/authorize, zod)', /^src\/oauth\/authorize\/|node_modules\/zod\//],
  ['HTTP floor (fastify, node:http)', /node_modules\/(fastify|@fastify\/[a-z-]+|light-my-request|find-my-way|avvio|fast-json-stringify|secure-json-parse|fast-querystring|fast-decode-uri-component|toad-cache|rfdc|fast-uri|abstract-logging|process-warning|content-type|proxy-addr|forwarded|ipaddr\.js|ret|safe-regex2|json-schema-ref-resolver|@fastify)\/|^node:(_http_\w+|http|net|stream|internal\/(http|streams\/|stream_base_commons|net|js_stream_socket|url))/],
];
const GC = 'garbage collection';
const PROGRAM = 'native, unattributed ((program))';

const root = `${pathToFileURL(resolve(import.meta.dirname, '..')).href}/`;

/** A short, stable location: path relative to the repository (node_modules kept), or node:… */
export function shortUrl(url: string): string {
  if (url.startsWith(root)) return url.slice(root.length);
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + 1);
  return url.replace(/^file:\/\//, '');
}

function categoryOf(file: string): string | undefined {
  if (!file) return undefined;
  for (const [name, re] of CATEGORIES) if (re.test(file)) return name;
  return undefined;
}

export interface Summary {
  windowMs: number;
  busyMs: number;
  idleMs: number;
  categories: Map<string, number>;
  /** Self time of the functions whose samples went to each category. */
  byCategoryFunction: Map<string, Map<string, number>>;
  selfByFunction: Map<string, number>;
  totalByFunction: Map<string, number>;
  selfByFile: Map<string, number>;
  totalByFile: Map<string, number>;
}

export function summarise(p: CpuProfile, opts: { fromUs?: number; toUs?: number } = {}): Summary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // Time per sampled node (µs), inside the window.
  const timeAt = new Map<number, number>();
  let t = p.startTime;
  const from = opts.fromUs ?? -Infinity;
  const to = opts.toUs ?? Infinity;
  let windowStart = Infinity;
  let windowEnd = -Infinity;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    if (t < from || t > to) continue;
    const dur = p.timeDeltas[i + 1] ?? 0; // until the next sample
    timeAt.set(p.samples[i]!, (timeAt.get(p.samples[i]!) ?? 0) + dur);
    windowStart = Math.min(windowStart, t);
    windowEnd = Math.max(windowEnd, t + dur);
  }

  const file = (n: ProfileNode) => shortUrl(n.callFrame.url);
  // (Modules loaded through tsx report line 0 for every function: then the file alone.)
  const fnKey = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}${n.callFrame.url ? `  ${file(n)}${n.callFrame.lineNumber > 0 ? `:${n.callFrame.lineNumber + 1}` : ''}` : ''}`;

  // Category of a node: its own, or its caller's (innermost categorised frame wins).
  const category = new Map<number, string | undefined>();
  const catOf = (id: number): string | undefined => {
    if (category.has(id)) return category.get(id);
    const n = byId.get(id)!;
    const own = categoryOf(file(n));
    const c = own ?? (parent.has(id) ? catOf(parent.get(id)!) : undefined);
    category.set(id, c);
    return c;
  };

  const s: Summary = {
    windowMs: Number.isFinite(windowStart) ? (windowEnd - windowStart) / 1000 : 0, busyMs: 0, idleMs: 0,
    categories: new Map(), byCategoryFunction: new Map(), selfByFunction: new Map(), totalByFunction: new Map(), selfByFile: new Map(), totalByFile: new Map(),
  };
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);

  for (const [id, us] of timeAt) {
    const n = byId.get(id)!;
    const ms = us / 1000;
    const name = n.callFrame.functionName;
    if (name === '(idle)') { s.idleMs += ms; continue; }
    s.busyMs += ms;
    add(s.selfByFunction, fnKey(n), ms);
    add(s.selfByFile, n.callFrame.url ? file(n) : `(${name.replace(/[()]/g, '') || 'native'})`, ms);
    const cat = name === '(garbage collector)' ? GC : name === '(program)' ? PROGRAM : catOf(id) ?? 'other';
    add(s.categories, cat, ms);
    if (!s.byCategoryFunction.has(cat)) s.byCategoryFunction.set(cat, new Map());
    add(s.byCategoryFunction.get(cat)!, fnKey(n), ms);
    // Total time: every distinct function and file on the stack, once.
    const fns = new Set<string>();
    const files = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur)!;
      if (node.callFrame.functionName === '(root)') break;
      fns.add(fnKey(node));
      if (node.callFrame.url) files.add(file(node));
    }
    for (const k of fns) add(s.totalByFunction, k, ms);
    for (const k of files) add(s.totalByFile, k, ms);
  }
  return s;
}

/**
 * Prints the summary. V8 samples by wall clock: on a busy machine a thread that the kernel has
 * descheduled still has its samples, so "busy" exceeds the thread's CPU time. Given the main
 * thread's CPU per login from /proc, every figure is scaled to it (same proportions, CPU units).
 */
export function printSummary(s: Summary, opts: { logins?: number; top?: number; mainThreadCpuMsPerLogin?: number } = {}): void {
  const top = opts.top ?? 30;
  const per = opts.logins ? opts.logins : 1;
  const scale = opts.logins && opts.mainThreadCpuMsPerLogin && s.busyMs > 0 ? (opts.mainThreadCpuMsPerLogin * opts.logins) / s.busyMs : 1;
  const unit = `${opts.logins ? 'ms/login' : 'ms'}${scale !== 1 ? ', scaled to main-thread CPU' : ''}`;
  const fmt = (ms: number) => ((ms * scale) / per).toFixed(opts.logins ? 4 : 1).padStart(9);
  const pctOf = (ms: number) => `${((ms / s.busyMs) * 100).toFixed(1).padStart(5)} %`;
  console.log(`profile window ${s.windowMs.toFixed(0)} ms: main thread sampled busy ${s.busyMs.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms` +
    (opts.logins ? `; ${opts.logins} logins → ${(s.busyMs / opts.logins).toFixed(3)} ms sampled per login` : '') +
    (scale !== 1 ? `; scale to /proc main-thread CPU: ×${scale.toFixed(2)}` : ''));
  console.log(`\nBy category (${unit}; % of busy main-thread samples):`);
  for (const [k, v] of [...s.categories].sort((a, b) => b[1] - a[1])) console.log(`  ${fmt(v)}  ${pctOf(v)}  ${k}`);
  const list = (title: string, m: Map<string, number>) => {
    console.log(`\n${title} (top ${top}, ${unit}):`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${fmt(v)}  ${pctOf(v)}  ${k}`);
  };
  console.log(`\nTop functions (self time) within each category (${unit}):`);
  for (const [cat] of [...s.categories].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${cat}:`);
    for (const [k, v] of [...s.byCategoryFunction.get(cat)!].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`    ${fmt(v)}  ${k}`);
  }
  list('Self time by function', s.selfByFunction);
  list('Total time by function', s.totalByFunction);
  list('Self time by file', s.selfByFile);
  list('Total time by file', s.totalByFile);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const [file, logins, from, to] = process.argv.slice(2);
  if (!file) {
    console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [logins] [from-µs to-µs]');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  printSummary(summarise(profile, { ...(from ? { fromUs: Number(from) } : {}), ...(to ? { toUs: Number(to) } : {}) }), logins ? { logins: Number(logins) } : {});
}
