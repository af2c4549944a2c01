/**
 * Several instances on one PostgreSQL and one Redis (issue 6): three server processes with the
 * same configuration behind a load balancer with no sticky routing. The load balancer lives in
 * this test: every request to the issuer's origin (a host name no instance listens on) is sent to
 * an instance chosen per request, and a request that cannot reach its instance (connection
 * refused or reset) is sent to the next live one, as a real balancer does.
 *
 * (a) logins whose steps alternate between the instances; (b) many logins in parallel while one
 * instance is killed with SIGKILL, every login accounted for; (c) single-use things (code, ONETIME
 * refresh token, PAR request_uri, client-assertion jti) redeemed at two instances at once;
 * (d) clients, keys and grants live in PostgreSQL: a fresh instance with a new Redis prefix and no
 * clients file still knows them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SignJWT, createLocalJWKSet, decodeJwt, exportJWK, generateKeyPair, jwtVerify, type JSONWebKeySet } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisEphemeralStore } from '../../src/store/redis/redis-ephemeral-store.js';
import { Browser, freePort, secretOf, TEST_KEY_ENCRYPTION_KEY, webClient, type Step } from './harness.js';
import { authorizeUrl, basicAuth, formBody, newPkce, redirectOf } from './checks.js';

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;

const ROOT = resolve(import.meta.dirname, '../..');
/** The issuer every instance is configured with; no process listens there: only the balancer below routes it. */
const ISSUER = 'http://ansattporten.lb.test';
const REQUEST_TIMEOUT_MS = 10_000;
const START_TIMEOUT_MS = 45_000;
const PIDS = ['15895010046', '23846821082', '02918533047', '30867741573', '17819212120', '49888925189'];

// ---------------------------------------------------------------------------------------------
// Server processes

interface ServerProcess {
  name: string;
  child: ChildProcess;
  origin: string;
  /** Tail of stdout and stderr, for failure messages. */
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited: boolean;
  /** Marked by the balancer when the instance cannot be reached. */
  down: boolean;
}

const processes: ServerProcess[] = [];

async function spawnServer(name: string, env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['CONFIG_FILE', 'DATABASE_URL', 'DATABASE_SCHEMA', 'REDIS_URL', 'REDIS_PREFIX', 'CLIENTS_FILE', 'FIXTURES_FILE', 'ISSUER', 'NODE_ENV']) delete childEnv[k];
  Object.assign(childEnv, { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (d: Buffer) => { tail = (tail + d.toString()).slice(-20_000); };
  const p: ServerProcess = {
    name, child, origin: `http://127.0.0.1:${port}`, output: () => tail, exited: false, down: false,
    exit: new Promise((res) => child.once('exit', (code, signal) => { p.exited = true; res({ code, signal }); })),
  };
  processes.push(p);
  child.stderr!.on('data', keep);
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`${name} did not start within ${START_TIMEOUT_MS} ms:\n${tail}`)), START_TIMEOUT_MS);
    child.stdout!.on('data', (d: Buffer) => {
      keep(d);
      if (tail.includes('issuer:')) { clearTimeout(timer); res(); }
    });
    void p.exit.then(({ code, signal }) => { clearTimeout(timer); rej(new Error(`${name} exited (${code ?? signal}) before listening:\n${tail}`)); });
  });
  return p;
}

/** Sends `signal` and waits (bounded) for the exit; escalates to SIGKILL. */
async function stopProcess(p: ServerProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (!p.exited) p.child.kill(signal);
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
  const first = await Promise.race([p.exit, timeout]);
  if (first !== 'timeout') return first;
  p.child.kill('SIGKILL');
  await Promise.race([p.exit, new Promise((r) => setTimeout(r, 5000).unref())]);
  throw new Error(`${p.name} did not exit within ${timeoutMs} ms after ${signal}:\n${p.output()}`);
}

// ---------------------------------------------------------------------------------------------
// The load balancer: a fetch for the issuer's origin, routed per request

type Route = ServerProcess | 'round-robin';
let instances: ServerProcess[] = [];
let router: (method: string, path: string) => Route = () => 'round-robin';
let rr = 0;
/** Per-login record of which instance served which request ("POST /login/testid → C 303"). */
const trace = new AsyncLocalStorage<string[]>();
const realFetch = globalThis.fetch;

function connectionFailure(e: unknown): boolean {
  if (!(e instanceof TypeError)) return false;
  const code = String((e.cause as { code?: unknown } | undefined)?.code ?? '');
  return ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'].includes(code);
}

