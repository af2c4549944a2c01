/**
 * `npm run bench:routes`: our login's routes in one process through fastify's inject (no sockets,
 * no second process), CPU per route from process.cpuUsage over batches of one route. It measures
 * the route logic (validation, store, pages, cookies, logging, metrics, signing) without the
 * kernel's share of the HTTP floor, so a change to one route shows even on a busy machine; the
 * figures that count are `npm run bench`'s.
 *
 *   BENCH_WARMUP=2000 BENCH_LOGINS=3000 npm run bench:routes
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, oursFlow, type LoginState } from './lib/flows.js';
import type { HttpClient, Reply } from './lib/http-client.js';
import { int } from './lib/servers.js';

const WARMUP = int('BENCH_WARMUP', 2000);
const LOGINS = int('BENCH_LOGINS', 3000);
const BATCH = 100;

const dir = mkdtempSync(join(tmpdir(), 'ap-routes-'));
writeFileSync(join(dir, 'clients.json'), JSON.stringify([{
  client_id: CLIENT_ID, client_name: 'Bench', client_orgno: '310900001', integration_type: 'ansattporten', application_type: 'web',
  token_endpoint_auth_method: 'client_secret_basic', grant_types: ['authorization_code'], scopes: ['openid', 'profile'],
  redirect_uris: [REDIRECT_URI], client_secret: CLIENT_SECRET,
}]));
writeFileSync(join(dir, 'config.json'), JSON.stringify({
  rate_limits: { authorization_requests_per_minute: 1_000_000, login_flows_per_address: 10_000_000, login_flows_total: 100_000_000 },
}));
const config = loadConfig({ DATA_DIR: dir, CLIENTS_FILE: join(dir, 'clients.json'), CONFIG_FILE: join(dir, 'config.json'), ISSUER: 'http://127.0.0.1:1' });
// Logs are written (at info, as in production) to /dev/null.
const { app } = await buildApp(config, { logger: { level: 'info', file: '/dev/null' } });
await app.ready();

const client = {
  async send(method: 'GET' | 'POST', path: string, jar: LoginState['jar'] | undefined, opts: { form?: string; auth?: string; wantBody?: boolean } = {}): Promise<Reply> {
    const headers: Record<string, string> = {};
    const cookie = jar?.header();
    if (cookie) headers.cookie = cookie;
    if (opts.auth) headers.authorization = opts.auth;
    if (opts.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const r = await app.inject({ method, url: path, headers, ...(opts.form !== undefined ? { payload: opts.form } : {}) });
    const set = r.headers['set-cookie'];
    jar?.store(set === undefined ? undefined : Array.isArray(set) ? set : [set]);
    const location = r.headers.location;
    return { status: r.statusCode, ...(typeof location === 'string' ? { location } : {}), body: r.body };
  },
} as unknown as HttpClient;

async function logins(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const s = oursFlow.newState();
    for (const step of oursFlow.steps) await step.run(client, s);
  }
}

await logins(WARMUP);
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const perRoute = new Map<string, number>();
let whole = 0;
for (let done = 0; done < LOGINS; done += BATCH) {
  const states = Array.from({ length: BATCH }, () => oursFlow.newState());
  for (const step of oursFlow.steps) {
    const c0 = cpu();
    for (const s of states) await step.run(client, s);
    const ms = cpu() - c0;
    perRoute.set(step.name, (perRoute.get(step.name) ?? 0) + ms);
    whole += ms;
  }
}
console.log(`ansattporten (SQLite + memory) through inject, ${WARMUP} warm-up, ${LOGINS} logins in batches of ${BATCH} per route`);
for (const [name, ms] of perRoute) console.log(`  ${name.padEnd(20)} ${(ms / LOGINS).toFixed(4)} ms CPU`);
console.log(`  ${'login'.padEnd(20)} ${(whole / LOGINS).toFixed(4)} ms CPU (process, all threads)`);
await app.close();
process.exit(0);
