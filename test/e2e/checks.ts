/**
 * Helpers shared by the error-path end-to-end suites: every response is checked for a 5xx and for
 * leaked stack traces, and requests are built by hand so that hostile input can be sent.
 */
import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { Browser, loginWithTestId, secretOf, type Step } from './harness.js';

/** Something that looks like a stack frame, a source path or an internal error name. */
const STACK = /(\n\s*at\s+\S+.*:\d+:\d+)|(\bat\s+(?:async\s+)?\S*\s*\((?:file:\/\/|node:|\/)[^)]*:\d+:\d+\))|node_modules|\/src\/[\w/-]+\.ts|FST_ERR_|TypeError|ReferenceError|SyntaxError: /;

/** No 500, and nothing that looks like a stack trace or an internal error, in any response. */
export function assertSane(status: number, body: string, where: string): void {
  expect(status, `${where}: status ${status}\n${body.slice(0, 800)}`).not.toBe(500);
  expect(status, `${where}: server error ${status}\n${body.slice(0, 800)}`).toBeLessThan(500);
  expect(STACK.test(body), `${where}: looks like a stack trace:\n${body.slice(0, 1500)}`).toBe(false);
}

/** The scripted browser, asserting sanity on every response it sees. */
export class CheckedBrowser extends Browser {
  override async request(url: string, init: Parameters<Browser['request']>[1] = {}): Promise<Step> {
    const step = await super.request(url, init);
    assertSane(step.status, step.html, `${init.method ?? (init.form || init.body !== undefined ? 'POST' : 'GET')} ${url}`);
    return step;
  }
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  location?: string;
  /** Parsed JSON body, when the body is JSON. */
  json?: any;
}

/** A plain request without following redirects; checked for sanity. */
export async function http(url: string, init: RequestInit & { form?: Record<string, string | string[]> } = {}): Promise<HttpResult> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.form) {
    body = formBody(init.form);
    if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded');
  }
  const res = await fetch(url, { ...init, headers, body, method: init.method ?? (body !== undefined ? 'POST' : 'GET'), redirect: 'manual' });
  const text = await res.text();
  assertSane(res.status, text, `${init.method ?? (body !== undefined ? 'POST' : 'GET')} ${url.slice(0, 200)}`);
  let json: unknown;
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  const location = res.headers.get('location') ?? undefined;
  return { status: res.status, headers: res.headers, text, json, location: location ? new URL(location, url).href : undefined };
}

export function formBody(form: Record<string, string | string[]>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) sp.append(k, x);
  return sp.toString();
}

export function basicAuth(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export function newPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const redirectOf = (clientId: string) => `https://${clientId}.example.test/callback`;

/**
 * An authorization URL with valid defaults for `clientId`; `undefined` in `params` removes a
 * default, an array repeats the parameter.
 */
export function authorizeUrl(issuer: string, clientId: string, params: Record<string, string | string[] | undefined> = {}, challenge = newPkce().challenge): string {
  const all: Record<string, string | string[] | undefined> = {
    client_id: clientId, response_type: 'code', redirect_uri: redirectOf(clientId), scope: 'openid profile',
    state: 'state-1', nonce: 'nonce-1', code_challenge: challenge, code_challenge_method: 'S256', ...params,
  };
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(all)) {
    if (v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) sp.append(k, x);
  }
  return `${issuer}/authorize?${sp.toString()}`;
}

/** Logs in with TestID and returns the code and what is needed to redeem it. */
export async function obtainCode(
  b: Browser, issuer: string, clientId: string,
  opts: { params?: Record<string, string | string[] | undefined>; pid?: string; acr?: string } = {},
): Promise<{ code: string; verifier: string; redirectUri: string; step: Step; params: URLSearchParams }> {
  const pkce = newPkce();
  const url = authorizeUrl(issuer, clientId, opts.params ?? {}, pkce.challenge);
  const step = await loginWithTestId(b, url, { pid: opts.pid, acr: opts.acr });
  if (!step.location) throw new Error(`expected a redirect to the client, got ${step.status} ${step.url}\n${step.html.slice(0, 1500)}`);
  const params = new URL(step.location).searchParams;
  const code = params.get('code');
  if (!code) throw new Error(`no code in ${step.location}`);
  return { code, verifier: pkce.verifier, redirectUri: redirectOf(clientId), step, params };
}

/** POST /token with form fields; `auth` is a client id using client_secret_basic with its test secret. */
export async function tokenRequest(
  issuer: string, form: Record<string, string | string[]>, opts: { basic?: string; authorization?: string } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = {};
  if (opts.basic) headers.authorization = basicAuth(opts.basic, secretOf(opts.basic));
  if (opts.authorization) headers.authorization = opts.authorization;
  const res = await http(`${issuer}/token`, { form, headers });
  // RFC 6749 §5.1/§5.2: every token response, success or error, is not cacheable.
  expect(res.headers.get('cache-control'), `token response ${res.status} ${res.text}`).toBe('no-store');
  return res;
}

/** Redeems a code with client_secret_basic. */
export async function redeem(issuer: string, clientId: string, c: { code: string; verifier: string; redirectUri: string }): Promise<HttpResult> {
  return tokenRequest(issuer, { grant_type: 'authorization_code', code: c.code, redirect_uri: c.redirectUri, code_verifier: c.verifier }, { basic: clientId });
}
