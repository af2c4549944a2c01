/**
 * Operations (issue 6): liveness and readiness (ready only while the stores answer), the
 * Prometheus metrics (logins by eID and outcome, token requests by grant and outcome, the latency
 * histogram, active sessions), and graceful shutdown: a SIGTERM while a slow request is in flight
 * (a login waiting for a slow authorisation source) lets that request finish, then the process
 * exits 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { systemClock } from '../../src/core/clock.js';
import { createStores } from '../../src/store/create-stores.js';
import type { Stores } from '../../src/store/ports.js';
import { RedisEphemeralStore } from '../../src/store/redis/redis-ephemeral-store.js';
import { Browser, freePort, secretOf, startServer, TEST_KEY_ENCRYPTION_KEY, webClient, type TestServer } from './harness.js';
import { answerLogoutConfirm } from './logout-confirm.js';
import { authorizeUrl, basicAuth, formBody, newPkce, obtainCode, redirectOf } from './checks.js';

const ROOT = resolve(import.meta.dirname, '../..');
const REQUEST_TIMEOUT_MS = 10_000;
const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;

/** Every request of this file is bounded. */
const realFetch = globalThis.fetch;
beforeAll(() => {
  globalThis.fetch = ((input: string | URL | Request, init: RequestInit = {}) =>
    realFetch(input, { ...init, signal: init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) })) as typeof fetch;
});
afterAll(() => { globalThis.fetch = realFetch; });

async function get(url: string): Promise<{ status: number; text: string; type: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

/** Stores whose close() may be called early by the test and again by the app. */
function closableOnce(real: Stores): Stores & { closeNow(): Promise<void> } {
  let closing: Promise<void> | undefined;
  const closeNow = () => (closing ??= real.close());
  return { ...real, ping: () => real.ping(), close: closeNow, closeNow };
}

describe('health', () => {
  const dirs: string[] = [];
  let app: App | undefined;
  afterEach(async () => {
    await app?.app.close();
    app = undefined;
  });
  afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

  async function serve(env: Record<string, string>): Promise<{ origin: string; stores: Stores & { closeNow(): Promise<void> } }> {
    const dir = mkdtempSync(join(tmpdir(), 'ap-health-'));
    dirs.push(dir);
    // one key-encryption key: the PostgreSQL cases share a schema but not a data directory
    const config = loadConfig({ PORT: '0', DATA_DIR: dir, KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY, ...env });
    const stores = closableOnce(await createStores(config, systemClock));
    app = await buildApp(config, { stores });
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    return { origin: `http://127.0.0.1:${(app.app.server.address() as { port: number }).port}`, stores };
  }

  it('embedded store: live and ready; ready answers 503 once the store is closed, live stays 200', async () => {
    const { origin, stores } = await serve({});
    const live = await get(`${origin}/health/live`);
    expect(live.status).toBe(200);
    expect(JSON.parse(live.text)).toEqual({ status: 'ok' });
    expect((await get(`${origin}/health/ready`)).status).toBe(200);
    await stores.closeNow();
    const ready = await get(`${origin}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.type).toMatch(/json/);
    expect(JSON.parse(ready.text)).toEqual({ status: 'unavailable' });
    expect((await get(`${origin}/health/live`)).status).toBe(200);
  });

  describe.skipIf(!DATABASE_URL || !REDIS_URL)('server stores', () => {
    const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const prefix = `ap_health_${randomBytes(6).toString('hex')}`;
    // biome-ignore lint/suspicious/noDuplicateTestHooks: the hook of this describe.skipIf block, not a second one of the outer block
    afterAll(async () => {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      try { await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`); } finally { await client.end(); }
    });

    it('PostgreSQL and Redis: ready answers 503 when Redis is gone (its client closed) while PostgreSQL is up', async () => {
      const { origin, stores } = await serve({ DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: schema, REDIS_URL: REDIS_URL!, REDIS_PREFIX: prefix });
      expect((await get(`${origin}/health/ready`)).status).toBe(200);
      const redis = stores.ephemeral as RedisEphemeralStore;
      expect(redis).toBeInstanceOf(RedisEphemeralStore);
      await redis.clear();
      await redis.close();
      expect((await get(`${origin}/health/ready`)).status).toBe(503);
      expect((await get(`${origin}/health/live`)).status).toBe(200);
    });

    it('PostgreSQL alone (no Redis): ready answers 503 when its pool is closed, 200 before', async () => {
      const { origin, stores } = await serve({ DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: schema });
      expect('pool' in stores).toBe(true); // the PostgreSQL stores themselves
      expect((await get(`${origin}/health/ready`)).status).toBe(200);
      await stores.closeNow();
      expect((await get(`${origin}/health/ready`)).status).toBe(503);
      expect((await get(`${origin}/health/live`)).status).toBe(200);
    });
  });
});

// ---------------------------------------------------------------------------------------------

/** Prometheus text format → samples. */
function parseMetrics(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const out: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[4]) });
  }
  return out;
}

