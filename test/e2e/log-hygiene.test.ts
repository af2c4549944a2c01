/**
 * Log hygiene (issue 6): a server process at LOG_LEVEL=trace serves complete logins — PAR with
 * authorization_details and client_secret_post, a plain login with client_secret_basic, userinfo,
 * refresh, introspection, revocation, logout with id_token_hint, failed client authentication,
 * error pages — and afterwards its whole output (stdout and stderr) is searched for every national
 * identity number, secret, code, token, cookie and csrf value that went over the wire. Every log
 * line must be JSON, and every line about a request must carry the request id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNationalId } from '../../src/core/national-id.js';
import { Browser, freePort, secretOf, webClient, type Step } from './harness.js';
import { authorizeUrl, basicAuth, formBody, newPkce, redirectOf } from './checks.js';

const ROOT = resolve(import.meta.dirname, '../..');
const REQUEST_TIMEOUT_MS = 10_000;

const P1 = '15895010046';
const P2 = '23846821082';
const P3 = '30867741573';
const P_INVALID = '12345678901';
/** A valid but non-synthetic number (refused by TestID); it must not be logged either. */
const P_REAL = (() => {
  for (let ind = 100; ind < 200; ind++) {
    for (let k = 0; k < 100; k++) {
      const c = `010190${ind}${String(k).padStart(2, '0')}`;
      const r = parseNationalId(c);
      if (r.ok && !r.synthetic) return c;
    }
  }
  throw new Error('no non-synthetic test number found');
})();
const WRONG_SECRET = 'wrong-secret-that-is-long-enough-to-look-real-0123';
const RESOURCE = 'ansattporten:altinn:resource';

/** Values that must never appear in the output, with what they are. */
const secrets = new Map<string, string>();
/** Every kind of value harvested (to check that the traffic held what the test means to look for). */
const kinds = new Set<string>();
function remember(label: string, value: string | null | undefined): void {
  if (!value || value.length < 8) return;
  kinds.add(label);
  if (!secrets.has(value)) secrets.set(value, label);
  // a JWT's payload and signature each identify it too
  const parts = value.split('.');
  if (parts.length === 3 && parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) {
    secrets.set(parts[1]!, `${label} (payload)`);
    secrets.set(parts[2]!, `${label} (signature)`);
  }
}

const SECRET_PARAMS = ['client_secret', 'code', 'code_verifier', 'refresh_token', 'token', 'id_token_hint', 'csrf', 'pid', 'request_uri', 'client_assertion', 'access_token', 'id_token'];

/** Records every credential, code, token, cookie and csrf value in a request or its response. */
async function harvest(url: string, init: RequestInit, res: Response): Promise<void> {
  const u = new URL(url);
  for (const p of SECRET_PARAMS) for (const v of u.searchParams.getAll(p)) remember(`query ${p}`, v);
  const headers = new Headers(init.headers);
  for (const c of (headers.get('cookie') ?? '').split(';')) remember('cookie value', c.split('=').slice(1).join('=').trim());
  const authz = headers.get('authorization');
  if (authz) {
    remember('authorization header', authz);
    const [scheme, cred] = authz.split(' ');
    remember(`${scheme} credentials`, cred);
    if (scheme === 'Basic' && cred) {
      const decoded = Buffer.from(cred, 'base64').toString();
      remember('basic secret', decodeURIComponent(decoded.slice(decoded.indexOf(':') + 1)));
    }
  }
  if (typeof init.body === 'string') {
    const form = new URLSearchParams(init.body);
    for (const p of SECRET_PARAMS) for (const v of form.getAll(p)) remember(`form ${p}`, v);
  }
  for (const c of res.headers.getSetCookie()) remember('set-cookie value', c.split(';')[0]!.split('=').slice(1).join('='));
  const loc = res.headers.get('location');
  if (loc) {
    const l = new URL(loc, url);
    for (const p of SECRET_PARAMS) for (const v of l.searchParams.getAll(p)) remember(`location ${p}`, v);
  }
  const text = await res.clone().text();
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      for (const k of ['access_token', 'refresh_token', 'id_token', 'request_uri']) if (typeof json[k] === 'string') remember(`response ${k}`, json[k] as string);
    } catch { /* not JSON after all */ }
  }
  if (type.includes('html')) {
    for (const m of text.matchAll(/<input\b[^>]*name="(csrf|code|id_token|pid)"[^>]*value="([^"]*)"/g)) remember(`page ${m[1]}`, m[2]);
  }
}