function nextLive(tried: Set<ServerProcess>): ServerProcess | undefined {
  for (let k = 0; k < instances.length; k++) {
    const inst = instances[rr++ % instances.length]!;
    if (!inst.down && !tried.has(inst)) return inst;
  }
  return undefined;
}

async function balancedFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const signal = init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  if (!url.startsWith(`${ISSUER}/`)) return realFetch(input, { ...init, signal });
  const u = new URL(url);
  const method = (init.method ?? 'GET').toUpperCase();
  const route = router(method, u.pathname);
  const tried = new Set<ServerProcess>();
  for (;;) {
    const inst = route === 'round-robin' ? nextLive(tried) : route;
    if (!inst) throw new Error(`no live instance for ${method} ${u.pathname}`);
    tried.add(inst);
    try {
      const res = await realFetch(`${inst.origin}${u.pathname}${u.search}`, { ...init, signal });
      trace.getStore()?.push(`${method} ${u.pathname} → ${inst.name} ${res.status}`);
      return res;
    } catch (e) {
      trace.getStore()?.push(`${method} ${u.pathname} → ${inst.name} ${(e as Error).name}: ${String((e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message)}`);
      if (route !== 'round-robin' || !connectionFailure(e)) throw e;
      inst.down = true; // the balancer takes it out and tries the next one
    }
  }
}

