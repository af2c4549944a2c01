/**
 * The two logins the benchmark drives, as lists of steps (one HTTP request each) over a per-login
 * state, so they can run whole (latency, throughput) or one step at a time across a batch of
 * logins (CPU per route). Pages are not parsed: flow, csrf, form action and code come out of
 * precompiled regular expressions.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CookieJar, pathOf, type HttpClient, type Reply } from './http-client.js';

export const CLIENT_ID = 'bench';
export const CLIENT_SECRET = 'bench-secret-bench-secret-bench-secret';
export const REDIRECT_URI = 'https://bench.example.test/cb';
const BASIC = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
const PID = '15895010046';

const FLOW_RE = /[?&]flow=([^&]+)/;
const CSRF_RE = /name="csrf" value="([^"]+)"/;
const ACTION_RE = /<form[^>]*action="([^"]+)"/;
const CODE_RE = /[?&]code=([^&]+)/;
const WORLD_RE = /name="world" value="([0-9]+)"/;
const TESTID_FORM_RE = /<form method="get" action="([^"]+)" id="open-testid">/;

export interface LoginState {
  jar: CookieJar;
  verifier: string;
  authorizeQuery: string;
  next?: string;
  flow?: string;
  csrf?: string;
  /** The test world's version the TestID page carries in its forms, when it does. */
  world?: string;
  code?: string;
}

export interface Step {
  /** The route as a label: "GET /authorize". */
  name: string;
  run(http: HttpClient, s: LoginState): Promise<void>;
}

export interface LoginFlow {
  steps: Step[];
  newState(): LoginState;
}

function newState(): LoginState {
  const verifier = randomBytes(32).toString('base64url');
  const rnd = randomBytes(16).toString('hex');
  const authorizeQuery = new URLSearchParams({
    client_id: CLIENT_ID, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid profile',
    state: rnd.slice(0, 16), nonce: rnd.slice(16),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
  }).toString();
  return { jar: new CookieJar(), verifier, authorizeQuery };
}

function expect(r: Reply, status: number | number[], what: string): void {
  const ok = Array.isArray(status) ? status.includes(r.status) : r.status === status;
  if (!ok) throw new Error(`${what}: HTTP ${r.status} ${r.location ?? ''} ${r.body.slice(0, 300)}`);
}

function match(re: RegExp, text: string | undefined, what: string): string {
  const m = text === undefined ? null : re.exec(text);
  if (!m) throw new Error(`${what}: no match for ${re} in ${(text ?? '').slice(0, 300)}`);
  return m[1]!;
}

const tokenStep: Step = {
  name: 'POST /token',
  async run(http, s) {
    const form = `grant_type=authorization_code&code=${s.code!}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&code_verifier=${s.verifier}`;
    const r = await http.send('POST', '/token', undefined, { form, auth: BASIC, wantBody: true });
    expect(r, 200, 'token');
    if (!r.body.includes('"id_token"')) throw new Error(`token: no id_token in ${r.body.slice(0, 200)}`);
  },
};

function codeFrom(r: Reply, what: string): string {
  if (!r.location?.startsWith(REDIRECT_URI)) throw new Error(`${what}: expected the redirect to the client, got ${r.status} ${r.location ?? ''}`);
  return match(CODE_RE, r.location, what);
}

/** Ours: /authorize → eID selector → TestID page → TestID answer (code) → /token. Five requests. */
export const oursFlow: LoginFlow = {
  newState,
  steps: [
    {
      name: 'GET /authorize',
      async run(http, s) {
        const r = await http.send('GET', `/authorize?${s.authorizeQuery}`, s.jar);
        expect(r, [302, 303], 'authorize');
        s.flow = match(FLOW_RE, r.location, 'authorize');
        s.next = pathOf(r.location!);
      },
    },
    {
      name: 'GET /login/select',
      async run(http, s) {
        const r = await http.send('GET', s.next!, s.jar, { wantBody: true });
        expect(r, 200, 'selector page');
        // The TestID button submits its own GET form (the flow only) to the TestID page.
        s.next = `${match(TESTID_FORM_RE, r.body, 'selector page')}?flow=${s.flow!}&eid=testid`;
      },
    },
    {
      name: 'GET /login/testid',
      async run(http, s) {
        const r = await http.send('GET', s.next!, s.jar, { wantBody: true });
        expect(r, 200, 'TestID page');
        s.csrf = match(CSRF_RE, r.body, 'TestID page');
        s.world = WORLD_RE.exec(r.body)?.[1];
      },
    },
    {
      name: 'POST /login/testid',
      async run(http, s) {
        const r = await http.send('POST', '/login/testid', s.jar, { form: `flow=${s.flow!}&csrf=${s.csrf!}${s.world ? `&world=${s.world}` : ''}&pid=${PID}&acr=substantial` });
        expect(r, [302, 303], 'TestID answer');
        s.code = codeFrom(r, 'TestID answer');
      },
    },
    tokenStep,
  ],
};

/** node-oidc-provider: /auth → login page → login post → resume (code) → /token. Five requests. */
export const referenceFlow: LoginFlow = {
  newState,
  steps: [
    {
      name: 'GET /auth',
      async run(http, s) {
        const r = await http.send('GET', `/auth?${s.authorizeQuery}`, s.jar);
        expect(r, [302, 303], 'auth');
        s.next = pathOf(r.location!);
      },
    },
    {
      name: 'GET /interaction/:uid',
      async run(http, s) {
        const r = await http.send('GET', s.next!, s.jar, { wantBody: true });
        expect(r, 200, 'login page');
        s.next = pathOf(match(ACTION_RE, r.body, 'login page'));
      },
    },
    {
      name: 'POST /interaction/:uid/login',
      async run(http, s) {
        const r = await http.send('POST', s.next!, s.jar, { form: `prompt=login&login=${PID}&password=x` });
        expect(r, [302, 303], 'login post');
        s.next = pathOf(r.location!);
      },
    },
    {
      name: 'GET /auth/:uid (resume)',
      async run(http, s) {
        const r = await http.send('GET', s.next!, s.jar);
        expect(r, [302, 303], 'resume');
        s.code = codeFrom(r, 'resume');
      },
    },
    tokenStep,
  ],
};
