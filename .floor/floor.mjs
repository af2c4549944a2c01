import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const cpu = (pid) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
async function run(label, args, env, path) {
  const port = 40000 + Math.floor(Math.random() * 1000);
  const child = spawn(process.execPath, args, { cwd: '/work/main', env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const get = () => new Promise((res, rej) => { const q = request({ host: '127.0.0.1', port, path, agent }, (r) => { r.resume(); r.on('end', () => res(r.statusCode)); }); q.on('error', rej); q.end(); });
  for (;;) { try { await get(); break; } catch { await new Promise((r) => setTimeout(r, 50)); } }
  const loop = async (n) => { let i = 0; await Promise.all([0, 1, 2, 3].map(async () => { while (i++ < n) await get(); })); };
  await loop(20000);
  for (let r = 0; r < 3; r++) { const c0 = cpu(child.pid); await loop(20000); console.log(label, path, ((cpu(child.pid) - c0) / 20000).toFixed(4), 'ms/request'); }
  child.kill(); agent.destroy();
}
const dir = mkdtempSync(join(tmpdir(), 'fl-'));
await run('bare fastify', ['.floor/bare.mjs'], {}, '/health/live');
await run('ours', ['build/src/main.mjs'], { DATA_DIR: dir, HOST: '127.0.0.1' }, '/health/live');
await run('ours', ['build/src/main.mjs'], { DATA_DIR: dir, HOST: '127.0.0.1' }, '/nope');
