import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Runs the real entry point (`npx tsx src/main.ts`) with a clean configuration environment plus
 * `extra`, and resolves with its exit code and output once it exits (60 s at most).
 */
export function runMain(extra: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['CONFIG_FILE', 'DATABASE_URL', 'DATABASE_SCHEMA', 'REDIS_URL', 'REDIS_PREFIX', 'CLIENTS_FILE', 'FIXTURES_FILE', 'NODE_ENV', 'HOST', 'PORT', 'LOG_LEVEL', 'EPHEMERAL_STORE', 'TRUST_PROXY']) delete env[k];
  Object.assign(env, { PORT: '0', DATA_DIR: resolve(ROOT, 'data-never-created'), ...extra });
  return new Promise((res, rej) => {
    const child = spawn('npx', ['tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); rej(new Error(`did not exit:\n${stdout}\n${stderr}`)); }, 60_000);
    child.on('exit', (code) => { clearTimeout(timer); res({ code, stdout, stderr }); });
  });
}
