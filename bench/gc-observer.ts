/**
 * Preloaded into a server by bench/latency-tail.ts (`node --import`): records every garbage
 * collection (perf_hooks' 'gc' entries: start as epoch ms, duration, kind) and appends them to
 * the file named by BENCH_GC_FILE every half second, one "start duration kind" line each. Touches
 * none of the server's code.
 */
import { appendFileSync } from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';

const file = process.env.BENCH_GC_FILE;
if (file) {
  const kinds: Record<number, string> = {
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak-callbacks',
  };
  const lines: string[] = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      // Node's 'gc' entries carry { kind } in `detail` (perf_hooks, "Garbage Collection Details").
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      lines.push(`${(performance.timeOrigin + e.startTime).toFixed(1)} ${e.duration.toFixed(3)} ${kind === undefined ? 'unknown' : (kinds[kind] ?? String(kind))}`);
    }
  }).observe({ entryTypes: ['gc'] });
  setInterval(() => {
    if (lines.length === 0) return;
    appendFileSync(file, `${lines.join('\n')}\n`);
    lines.length = 0;
  }, 500).unref();
}
