/**
 * A relying party from another ecosystem: Python's Authlib performs the code flow with PKCE,
 * validates the id_token, calls userinfo, refreshes and builds the RP-initiated logout URL; the
 * login pages are driven by the scripted browser of the harness. Authlib comes from Debian
 * (python3-authlib, installed by .ci/run); in CI a missing Authlib fails this test.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, loginWithTestId, secretOf, startServer, webClient, type TestServer } from '../harness.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'authlib_rp.py');
const PID = '15895010046';
const hasAuthlib = spawnSync(PYTHON, ['-c', 'import authlib, requests'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
const inCi = process.env.CI === 'true';

/** Lines of JSON from the script, in order. */
function jsonLines(child: ChildProcessWithoutNullStreams): () => Promise<Record<string, any>> {
  const queue: Record<string, any>[] = [];
  const waiting: ((v: Record<string, any>) => void)[] = [];
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const push = (v: Record<string, any>) => {
    const w = waiting.shift();
    if (w) w(v);
    else queue.push(v);
  };
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      push(JSON.parse(line));
    } catch {
      push({ error: `not JSON: ${line}` });
    }
  });
  child.on('exit', (code) => push({ error: `the script exited with ${code}: ${stderr.slice(-2000)}` }));
  return () => new Promise((resolve) => {
    const v = queue.shift();
    if (v) resolve(v);
    else waiting.push(resolve);
  });
}

describe.skipIf(!hasAuthlib && !inCi)('Authlib (Python) as relying party', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ clients: [webClient('authlib')] });
  });
  afterAll(async () => server?.close());

  it('Authlib is installed (CI must not skip this suite)', () => {
    expect(hasAuthlib, `${PYTHON} cannot import authlib and requests: apt-get install python3-authlib python3-requests`).toBe(true);
  });

  it('code flow with PKCE, id_token validation, userinfo, refresh and RP-initiated logout', async () => {
    const child = spawn(PYTHON, [SCRIPT, server.issuer, 'authlib', secretOf('authlib'), 'https://authlib.example.test/callback', 'https://authlib.example.test/logged-out'], { stdio: 'pipe' });
    try {
      const next = jsonLines(child);
      const first = await next();
      expect(first.error, first.trace).toBeUndefined();
      const authUrl = new URL(first.authorization_url);
      expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authUrl.searchParams.get('code_challenge')).toBeTruthy();

      const browser = new Browser(server.issuer);
      const step = await loginWithTestId(browser, authUrl.href);
      expect(step.location?.startsWith('https://authlib.example.test/callback?')).toBe(true);
      child.stdin.write(`${step.location}\n`);

      const out = await next();
      expect(out.error, out.trace).toBeUndefined();
      const r = out.result;
      expect(r.token_type).toBe('Bearer');
      expect(r.id_token_claims).toMatchObject({ iss: server.issuer, aud: 'authlib', pid: PID, acr: 'substantial' });
      expect(r.userinfo).toMatchObject({ sub: r.id_token_claims.sub, pid: PID });
      expect(r.first_refresh_token).toBeTruthy();
      expect(r.refreshed_access_token).not.toBe(r.first_access_token);
      expect(decodeJwt(r.refreshed_access_token)).toMatchObject({ client_id: 'authlib', sub: r.id_token_claims.sub });
      // ONETIME rotation: Authlib received the new refresh token
      expect(r.refreshed_refresh_token).toBeTruthy();
      expect(r.refreshed_refresh_token).not.toBe(r.first_refresh_token);

      // The logout URL Authlib built ends the session and returns to the RP with its state.
      const logout = await browser.go(r.logout_url);
      const done = logout.location ? logout : await browser.submit(logout, '/logout');
      expect(done.location, `${done.status} ${done.url}\n${done.html.slice(0, 1500)}`).toBeDefined();
      const back = new URL(done.location!);
      expect(`${back.origin}${back.pathname}`).toBe('https://authlib.example.test/logged-out');
      expect(back.searchParams.get('state')).toBe('bye-authlib');
      // the session is gone: a new authorization asks for a login again
      const again = await browser.go(first.authorization_url);
      expect(again.url).toContain('/login/select');
    } finally {
      child.kill();
    }
  }, 30_000);
});