/** A request to one given instance (no balancing), bounded by the timeout. */
async function at(inst: ServerProcess, path: string, init: RequestInit & { form?: Record<string, string> } = {}): Promise<{ status: number; headers: Headers; text: string; json: any }> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.form) {
    body = formBody(init.form);
    headers.set('content-type', 'application/x-www-form-urlencoded');
  }
  const res = await realFetch(`${inst.origin}${path}`, { ...init, headers, body, method: init.method ?? (body !== undefined ? 'POST' : 'GET'), redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await res.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

const tokenAt = (inst: ServerProcess, form: Record<string, string>, client = 'app') =>
  at(inst, '/token', { form, headers: { authorization: basicAuth(client, secretOf(client)) } });

// ---------------------------------------------------------------------------------------------

describe.skipIf(!DATABASE_URL || !REDIS_URL)('three instances on one PostgreSQL and one Redis', () => {
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const prefixes = [`ap_mi_${randomBytes(6).toString('hex')}`];
  const dirs: string[] = [];
  let clientsFile = '';
  let A: ServerProcess, B: ServerProcess, C: ServerProcess;
  let jwksAtStart: JSONWebKeySet;
  let pkjwtKey: CryptoKey;
  /** An unused refresh token and the subject of a login from (a), for (d). */
  const kept: { refreshToken?: string; sub?: string } = {};

  const tmp = (prefix: string) => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  const baseEnv = (prefix: string) => ({
    ISSUER, DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: schema, REDIS_URL: REDIS_URL!, REDIS_PREFIX: prefix,
    KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY, // shared: the instances have separate data directories
  });

  beforeAll(async () => {
    globalThis.fetch = balancedFetch as typeof fetch;
    const kp = await generateKeyPair('RS256', { extractable: true });
    pkjwtKey = kp.privateKey;
    const jwk = { ...(await exportJWK(kp.publicKey)), kid: 'mi-key-1', alg: 'RS256', use: 'sig' };
    const shared = tmp('ap-mi-');
    clientsFile = join(shared, 'clients.json');
    writeFileSync(clientsFile, JSON.stringify([
      webClient('app'),
      webClient('pkjwt', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] }, client_secret: undefined }),
    ]));
    // All three start at the same moment on an empty schema (migrations and first keys race).
    instances = await Promise.all(['A', 'B', 'C'].map((n) => spawnServer(n, { ...baseEnv(prefixes[0]!), CLIENTS_FILE: clientsFile, DATA_DIR: tmp(`ap-mi-${n}-`) })));
    [A, B, C] = instances as [ServerProcess, ServerProcess, ServerProcess];
  }, 120_000);

  afterAll(async () => {
    globalThis.fetch = realFetch;
    await Promise.allSettled(processes.filter((p) => !p.exited).map((p) => stopProcess(p, 'SIGKILL', 5000)));
    const problems: unknown[] = [];
    for (const prefix of prefixes) {
      try {
        const store = await createRedisEphemeralStore(REDIS_URL!, { prefix });
        try { await store.clear(); } finally { await store.close(); }
      } catch (e) { problems.push(e); }
    }
    try {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      try { await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`); } finally { await client.end(); }
    } catch (e) { problems.push(e); }
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    if (problems.length) throw problems[0];
  }, 60_000);

  async function jwksOf(inst: ServerProcess): Promise<JSONWebKeySet> {
    const res = await at(inst, '/jwks.json');
    expect(res.status).toBe(200);
    return res.json as JSONWebKeySet;
  }

  /** A login for `client` through the balancer with the current router; returns the code or the step where it stopped. */
  async function browserLogin(b: Browser, client = 'app', pid = PIDS[0]!, params: Record<string, string> = {}) {
    const pkce = newPkce();
    const state = randomBytes(8).toString('hex');
    const nonce = randomBytes(8).toString('hex');
    const url = authorizeUrl(ISSUER, client, { state, nonce, ...params }, pkce.challenge);
    let step = await b.go(url);
    if (step.status === 200 && step.url.startsWith(`${ISSUER}/login/select`)) {
      step = await b.submit(step, '/login/select', { eid: 'testid' });
      if (step.status === 200 && step.url.startsWith(`${ISSUER}/login/testid`)) step = await b.submit(step, '/login/testid', { pid, acr: 'substantial' });
    }
    const cb = step.location?.startsWith(redirectOf(client)) ? new URL(step.location).searchParams : undefined;
    return { step, code: cb?.get('code') ?? undefined, cb, verifier: pkce.verifier, state, nonce };
  }

  const redeemAt = (inst: ServerProcess, code: string, verifier: string, client = 'app') =>
    tokenAt(inst, { grant_type: 'authorization_code', code, redirect_uri: redirectOf(client), code_verifier: verifier }, client);

  async function verifyIdToken(idToken: string, jwks: JSONWebKeySet, nonce?: string) {
    const { payload } = await jwtVerify(idToken, createLocalJWKSet(jwks), { issuer: ISSUER, audience: 'app', algorithms: ['RS256'] });
    if (nonce) expect(payload.nonce).toBe(nonce);
    return payload;
  }

  it('the three instances share one issuer, one discovery document and one JWKS', async () => {
    const docs = await Promise.all(instances.map((i) => at(i, '/.well-known/openid-configuration')));
    for (const d of docs) {
      expect(d.status).toBe(200);
      expect(d.json.issuer).toBe(ISSUER);
      expect(d.json.token_endpoint).toBe(`${ISSUER}/token`);
    }
    const sets = await Promise.all(instances.map(jwksOf));
    expect(sets[1]).toEqual(sets[0]);
    expect(sets[2]).toEqual(sets[0]);
    expect(sets[0]!.keys.length).toBeGreaterThanOrEqual(2); // current and next
    jwksAtStart = sets[0]!;
    for (const inst of instances) {
      expect((await at(inst, '/health/ready')).status).toBe(200);
    }
  });

  describe('(a) one login, its steps on alternating instances', () => {
    for (const shift of [0, 1, 2]) {
      it(`rotation ${shift}: authorize, eID selector, TestID, token, userinfo and refresh each on another instance`, async () => {
        const [X, Y, Z] = [0, 1, 2].map((k) => instances[(k + shift) % 3]!) as [ServerProcess, ServerProcess, ServerProcess];
        const plan: Record<string, ServerProcess> = {
          'GET /authorize': X, 'GET /login/select': Z, 'POST /login/select': Y, 'GET /login/testid': X, 'POST /login/testid': Z,
        };
        router = (m, p) => {
          const inst = plan[`${m} ${p}`];
          if (!inst) throw new Error(`unplanned request ${m} ${p}`);
          return inst;
        };
        const served: string[] = [];
        const b = new Browser(ISSUER);
        const pid = PIDS[shift]!;
        const login = await trace.run(served, () => browserLogin(b, 'app', pid));
        router = () => 'round-robin';
        expect(login.code, `${login.step.status} ${login.step.url}\n${served.join('\n')}\n${login.step.html.slice(0, 800)}`).toBeTruthy();
        expect(login.cb!.get('iss')).toBe(ISSUER);
        expect(login.cb!.get('state')).toBe(login.state);
        expect(served.map((s) => s.replace(/ \d+$/, ''))).toEqual([
          `GET /authorize → ${X.name}`, `GET /login/select → ${Z.name}`, `POST /login/select → ${Y.name}`,
          `GET /login/testid → ${X.name}`, `POST /login/testid → ${Z.name}`,
        ]);

        // the code is redeemed at X; the id_token X signed verifies with the JWKS of Y and of Z
        const tokens = await redeemAt(X, login.code!, login.verifier);
        expect(tokens.status, tokens.text).toBe(200);
        const claims = await verifyIdToken(tokens.json.id_token, await jwksOf(Y), login.nonce);
        await verifyIdToken(tokens.json.id_token, await jwksOf(Z), login.nonce);
        expect(claims).toMatchObject({ pid, acr: 'substantial', amr: ['TestID'] });
        const at1 = await jwtVerify(tokens.json.access_token, createLocalJWKSet(await jwksOf(Z)), { issuer: ISSUER, typ: 'at+jwt' });
        expect(at1.payload.pid).toBe(pid);

        // userinfo at Y
        const ui = await at(Y, '/userinfo', { headers: { authorization: `Bearer ${tokens.json.access_token}` } });
        expect(ui.status, ui.text).toBe(200);
        expect(ui.json).toMatchObject({ sub: claims.sub, pid });

        // refresh at Z (ONETIME: a new refresh token); the new access token verifies at X's JWKS and works at Y
        const refreshed = await tokenAt(Z, { grant_type: 'refresh_token', refresh_token: tokens.json.refresh_token });
        expect(refreshed.status, refreshed.text).toBe(200);
        expect(refreshed.json.refresh_token).not.toBe(tokens.json.refresh_token);
        await jwtVerify(refreshed.json.access_token, createLocalJWKSet(await jwksOf(X)), { issuer: ISSUER, typ: 'at+jwt' });
        expect((await at(Y, '/userinfo', { headers: { authorization: `Bearer ${refreshed.json.access_token}` } })).status).toBe(200);
        // the rotated-away token is refused at a third instance
        const old = await tokenAt(X, { grant_type: 'refresh_token', refresh_token: tokens.json.refresh_token });
        expect(old.status).toBe(400);
        expect(old.json.error).toBe('invalid_grant');

        // the browser session (created at Z) gives a silent re-login at Y, redeemed at Z
        router = () => Y;
        const again = await browserLogin(b, 'app', pid);
        router = () => 'round-robin';
        expect(again.step.url.startsWith(`${ISSUER}/authorize`), `not silent: ${again.step.url}`).toBe(true);
        expect(again.code).toBeTruthy();
        const t2 = await redeemAt(Z, again.code!, again.verifier);
        expect(t2.status, t2.text).toBe(200);
        const c2 = await verifyIdToken(t2.json.id_token, await jwksOf(X), again.nonce);
        expect(c2.sub).toBe(claims.sub);
        expect(c2.sid).toBe(claims.sid);
        expect(c2.auth_time).toBe(claims.auth_time);
        if (shift === 0) {
          kept.refreshToken = t2.json.refresh_token;
          kept.sub = c2.sub;
        }
      });
    }
  });

  describe('(c) single-use things redeemed at two instances at the same moment', () => {
    const pairs = (): [ServerProcess, ServerProcess][] => [[A, B], [B, C], [C, A], [A, C], [B, A]];

    it('an authorization code: exactly one 200, the other invalid_grant', async () => {
      for (const [X, Y] of pairs()) {
        const login = await browserLogin(new Browser(ISSUER));
        expect(login.code).toBeTruthy();
        const results = await Promise.all([redeemAt(X, login.code!, login.verifier), redeemAt(Y, login.code!, login.verifier)]);
        const statuses = results.map((r) => r.status).sort();
        expect(statuses, results.map((r) => r.text).join('\n')).toEqual([200, 400]);
        expect(results.find((r) => r.status === 400)!.json.error).toBe('invalid_grant');
      }
    });

    it('an authorization code at all three instances at once: exactly one 200', async () => {
      for (let i = 0; i < 3; i++) {
        const login = await browserLogin(new Browser(ISSUER));
        const results = await Promise.all(instances.map((inst) => redeemAt(inst, login.code!, login.verifier)));
        expect(results.filter((r) => r.status === 200)).toHaveLength(1);
        expect(results.filter((r) => r.status === 400 && r.json?.error === 'invalid_grant')).toHaveLength(2);
      }
    });

    it('a ONETIME refresh token: exactly one 200; the loser\'s reuse revokes the family, so the winner\'s new token fails too', async () => {
      for (const [X, Y] of pairs().slice(0, 3)) {
        const login = await browserLogin(new Browser(ISSUER));
        const tokens = await redeemAt(A, login.code!, login.verifier);
        expect(tokens.status).toBe(200);
        const results = await Promise.all([X, Y].map((inst) => tokenAt(inst, { grant_type: 'refresh_token', refresh_token: tokens.json.refresh_token })));
        const winners = results.filter((r) => r.status === 200);
        expect(winners, results.map((r) => `${r.status} ${r.text}`).join('\n')).toHaveLength(1);
        const loser = results.find((r) => r.status !== 200)!;
        expect(loser.status).toBe(400);
        expect(loser.json.error).toBe('invalid_grant');
        // what the code does: the second use of a ONETIME token revokes the whole grant
        const next = await tokenAt(C, { grant_type: 'refresh_token', refresh_token: winners[0]!.json.refresh_token });
        expect(next.status).toBe(400);
        expect(next.json.error).toBe('invalid_grant');
        expect((await at(B, '/userinfo', { headers: { authorization: `Bearer ${winners[0]!.json.access_token}` } })).status).toBe(401);
      }
    });

    async function push(inst: ServerProcess, form: Record<string, string>, authorization?: string) {
      return at(inst, '/par', { form, headers: authorization ? { authorization } : {} });
    }
    const parForm = (client: string, challenge = newPkce().challenge) => ({
      client_id: client, response_type: 'code', redirect_uri: redirectOf(client), scope: 'openid profile',
      state: randomBytes(6).toString('hex'), nonce: randomBytes(6).toString('hex'), code_challenge: challenge, code_challenge_method: 'S256',
    });

    it('a PAR request_uri used at two instances at once: exactly one proceeds to the login', async () => {
      for (const [X, Y] of pairs().slice(0, 3)) {
        const pushed = await push(A, parForm('app'), basicAuth('app', secretOf('app')));
        expect(pushed.status, pushed.text).toBe(201);
        const path = `/authorize?client_id=app&request_uri=${encodeURIComponent(pushed.json.request_uri)}`;
        const results = await Promise.all([X, Y].map((inst) => at(inst, path)));
        const proceeded = results.filter((r) => (r.status === 302 || r.status === 303) && (r.headers.get('location') ?? '').startsWith(`${ISSUER}/login/select`));
        expect(proceeded, results.map((r) => `${r.status} ${r.headers.get('location')}`).join('\n')).toHaveLength(1);
        const refused = results.find((r) => !proceeded.includes(r))!;
        expect(refused.status).toBe(400);
        expect(refused.headers.get('content-type')).toMatch(/text\/html/);
      }
    });

    async function assertion(jti: string): Promise<string> {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: 'pkjwt', sub: 'pkjwt', aud: ISSUER, iat: now, exp: now + 60, jti })
        .setProtectedHeader({ alg: 'RS256', kid: 'mi-key-1' }).sign(pkjwtKey);
    }
    const withAssertion = (a: string) => ({ client_id: 'pkjwt', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: a });

    it('a private_key_jwt client_assertion presented at two instances at once: exactly one accepted (PAR and token endpoint)', async () => {
      for (const [X, Y] of pairs().slice(0, 3)) {
        const a = await assertion(randomUUID());
        const form = { ...parForm('pkjwt'), ...withAssertion(a) };
        const results = await Promise.all([X, Y].map((inst) => push(inst, form)));
        expect(results.map((r) => r.status).sort(), results.map((r) => r.text).join('\n')).toEqual([201, 401]);
        expect(results.find((r) => r.status === 401)!.json.error).toBe('invalid_client');

        // at the token endpoint: the accepted one reaches the grant (a bogus refresh token → invalid_grant)
        const b = await assertion(randomUUID());
        const tform = { grant_type: 'refresh_token', refresh_token: 'not-a-real-refresh-token', ...withAssertion(b) };
        const tres = await Promise.all([X, Y].map((inst) => at(inst, '/token', { form: tform })));
        expect(tres.map((r) => r.json?.error).sort(), tres.map((r) => r.text).join('\n')).toEqual(['invalid_client', 'invalid_grant']);
      }
    });
  });

  it('(b) 60 logins, 6 in parallel, round-robin; one instance killed with SIGKILL part-way: every login accounted for', async () => {
    const LOGINS = 60;
    const PARALLEL = 6;
    const KILL_AFTER = 20;
    router = () => 'round-robin';
    for (const i of instances) i.down = false;
    const jwks = createLocalJWKSet(jwksAtStart);
    type Outcome =
      | { kind: 'completed'; b: Browser; sub: string; sid: string; authTime: number; beforeKill: boolean; sessionOn?: string }
      | { kind: 'oauth_error'; error: string; where: string }
      | { kind: 'http_error'; status: number; where: string }
      | { kind: 'bad'; why: string };
    const outcomes: { outcome: Outcome; served: string[] }[] = [];
    let started = 0;
    let completed = 0;
    let killedAt: number | undefined;
    let killed: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;

    const classifyStep = (step: Step): Outcome => {
      if (step.status >= 500) return { kind: 'bad', why: `${step.status} at ${step.url}: ${step.html.slice(0, 300)}` };
      const loc = step.location ? new URL(step.location) : undefined;
      if (loc?.href.startsWith(redirectOf('app')) && loc.searchParams.get('error')) return { kind: 'oauth_error', error: loc.searchParams.get('error')!, where: 'authorization response' };
      if (step.status >= 400 && /text\/html/.test(step.headers.get('content-type') ?? '')) return { kind: 'http_error', status: step.status, where: new URL(step.url).pathname };
      return { kind: 'bad', why: `unexpected ${step.status} at ${step.url} → ${step.location ?? ''}` };
    };

    const oneLogin = async (n: number): Promise<Outcome> => {
      const b = new Browser(ISSUER);
      const beforeKill = killedAt === undefined;
      const login = await browserLogin(b, 'app', PIDS[n % PIDS.length]!);
      if (!login.code) return classifyStep(login.step);
      const tokens = await balancedFetch(`${ISSUER}/token`, {
        method: 'POST', body: formBody({ grant_type: 'authorization_code', code: login.code, redirect_uri: redirectOf('app'), code_verifier: login.verifier }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('app', secretOf('app')) },
      });
      const body = (await tokens.json().catch(() => undefined)) as Record<string, any> | undefined;
      if (tokens.status >= 500 || !body) return { kind: 'bad', why: `token endpoint ${tokens.status}` };
      if (tokens.status !== 200) return typeof body.error === 'string' ? { kind: 'oauth_error', error: body.error, where: 'token endpoint' } : { kind: 'bad', why: `token ${tokens.status} without error` };
      const { payload } = await jwtVerify(body.id_token as string, jwks, { issuer: ISSUER, audience: 'app' });
      expect(payload.nonce).toBe(login.nonce);
      const served = trace.getStore() ?? [];
      const sessionOn = served.find((s) => s.startsWith('POST /login/testid') && / 303$/.test(s))?.split(' ')[3];
      return { kind: 'completed', b, sub: payload.sub!, sid: payload.sid as string, authTime: payload.auth_time as number, beforeKill, sessionOn };
    };

    const bounded = <T,>(p: Promise<T>, ms: number, what: string) =>
      Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${what} hung for ${ms} ms`)), ms).unref())]);

    const t0 = Date.now();
    await Promise.all(Array.from({ length: PARALLEL }, async () => {
      while (started < LOGINS) {
        const n = started++;
        const served: string[] = [];
        let outcome: Outcome;
        try {
          outcome = await bounded(trace.run(served, () => oneLogin(n)), 45_000, `login ${n}`);
        } catch (e) {
          outcome = { kind: 'bad', why: `login ${n}: ${(e as Error).name}: ${(e as Error).message}` };
        }
        outcomes.push({ outcome, served });
        if (outcome.kind === 'completed' && ++completed === KILL_AFTER) {
          killedAt = Date.now();
          C.child.kill('SIGKILL');
          killed = C.exit;
        }
      }
    }));
    const elapsed = Date.now() - t0;

    expect(killedAt, 'the kill happened part-way').toBeDefined();
    expect(await bounded(killed!, 10_000, 'SIGKILLed process exit')).toEqual({ code: null, signal: 'SIGKILL' });
    const summary = outcomes.map((o, i) => `${i}: ${JSON.stringify({ ...o.outcome, b: undefined })}\n    ${o.served.join('\n    ')}`).join('\n');
    expect(outcomes, summary).toHaveLength(LOGINS);
    const bad = outcomes.filter((o) => o.outcome.kind === 'bad');
    expect(bad, `logins neither completed nor failed cleanly (${elapsed} ms):\n${summary}`).toHaveLength(0);
    const done = outcomes.map((o) => o.outcome).filter((o): o is Extract<Outcome, { kind: 'completed' }> => o.kind === 'completed');
    const failed = outcomes.filter((o) => o.outcome.kind !== 'completed');
    // only logins with a request in flight at the killed instance may fail
    expect(failed.length, summary).toBeLessThanOrEqual(PARALLEL);
    expect(done.length).toBeGreaterThanOrEqual(LOGINS - PARALLEL);
    // after the kill the balancer sent nothing more to C, and the survivors finished the rest
    expect(C.down).toBe(true);
    expect(done.some((d) => !d.beforeKill)).toBe(true);

    // sessions created before the kill (some of them on the killed instance) give a silent re-login on the survivors
    const earlier = done.filter((d) => d.beforeKill);
    expect(earlier.length).toBeGreaterThanOrEqual(KILL_AFTER - PARALLEL);
    expect(earlier.some((d) => d.sessionOn === 'C'), 'some sessions were created on the killed instance').toBe(true);
    for (const d of earlier) {
      const again = await browserLogin(d.b);
      expect(again.step.url.startsWith(`${ISSUER}/authorize`), `not silent: ${again.step.status} ${again.step.url}`).toBe(true);
      expect(again.code).toBeTruthy();
      const res = await redeemAt(d.sessionOn === 'A' ? B : A, again.code!, again.verifier);
      expect(res.status, res.text).toBe(200);
      const claims = await verifyIdToken(res.json.id_token, jwksAtStart, again.nonce);
      expect(claims.sid).toBe(d.sid);
      expect(claims.auth_time).toBe(d.authTime);
    }

    // clients still work: a fresh login with client_secret_basic and one with private_key_jwt on the survivors
    const fresh = await browserLogin(new Browser(ISSUER));
    expect((await redeemAt(B, fresh.code!, fresh.verifier)).status).toBe(200);
    const pk = await browserLogin(new Browser(ISSUER), 'pkjwt');
    expect(pk.code).toBeTruthy();
    const pkRes = await at(A, '/token', { form: { grant_type: 'authorization_code', code: pk.code!, redirect_uri: redirectOf('pkjwt'), code_verifier: pk.verifier, ...withAssertionFor(await pkAssertion()) } });
    expect(pkRes.status, pkRes.text).toBe(200);
    expect(decodeJwt(pkRes.json.access_token).client_amr).toBe('private_key_jwt');
    for (const inst of [A, B]) expect((await at(inst, '/health/ready')).status).toBe(200);
  }, 240_000);

  async function pkAssertion(): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: 'pkjwt', sub: 'pkjwt', aud: ISSUER, iat: now, exp: now + 60, jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256', kid: 'mi-key-1' }).sign(pkjwtKey);
  }
  const withAssertionFor = (a: string) => ({ client_id: 'pkjwt', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: a });

  it('(d) clients, keys and grants are in PostgreSQL: a fresh instance with a new Redis prefix and no clients file knows them', async () => {
    const stops = await Promise.all([A, B].map((p) => stopProcess(p, 'SIGTERM')));
    for (const s of stops) expect(s).toEqual({ code: 0, signal: null });
    const prefix = `ap_mi_${randomBytes(6).toString('hex')}`;
    prefixes.push(prefix);
    const D = await spawnServer('D', { ...baseEnv(prefix), DATA_DIR: tmp('ap-mi-D-') }); // no CLIENTS_FILE
    instances = [D];
    router = () => D;

    expect(await jwksOf(D)).toEqual(jwksAtStart);
    const login = await browserLogin(new Browser(ISSUER));
    expect(login.code, `${login.step.status} ${login.step.url}\n${login.step.html.slice(0, 500)}`).toBeTruthy();
    const tokens = await redeemAt(D, login.code!, login.verifier);
    expect(tokens.status, tokens.text).toBe(200);
    const claims = await verifyIdToken(tokens.json.id_token, jwksAtStart, login.nonce);
    expect(claims.sub).toBe(kept.sub); // same pairwise salt: same subject for the same person and client
    // a refresh token issued before the restart still works (grants are durable)
    expect(kept.refreshToken).toBeTruthy();
    const refreshed = await tokenAt(D, { grant_type: 'refresh_token', refresh_token: kept.refreshToken! });
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(await stopProcess(D, 'SIGTERM')).toEqual({ code: 0, signal: null });
  }, 120_000);
});