describe('log hygiene: no identity numbers, secrets, tokens or cookies in any log line', () => {
  let child: ChildProcess | undefined;
  let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let exited = false;
  let stdout = '';
  let stderr = '';
  let origin = '';
  let dir = '';
  let requestsSent = 0;
  let requestIdSent = '';
  const realFetch = globalThis.fetch;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ap-logs-'));
    const clients = join(dir, 'clients.json');
    writeFileSync(clients, JSON.stringify([
      webClient('post', { token_endpoint_auth_method: 'client_secret_post' }),
      webClient('basic', { scopes: ['openid', 'profile', 'idporten:token.introspection'] }),
    ]));
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of ['CONFIG_FILE', 'DATABASE_URL', 'DATABASE_SCHEMA', 'REDIS_URL', 'REDIS_PREFIX', 'FIXTURES_FILE', 'NODE_ENV']) delete env[k];
    Object.assign(env, { PORT: String(port), HOST: '127.0.0.1', ISSUER: origin, DATA_DIR: dir, CLIENTS_FILE: clients, LOG_LEVEL: 'trace' });
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    exit = new Promise((r) => child!.once('exit', (code, signal) => { exited = true; r({ code, signal }); }));
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`server did not start:\n${stdout}\n${stderr}`)), 45_000);
      child!.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('issuer:')) { clearTimeout(timer); res(); }
      });
      void exit.then(() => { clearTimeout(timer); rej(new Error(`server exited before listening:\n${stdout}\n${stderr}`)); });
    });
    // Every request to the server: bounded, counted, and harvested for secrets.
    globalThis.fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const res = await realFetch(input, { ...init, signal: init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      if (url.startsWith(origin)) {
        requestsSent++;
        await harvest(url, init, res);
      }
      return res;
    }) as typeof fetch;
  }, 60_000);

  afterAll(async () => {
    globalThis.fetch = realFetch;
    if (child && !exited) {
      child.kill('SIGKILL');
      await Promise.race([exit, new Promise((r) => setTimeout(r, 5000).unref())]);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${origin}${path}`, { method: 'POST', body: formBody(form), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, redirect: 'manual' });
  const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, any> });

  function codeOf(step: Step, client: string): string {
    expect(step.location?.startsWith(redirectOf(client)), `${step.status} ${step.url}\n${step.html.slice(0, 600)}`).toBe(true);
    const code = new URL(step.location!).searchParams.get('code');
    expect(code).toBeTruthy();
    return code!;
  }

  it('serves complete logins, then its output holds none of what went over the wire', async () => {
    // 1. client_secret_post with PAR and authorization_details; bad TestID input first
    const b1 = new Browser(origin);
    const pk1 = newPkce();
    const par = await json(await post('/par', {
      client_id: 'post', client_secret: secretOf('post'), response_type: 'code', redirect_uri: redirectOf('post'), scope: 'openid profile',
      state: 'state-post', nonce: 'nonce-post', code_challenge: pk1.challenge, code_challenge_method: 'S256',
      authorization_details: JSON.stringify([{ type: RESOURCE, resource: 'urn:altinn:resource:eksempel-tjeneste' }]),
    }));
    expect(par.status).toBe(201);
    const select = await b1.go(`${origin}/authorize?client_id=post&request_uri=${encodeURIComponent(par.body.request_uri)}`);
    expect(select.url).toContain('/login/select');
    let testid = await b1.submit(select, '/login/select', { eid: 'testid' });
    testid = await b1.submit(testid, '/login/testid', { pid: P_INVALID, acr: 'substantial' });
    expect(testid.status).toBe(400);
    testid = await b1.submit(testid, '/login/testid', { pid: P_REAL, acr: 'substantial' });
    expect(testid.status).toBe(400);
    const picker = await b1.submit(testid, '/login/testid', { pid: P1, acr: 'substantial' });
    expect(picker.url).toContain('/login/organizations');
    const code1 = codeOf(await b1.submit(picker, '/login/organizations', { orgno: '310000108' }), 'post');
    const t1 = await json(await post('/token', { grant_type: 'authorization_code', code: code1, redirect_uri: redirectOf('post'), code_verifier: pk1.verifier, client_id: 'post', client_secret: secretOf('post') }));
    expect(t1.status).toBe(200);
    expect(t1.body.authorization_details).toBeTruthy();
    expect((await fetch(`${origin}/userinfo`, { headers: { authorization: `Bearer ${t1.body.access_token}` } })).status).toBe(200);
    const r1 = await json(await post('/token', { grant_type: 'refresh_token', refresh_token: t1.body.refresh_token, client_id: 'post', client_secret: secretOf('post') }));
    expect(r1.status).toBe(200);
    const basic = { authorization: basicAuth('basic', secretOf('basic')) };
    const intro = await json(await post('/token/introspect', { token: r1.body.access_token }, basic));
    expect(intro.body.active).toBe(true);
    expect((await json(await post('/token/introspect', { token: r1.body.refresh_token, token_type_hint: 'refresh_token' }, basic))).body.active).toBe(true);
    expect((await post('/token/revoke', { token: r1.body.refresh_token, client_id: 'post', client_secret: secretOf('post') })).status).toBe(200);
    expect((await json(await post('/token/introspect', { token: r1.body.access_token }, basic))).body.active).toBe(false);

    // 2. client_secret_basic, a plain login; code replay; silent re-login; logout with id_token_hint
    const b2 = new Browser(origin);
    const pk2 = newPkce();
    let step = await b2.go(authorizeUrl(origin, 'basic', {}, pk2.challenge));
    step = await b2.submit(step, '/login/select', { eid: 'testid' });
    const code2 = codeOf(await b2.submit(step, '/login/testid', { pid: P2, acr: 'high' }), 'basic');
    const redeem2 = { grant_type: 'authorization_code', code: code2, redirect_uri: redirectOf('basic'), code_verifier: pk2.verifier };
    const t2 = await json(await post('/token', redeem2, basic));
    expect(t2.status).toBe(200);
    expect((await post('/userinfo', { access_token: t2.body.access_token })).status).toBeLessThan(500);
    expect((await fetch(`${origin}/userinfo`, { method: 'POST', headers: { authorization: `Bearer ${t2.body.access_token}` } })).status).toBe(200);
    const r2 = await json(await post('/token', { grant_type: 'refresh_token', refresh_token: t2.body.refresh_token }, basic));
    expect(r2.status).toBe(200);
    // a replayed code: invalid_grant (and the grant it produced is revoked)
    expect((await json(await post('/token', redeem2, basic))).body.error).toBe('invalid_grant');
    const pk2b = newPkce();
    const silent = await b2.go(authorizeUrl(origin, 'basic', { state: 'again', nonce: 'again' }, pk2b.challenge));
    const code2b = codeOf(silent, 'basic');
    const t2b = await json(await post('/token', { grant_type: 'authorization_code', code: code2b, redirect_uri: redirectOf('basic'), code_verifier: pk2b.verifier }, basic));
    expect(t2b.status).toBe(200);
    const logout = await b2.go(`${origin}/logout?${new URLSearchParams({ id_token_hint: t2b.body.id_token, post_logout_redirect_uri: 'https://basic.example.test/logged-out', state: 'bye' })}`);
    expect(logout.location).toBe('https://basic.example.test/logged-out?state=bye');

    // 3. failed client authentication with a bad secret (basic and post), then the right one
    const b3 = new Browser(origin);
    const pk3 = newPkce();
    step = await b3.go(authorizeUrl(origin, 'basic', {}, pk3.challenge));
    step = await b3.submit(step, '/login/select', { eid: 'testid' });
    const code3 = codeOf(await b3.submit(step, '/login/testid', { pid: P3, acr: 'substantial' }), 'basic');
    const redeem3 = { grant_type: 'authorization_code', code: code3, redirect_uri: redirectOf('basic'), code_verifier: pk3.verifier };
    expect((await json(await post('/token', redeem3, { authorization: basicAuth('basic', WRONG_SECRET) }))).body.error).toBe('invalid_client');
    expect((await json(await post('/token', { ...redeem3, client_id: 'post', client_secret: WRONG_SECRET }))).body.error).toBe('invalid_client');
    remember('wrong secret', WRONG_SECRET);
    expect((await post('/token', redeem3, basic)).status).toBe(200);

    // 4. error pages and odd requests that carry secrets in places the server does not expect
    const errorPage = await fetch(`${origin}/authorize?client_id=nobody&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&state=s&nonce=n`);
    expect(errorPage.status).toBe(400);
    expect((await fetch(`${origin}/login/select?flow=no-such-flow-0123456789`)).status).toBe(400);
    expect((await fetch(`${origin}/no-such-page?client_secret=${secretOf('post')}&code=${code1}&pid=${P1}`)).status).toBe(404);
    expect((await fetch(`${origin}/userinfo`, { headers: { authorization: `Bearer ${t2.body.access_token}x` } })).status).toBe(401);
    expect((await fetch(`${origin}/login/testid`, { method: 'POST', body: formBody({ pid: P1, flow: 'x', csrf: 'y' }), headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `ansattporten_browser=${b1.jar.get('ansattporten_browser') ?? 'none'}` } })).status).toBe(400);
    requestIdSent = `hygiene-${Date.now()}`;
    expect((await fetch(`${origin}/health/ready`, { headers: { 'x-request-id': requestIdSent } })).status).toBe(200);

    // the values harvested from the traffic include what the brief names
    for (const l of ['form client_secret', 'basic secret', 'location code', 'response access_token', 'response refresh_token', 'response id_token', 'query id_token_hint', 'cookie value', 'page csrf', 'form csrf', 'form code_verifier', 'response request_uri']) {
      expect(kinds, l).toContain(l);
    }
    for (const pid of [P1, P2, P3, P_INVALID, P_REAL]) remember('national identity number', pid);
    remember('client secret', secretOf('post'));
    remember('client secret', secretOf('basic'));

    // stop the server gracefully so that everything is written, then read it all
    globalThis.fetch = realFetch;
    child!.kill('SIGTERM');
    const ended = await Promise.race([exit, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000).unref())]);
    expect(ended).toEqual({ code: 0, signal: null });

    const output = `${stdout}\n${stderr}`;
    const leaks = [...secrets].filter(([value]) => output.includes(value) || output.includes(encodeURIComponent(value)));
    expect(leaks.map(([v, label]) => `${label}: ${v.slice(0, 12)}…`), 'secrets in the log output').toEqual([]);

    // stdout: JSON lines (pino), apart from the human-readable start-up and shutdown notices of src/main.ts
    const NOTICE = /^(Ansattporten \(independent implementation\) is running| {2}(issuer|discovery|demo|data): +\S+|ansattporten: SIGTERM received, finishing requests in flight)$/;
    const lines = stdout.split('\n').filter((l) => l.trim() !== '');
    const records: Record<string, unknown>[] = [];
    for (const line of lines) {
      if (NOTICE.test(line)) continue;
      let rec: unknown;
      try { rec = JSON.parse(line); } catch { rec = undefined; }
      expect(rec !== null && typeof rec === 'object', `not a JSON log line: ${line}`).toBe(true);
      records.push(rec as Record<string, unknown>);
    }
    for (const r of records) {
      expect(typeof r.level, JSON.stringify(r)).toBe('number');
      expect(typeof r.time, JSON.stringify(r)).toBe('number');
      expect(typeof r.msg, JSON.stringify(r)).toBe('string');
      const aboutRequest = ['method', 'path', 'url', 'req', 'res', 'status', 'statusCode'].some((k) => k in r) || r.msg === 'request';
      if (aboutRequest) expect(typeof r.reqId === 'string' && (r.reqId as string).length > 0, `no reqId: ${JSON.stringify(r)}`).toBe(true);
    }
    // one line per request, each with its own id; a proxy's x-request-id is kept
    const requestLines = records.filter((r) => r.msg === 'request');
    expect(requestLines).toHaveLength(requestsSent);
    expect(new Set(requestLines.map((r) => r.reqId)).size).toBe(requestLines.length);
    expect(requestLines.some((r) => r.reqId === requestIdSent && r.path === '/health/ready')).toBe(true);
    for (const r of requestLines) {
      expect(typeof r.path === 'string' && !(r.path as string).includes('?'), JSON.stringify(r)).toBe(true);
      expect(typeof r.status).toBe('number');
    }
    // stderr: nothing but Node's own process warnings
    for (const line of stderr.split('\n').filter((l) => l.trim() !== '')) {
      expect(/^\(node:\d+\) \[?\w*\]? ?\w*(Deprecation)?Warning|^\(node:\d+\) |^\(Use `node --trace-/.test(line), `unexpected stderr line: ${line}`).toBe(true);
    }
    // sanity: the picture is complete (the traffic really reached the logged endpoints)
    const paths = new Set(requestLines.map((r) => `${r.method} ${r.path}`));
    for (const p of ['POST /par', 'GET /authorize', 'POST /login/testid', 'POST /login/organizations', 'POST /token', 'GET /userinfo', 'POST /token/introspect', 'POST /token/revoke', 'GET /logout']) {
      expect(paths, p).toContain(p);
    }
  }, 90_000);
});
