/**
 * Login benchmark: starts the provider as its own process, runs complete logins against it over
 * loopback HTTP (authorize → eID selector → TestID → code → token), and reports the server's CPU
 * time per login from /proc, next to the cost of the two RS256 signatures a login must make.
 *
 *   npm run bench            (defaults: 400 logins, 8 in parallel)
 *   LOGINS=2000 CONCURRENCY=16 npm run bench
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import { Browser, formFields, freePort } from '../test/e2e/harness.js';

const LOGINS = Number(process.env.LOGINS ?? 400);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const CLK_TCK = 100;

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK; // utime + stime
}

async function signCostMs(): Promise<number> {
  const { privateKey } = await generateKeyPair('RS256');
  const n = 300;
  for (let i = 0; i < 20; i++) await new SignJWT({ i }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
  const t = performance.now();
  for (let i = 0; i < n; i++) await new SignJWT({ i, sub: 'x'.repeat(43) }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
  return (performance.now() - t) / n;
}

const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret';
const BENCH_REDIRECT = 'https://bench.example.test/cb';

/**
 * One code-flow login against `issuer`: `authenticate` drives the provider's own pages from the
 * authorization URL to the redirect with the code; the code is then redeemed with PKCE.
 */
async function codeFlowLogin(issuer: string, authorizePath: string, authenticate: (b: Browser, authUrl: string) => Promise<{ location?: string }>): Promise<void> {
  const b = new Browser(issuer);
  const verifier = randomBytes(32).toString('base64url');
  const params = new URLSearchParams({
    client_id: 'bench', response_type: 'code', redirect_uri: BENCH_REDIRECT, scope: 'openid profile',
    state: randomBytes(8).toString('hex'), nonce: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
  });
  const done = await authenticate(b, `${issuer}${authorizePath}?${params}`);
  const code = new URL(done.location!).searchParams.get('code')!;
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`bench:${BENCH_SECRET}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: BENCH_REDIRECT, code_verifier: verifier }),
  });
  if (res.status !== 200) throw new Error(`token ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}

/** Our login: authorize → eID selector → TestID → code → token. */
const oneLogin = (issuer: string) => codeFlowLogin(issuer, '/authorize', async (b, url) => {
  const select = await b.go(url);
  const testid = await b.go(`${issuer}/login/select`, { form: { ...formFields(select.html, '/login/select'), eid: 'testid' } });
  return b.go(`${issuer}/login/testid`, { form: { ...formFields(testid.html, '/login/testid'), pid: '15895010046', acr: 'substantial' } });
});

/** The same login against node-oidc-provider: authorize → login page → login post → resume → code → token. */
const oneOidcProviderLogin = (issuer: string) => codeFlowLogin(issuer, '/auth', async (b, url) => {
  const page = await b.go(url);
  const action = /<form[^>]*action="([^"]+)"/.exec(page.html)![1]!;
  return b.go(new URL(action, issuer).href, { form: { prompt: 'login', login: '15895010046', password: 'x' } });
});

/** Server CPU per login (ms) of a child process serving `login`. */
async function measure(child: ReturnType<typeof spawn>, login: () => Promise<void>): Promise<{ perLogin: number; wall: number }> {
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('issuer:')) resolve(); });
    child.on('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
  for (let i = 0; i < 30; i++) await login(); // warm-up (JIT, caches)
  const before = cpuMs(child.pid!);
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < LOGINS) { next++; await login(); }
  }));
  return { perLogin: (cpuMs(child.pid!) - before) / LOGINS, wall: performance.now() - t0 };
}

async function compareWithOidcProvider(sign: number, ours: number): Promise<void> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bench/oidc-provider-server.mjs'], { env: { ...process.env, PORT: String(port), NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const { perLogin } = await measure(child, () => oneOidcProviderLogin(`http://localhost:${port}`));
    console.log('');
    console.log('node-oidc-provider, same machine, same login shape (1 RS256 signature: id_token; in-memory adapter):');
    console.log(`  server CPU per login:     ${perLogin.toFixed(2)} ms  (≈ ${(1000 / perLogin).toFixed(0)} logins/s per core)`);
    console.log(`  everything else:          ${(perLogin - sign).toFixed(2)} ms`);
    console.log(`ansattporten vs oidc-provider, logins per core: ${(1000 / ours).toFixed(0)} vs ${(1000 / perLogin).toFixed(0)}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ap-bench-'));
  const clients = join(dir, 'clients.json');
  writeFileSync(clients, JSON.stringify([{
    client_id: 'bench', client_name: 'Bench', client_orgno: '310900001', integration_type: 'ansattporten', application_type: 'web',
    token_endpoint_auth_method: 'client_secret_basic', grant_types: ['authorization_code'], scopes: ['openid', 'profile'],
    redirect_uris: ['https://bench.example.test/cb'], client_secret: 'bench-secret-bench-secret-bench-secret',
  }]));
  const port = await freePort();
  const issuer = `http://localhost:${port}`;
  const child = spawn(process.execPath, [...(process.env.CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.CPU_PROF] : []), ...(process.env.SERVER_ENTRY ? [process.env.SERVER_ENTRY] : ['--import', 'tsx', 'src/main.ts'])], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, CLIENTS_FILE: clients, CONFIG_FILE: '', DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const { perLogin, wall } = await measure(child, () => oneLogin(issuer));
    const sign = await signCostMs();
    console.log(`logins:                     ${LOGINS} (${CONCURRENCY} in parallel, 5 HTTP requests each)`);
    console.log(`wall time:                  ${wall.toFixed(0)} ms (${((LOGINS / wall) * 1000).toFixed(0)} logins/s, client in the same machine)`);
    console.log(`server CPU per login:       ${perLogin.toFixed(2)} ms  (≈ ${(1000 / perLogin).toFixed(0)} logins/s per core)`);
    console.log(`RS256 sign (measured here): ${sign.toFixed(2)} ms × 2 = ${(2 * sign).toFixed(2)} ms`);
    console.log(`everything else per login:  ${(perLogin - 2 * sign).toFixed(2)} ms`);
    // Mean server-side latency per route (wall time inside the server, from its own metrics).
    const metrics = await (await fetch(`${issuer}/metrics`)).text();
    const sums = new Map<string, { sum: number; count: number }>();
    for (const m of metrics.matchAll(/^ansattporten_http_request_duration_seconds_(sum|count)\{route="([^"]*)",method="([A-Z]+)"[^}]*\} ([0-9.e+-]+)$/gm)) {
      const key = `${m[3]} ${m[2]}`;
      const v = sums.get(key) ?? { sum: 0, count: 0 };
      if (m[1] === 'sum') v.sum += Number(m[4]); else v.count += Number(m[4]);
      sums.set(key, v);
    }
    console.log('mean time in the server per request:');
    for (const [k, v] of [...sums].filter(([k]) => !k.includes('metrics')).sort()) console.log(`  ${k.padEnd(28)} ${((v.sum / v.count) * 1000).toFixed(3)} ms  (${v.count})`);
    if (process.env.COMPARE !== '0') await compareWithOidcProvider(sign, perLogin);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
