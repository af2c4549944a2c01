import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../../bin/ansattporten.mjs');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Variables that would point the CLI elsewhere: removed unless the test sets them. */
const ISOLATED = ['DATABASE_URL', 'DATABASE_SCHEMA', 'REDIS_URL', 'CONFIG_FILE', 'ADMIN_TOKEN', 'FIXTURES_FILE'];

/** Runs `ansattporten <args>` as a user would (bin/ansattporten.mjs), on `dataDir`, with `input` on stdin. */
export function runCli(args: string[], o: { dataDir: string; input?: string; env?: Record<string, string> }): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: o.dataDir, NODE_ENV: 'development', ...o.env };
  for (const k of ISOLATED) if (!o.env?.[k]) delete env[k];
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', rej);
    child.on('close', (code) => res({ code, stdout, stderr }));
    child.stdin.end(o.input ?? '');
  });
}
