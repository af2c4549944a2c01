import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Runs the child and collects its stdout until `done` says so (or it exits). */
function run(env: Record<string, string>, done: (out: string) => boolean, timeoutMs = 20_000): Promise<{ out: string; ms: number; exited: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/observability/log-destination-child.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let start = 0;
    let exited = false;
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timed out; got: ${out}`)); }, timeoutMs);
    const finish = () => { clearTimeout(timer); child.kill('SIGKILL'); resolve({ out, ms: Date.now() - start, exited }); };
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (done(out)) finish();
    });
    child.once('spawn', () => { start = Date.now(); });
    child.once('exit', () => { exited = true; finish(); });
  });
}

const lines = (out: string) => out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('buffered log destination (src/observability/log-destination.ts)', () => {
  it('a quiet process still writes its line, by the periodic flush, while it keeps running', async () => {
    const { out, exited } = await run({ FLUSH_MS: '200' }, (o) => o.includes('first line'));
    expect(exited).toBe(false);
    expect(lines(out)).toEqual([expect.objectContaining({ msg: 'first line', n: 1, level: 30 })]);
  });

  it('lines beyond the buffer are written whole, in order, and nothing is lost at exit', async () => {
    const { out, exited } = await run({ FLUSH_MS: '60000', MANY: '2000', EXIT_AFTER_MS: '50' }, () => false);
    expect(exited).toBe(true);
    const got = lines(out);
    expect(got).toHaveLength(2001);
    expect(got.slice(1).map((l) => l.i)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });
});
