import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'ap-gc-observer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `code` in a node process with bench/gc-observer.ts preloaded, as bench/latency-tail.ts preloads it into a server. */
function observe(code: string, env: Record<string, string>): void {
  execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--import', resolve(import.meta.dirname, '../../bench/gc-observer.ts'), '--input-type=module', '-e', code], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 30_000,
  });
}

describe('bench/gc-observer.ts', () => {
  it('writes each garbage collection as "epoch-start duration kind", full and young ones told apart', () => {
    const file = join(dir, 'gc.log');
    const before = Date.now();
    // Two forced full collections, then young garbage; the process waits past one 500 ms write.
    observe("gc(); gc(); let keep = []; for (let i = 0; i < 2e6; i++) { keep.push({ i }); if (keep.length > 1000) keep = []; } setTimeout(() => {}, 800);", { BENCH_GC_FILE: file });
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const entries = lines.map((l) => l.split(' '));
    for (const [start, duration, kind] of entries) {
      expect(Number(start)).toBeGreaterThanOrEqual(before - 1);
      expect(Number(start)).toBeLessThanOrEqual(Date.now());
      expect(Number(duration)).toBeGreaterThanOrEqual(0);
      expect(['major', 'minor', 'incremental', 'weak-callbacks']).toContain(kind);
    }
    expect(entries.filter(([, , kind]) => kind === 'major').length).toBeGreaterThanOrEqual(2);
    expect(entries.some(([, , kind]) => kind === 'minor')).toBe(true);
  });
});