describe('metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ clients: [webClient('app')] });
  });
  afterAll(async () => server?.close());

  async function scrape() {
    const res = await fetch(`${server.issuer}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseMetrics(await res.text());
    const value = (name: string, labels: Record<string, string> = {}) =>
      samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
    return { samples, value };
  }

  const tokenRequest = (form: Record<string, string>, secret = secretOf('app')) =>
    fetch(`${server.issuer}/token`, { method: 'POST', body: formBody(form), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('app', secret) } });

  it('counts logins by eID and outcome: one more testid/success per login, sso for a silent re-login', async () => {
    const before = await scrape();
    const success = { eid: 'testid', outcome: 'success' };
    const b = new Browser(server.issuer);
    await obtainCode(b, server.issuer, 'app');
    const one = await scrape();
    expect(one.value('ansattporten_logins_total', success)).toBe(before.value('ansattporten_logins_total', success) + 1);
    await obtainCode(new Browser(server.issuer), server.issuer, 'app', { pid: '23846821082' });
    const two = await scrape();
    expect(two.value('ansattporten_logins_total', success)).toBe(before.value('ansattporten_logins_total', success) + 2);
    expect(two.samples.some((s) => s.name === 'ansattporten_logins_total' && s.labels.eid === 'testid' && s.labels.outcome === 'success')).toBe(true);
    // the same browser again: a silent re-login, counted as sso and not as another success
    await obtainCode(b, server.issuer, 'app');
    const three = await scrape();
    expect(three.value('ansattporten_logins_total', success)).toBe(two.value('ansattporten_logins_total', success));
    expect(three.value('ansattporten_logins_total', { eid: 'testid', outcome: 'sso' })).toBe(two.value('ansattporten_logins_total', { eid: 'testid', outcome: 'sso' }) + 1);
  });

  it('counts token requests by grant type and outcome, successes and failures', async () => {
    const c = await obtainCode(new Browser(server.issuer), server.issuer, 'app');
    const form = { grant_type: 'authorization_code', code: c.code, redirect_uri: c.redirectUri, code_verifier: c.verifier };
    const before = await scrape();
    const m = (grant_type: string, outcome: string) => ({ grant_type, outcome });
    const T = 'ansattporten_token_requests_total';

    expect((await tokenRequest(form, 'wrong-secret-that-is-long-enough-to-look-real')).status).toBe(401);
    const ok = await tokenRequest(form);
    expect(ok.status).toBe(200);
    const tokens = (await ok.json()) as { refresh_token: string };
    expect((await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).status).toBe(200);
    expect((await tokenRequest(form)).status).toBe(400); // replayed code
    expect((await tokenRequest({ grant_type: 'password', username: 'x', password: 'y' })).status).toBe(400);

    const after = await scrape();
    const delta = (labels: Record<string, string>) => after.value(T, labels) - before.value(T, labels);
    expect(delta(m('authorization_code', 'success'))).toBe(1);
    expect(delta(m('authorization_code', 'invalid_client'))).toBe(1);
    expect(delta(m('authorization_code', 'invalid_grant'))).toBe(1);
    expect(delta(m('refresh_token', 'success'))).toBe(1);
    expect(delta(m('other', 'unsupported_grant_type'))).toBe(1);
    // label values stay bounded: nothing a client sent becomes a label
    expect(after.samples.filter((s) => s.name === T).every((s) => ['authorization_code', 'refresh_token', 'other'].includes(s.labels.grant_type!))).toBe(true);
  });

  it('exposes the latency histogram by route, method and status', async () => {
    const before = await scrape();
    const labels = { route: '/.well-known/openid-configuration', method: 'GET', status: '200' };
    const H = 'ansattporten_http_request_duration_seconds';
    for (let i = 0; i < 3; i++) expect((await get(`${server.issuer}/.well-known/openid-configuration`)).status).toBe(200);
    const after = await scrape();
    expect(after.value(`${H}_count`, labels) - before.value(`${H}_count`, labels)).toBe(3);
    expect(after.value(`${H}_sum`, labels)).toBeGreaterThan(0);
    const buckets = after.samples.filter((s) => s.name === `${H}_bucket` && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    expect(buckets.length).toBeGreaterThan(5);
    const inf = buckets.find((s) => s.labels.le === '+Inf')!;
    expect(inf.value).toBe(after.value(`${H}_count`, labels));
    // cumulative buckets never decrease
    const sorted = buckets.filter((s) => s.labels.le !== '+Inf').sort((a, b) => Number(a.labels.le) - Number(b.labels.le));
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.value).toBeGreaterThanOrEqual(sorted[i - 1]!.value);
    // the token endpoint and unmatched routes are in there too, with a bounded route label
    expect(after.samples.some((s) => s.name === `${H}_count` && s.labels.route === '/token')).toBe(true);
    await get(`${server.issuer}/no/such/path/${randomBytes(4).toString('hex')}`);
    const later = await scrape();
    expect(later.samples.filter((s) => s.name === `${H}_count`).every((s) => !s.labels.route!.startsWith('/no/such'))).toBe(true);
  });

  it('reports active sessions: one more after a login in a new browser, one fewer after its logout', async () => {
    const S = 'ansattporten_active_sessions';
    const before = (await scrape()).value(S);
    const b = new Browser(server.issuer);
    await obtainCode(b, server.issuer, 'app');
    expect((await scrape()).value(S)).toBe(before + 1);
    // Without an id_token_hint the user is asked first: nothing has ended yet.
    const asked = await b.go(`${server.issuer}/logout`);
    expect((await scrape()).value(S)).toBe(before + 1);
    const out = await answerLogoutConfirm(b, asked, 'logout');
    expect(out.status).toBeLessThan(400);
    expect((await scrape()).value(S)).toBe(before);
    expect((await scrape()).samples.some((s) => s.name === S)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

describe('graceful shutdown', () => {
  let child: ChildProcess | undefined;
  let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let exited = false;
  let output = '';
  let altinn: Server | undefined;
  let dir = '';

  afterAll(async () => {
    if (child && !exited) {
      child.kill('SIGKILL');
      await Promise.race([exit, new Promise((r) => setTimeout(r, 5000).unref())]);
    }
    altinn?.closeAllConnections();
    await new Promise((r) => (altinn ? altinn.close(r) : r(undefined)));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a SIGTERM while a slow request is in flight lets it finish; new requests are refused; the process exits 0', async () => {
    // A slow authorisation source: the lookup arrives, and is answered only when the test says so.
    let arrived!: () => void;
    const lookupArrived = new Promise<void>((r) => { arrived = r; });
    let release!: () => void;
    const released = new Promise<void>((r) => { release = r; });
    altinn = createServer((req, res) => {
      req.resume();
      arrived();
      void released.then(() => res.writeHead(200, { 'content-type': 'application/json' }).end('[]'));
    });
    const altinnPort = await freePort();
    await new Promise<void>((r) => altinn!.listen(altinnPort, '127.0.0.1', r));

    dir = mkdtempSync(join(tmpdir(), 'ap-shutdown-'));
    const clients = join(dir, 'clients.json');
    writeFileSync(clients, JSON.stringify([webClient('app')]));
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ authorization_source: { type: 'altinn', base_url: `http://127.0.0.1:${altinnPort}`, timeout_ms: 15_000 } }));
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of ['DATABASE_URL', 'DATABASE_SCHEMA', 'REDIS_URL', 'REDIS_PREFIX', 'FIXTURES_FILE', 'NODE_ENV']) delete env[k];
    Object.assign(env, { PORT: String(port), HOST: '127.0.0.1', ISSUER: origin, DATA_DIR: dir, CLIENTS_FILE: clients, CONFIG_FILE: configFile, LOG_LEVEL: 'warn' });
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
    exit = new Promise((r) => child!.once('exit', (code, signal) => { exited = true; r({ code, signal }); }));
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`server did not start:\n${output}`)), 45_000);
      child!.stdout!.on('data', (d: Buffer) => {
        output += d.toString();
        if (output.includes('issuer:')) { clearTimeout(timer); res(); }
      });
      void exit.then(() => { clearTimeout(timer); rej(new Error(`server exited before listening:\n${output}`)); });
    });

    // A login that needs the authorisation source: the TestID post waits for it.
    const b = new Browser(origin);
    const pkce = newPkce();
    const url = authorizeUrl(origin, 'app', { authorization_details: JSON.stringify([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:eksempel-tjeneste' }]) }, pkce.challenge);
    const select = await b.go(url);
    expect(select.url).toContain('/login/select');
    const testid = await b.submit(select, '/login/select', { eid: 'testid' });
    expect(testid.url).toContain('/login/testid');
    const inFlight = b.submit(testid, '/login/testid', { pid: '15895010046', acr: 'substantial' });
    await Promise.race([lookupArrived, new Promise((_, rej) => setTimeout(() => rej(new Error('the lookup never arrived')), 10_000).unref())]);

    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(exited, 'the process waits for the request in flight').toBe(false);
    // a new request while closing is not served
    const late = await realFetch(`${origin}/health/live`, { signal: AbortSignal.timeout(5000) }).then((r) => r.status, (e: Error) => e.name);
    expect(late === 503 || late === 'TypeError', `late request: ${late}`).toBe(true);

    release();
    const step = await inFlight;
    expect(step.status, step.html.slice(0, 500)).toBe(303);
    expect(step.location?.startsWith(redirectOf('app'))).toBe(true);
    expect(new URL(step.location!).searchParams.get('code')).toBeTruthy();

    const ended = await Promise.race([exit, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000).unref())]);
    expect(ended, output).toEqual({ code: 0, signal: null });
    expect(output).toContain('SIGTERM received');
  }, 90_000);
});
