/**
 * Hostile authorization requests (not a test): starts the provider as its own process on the
 * embedded default and sends 100 000 authorization requests of about 30 KB each (a long state, a
 * large authorization_details, padding parameters) from many simulated browsers, then prints the
 * server's resident memory before and after. The bounds on logins in progress (per browser, per
 * address, in total) and the per-address rate limit keep what the server stores small; the RSS
 * must stay under 300 MB.
 *
 *   npx tsx bench/hostile-authorize.ts             (REQUESTS=100000 CONCURRENCY=32)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/e2e/harness.js';

const REQUESTS = Number(process.env.REQUESTS ?? 100_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ap-hostile-'));
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: String(port), ISSUER: issuer, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; i < 200; i++) {
      try { if ((await fetch(`${issuer}/health/live`)).ok) break; } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    const pid = server.pid!;
    const before = rssMb(pid);
    const details = JSON.stringify(Array.from({ length: 60 }, (_, i) => ({
      type: 'ansattporten:altinn:resource', resource: `urn:altinn:resource:hostile-${i}-${'x'.repeat(230)}`, actions: ['read', 'write'],
    }))).slice(0, 20_000);
    const base = new URL(`${issuer}/authorize`);
    const q = base.searchParams;
    q.set('client_id', 'demo-client'); q.set('redirect_uri', `${issuer}/demo/callback`); q.set('response_type', 'code');
    q.set('scope', 'openid'); q.set('code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'); q.set('code_challenge_method', 'S256');
    q.set('nonce', 'n'.repeat(4000)); q.set('state', 's'.repeat(4000)); q.set('authorization_details', details);
    for (let i = 0; i < 2; i++) q.set(`pad${i}`, 'p'.repeat(1200));
    const body = q.toString();
    console.log(`request size ${(body.length / 1024).toFixed(1)} KB, ${REQUESTS} requests, ${CONCURRENCY} in flight`);
    const statuses = new Map<number, number>();
    let sent = 0;
    let peak = before;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (sent < REQUESTS) {
        sent++;
        // A new browser each time (no cookie): every request would start a new login in progress.
        const res = await fetch(`${issuer}/authorize`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (sent % 5000 === 0) peak = Math.max(peak, rssMb(pid));
      }
    }));
    const after = rssMb(pid);
    peak = Math.max(peak, after);
    console.log(`sent ${REQUESTS} in ${((performance.now() - t0) / 1000).toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    console.log(`server RSS before ${before.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, after ${after.toFixed(0)} MB (limit 300 MB: ${peak < 300 ? 'within' : 'EXCEEDED'})`);
  } finally {
    server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
