import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig, type ConfigFileInput } from '../../src/config/config.js';
import type { Clock } from '../../src/core/clock.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** The key-encryption key production-mode test servers get unless they set their own. */
export const TEST_KEY_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestServer extends App {
  issuer: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Starts a real provider on a loopback port with its own data directory, the given clients file
 * contents and an optional controlled clock. Tests talk to it over HTTP only.
 */
export async function startServer(opts: {
  clients?: unknown[]; clock?: Clock; config?: Partial<ConfigFileInput>; env?: Record<string, string>; fixtures?: unknown;
  dataDir?: string; port?: number; keepData?: boolean;
} = {}): Promise<TestServer> {
  const port = opts.port ?? (await freePort());
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'ap-test-'));
  // Production mode needs a key-encryption key (src/tokens/key-encryption.ts), and instances that
  // share a PostgreSQL but not a data directory need the same one; tests about it pass their own.
  const sharedKek = opts.env?.NODE_ENV === 'production' || opts.env?.DATABASE_URL;
  const env: Record<string, string> = { PORT: String(port), DATA_DIR: dataDir, ...(sharedKek ? { KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY } : {}), ...opts.env };
  if (opts.clients) {
    const file = join(dataDir, 'clients.json');
    writeFileSync(file, JSON.stringify(opts.clients));
    env.CLIENTS_FILE = file;
  }
  if (opts.fixtures) {
    const file = join(dataDir, 'fixtures.json');
    writeFileSync(file, JSON.stringify(opts.fixtures));
    env.FIXTURES_FILE = file;
  }
  const config = loadConfig(env, opts.config ?? {});
  const built = await buildApp(config, { clock: opts.clock });
  await built.app.listen({ port, host: '127.0.0.1' });
  return {
    ...built,
    issuer: config.issuer,
    dataDir,
    async close() {
      await built.app.close();
      if (!opts.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A confidential web client for the tests (client_secret_basic unless overridden). */
export function webClient(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    client_id: id,
    client_name: `Test client ${id}`,
    client_orgno: '310900001',
    integration_type: 'ansattporten',
    application_type: 'web',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token'],
    scopes: ['openid', 'profile'],
    redirect_uris: [`https://${id}.example.test/callback`],
    post_logout_redirect_uris: [`https://${id}.example.test/logged-out`],
    client_secret: `secret-of-${id}-that-is-long-enough-for-production`,
    ...extra,
  };
}

export const secretOf = (id: string) => `secret-of-${id}-that-is-long-enough-for-production`;

/** Form fields of the first `<form>` whose action ends with `actionSuffix`. */
export function formFields(html: string, actionSuffix: string): Record<string, string> {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
  for (const f of forms) {
    const action = /action="([^"]*)"/.exec(f[1]!)?.[1] ?? '';
    if (!decodeEntities(action).endsWith(actionSuffix)) continue;
    const fields: Record<string, string> = {};
    for (const input of f[2]!.matchAll(/<input\b([^>]*)>/g)) {
      const attrs = Object.fromEntries([...input[1]!.matchAll(/([a-zA-Z_:-]+)="([^"]*)"/g)].map((m) => [m[1], decodeEntities(m[2]!)]));
      if (attrs.type === 'hidden' && attrs.name) fields[attrs.name] = attrs.value ?? '';
    }
    return fields;
  }
  throw new Error(`no form with action ending in ${actionSuffix} in page:\n${html.slice(0, 3000)}`);
}

export function decodeEntities(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export interface Step {
  status: number;
  url: string;
  location?: string;
  html: string;
  headers: Headers;
}

/**
 * A scripted browser with a cookie jar for one origin. It follows redirects inside the provider
 * and stops at the first redirect that leaves it (the response to the client).
 */
export class Browser {
  readonly jar = new Map<string, string>();
  constructor(readonly issuer: string) {}

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private store(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (/Max-Age=0/i.test(c) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async request(url: string, init: { method?: string; form?: Record<string, string | string[]>; body?: string; contentType?: string } = {}): Promise<Step> {
    const headers: Record<string, string> = {};
    if (this.jar.size > 0) headers.cookie = this.cookieHeader();
    let body: string | undefined = init.body;
    if (init.form) {
      const sp = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form)) for (const x of Array.isArray(v) ? v : [v]) sp.append(k, x);
      body = sp.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    if (init.contentType) headers['content-type'] = init.contentType;
    const res = await fetch(url, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.store(res);
    const location = res.headers.get('location') ?? undefined;
    return { status: res.status, url, location: location ? new URL(location, url).href : undefined, html: await res.text(), headers: res.headers };
  }

  /** Follows redirects while they stay on the provider; returns the last step. */
  async go(url: string, init: Parameters<Browser['request']>[1] = {}): Promise<Step> {
    let step = await this.request(url, init);
    for (let i = 0; i < 10 && step.location && step.location.startsWith(this.issuer); i++) {
      step = await this.request(step.location);
    }
    return step;
  }

  /** Submits the form whose action ends with `action` on the page, adding `fields`. */
  async submit(page: Step, action: string, fields: Record<string, string | string[]> = {}): Promise<Step> {
    const hidden = formFields(page.html, action);
    return this.go(new URL(action, this.issuer).href, { form: { ...hidden, ...fields } });
  }
}

/** Logs in with TestID from an authorization URL; returns the step that leaves the provider. */
export async function loginWithTestId(b: Browser, authUrl: string, opts: { pid?: string; acr?: string } = {}): Promise<Step> {
  const select = await b.go(authUrl);
  if (select.location && !select.location.startsWith(b.issuer)) return select; // silent SSO
  if (!select.url.includes('/login/select')) throw new Error(`expected the eID selector, got ${select.status} ${select.url}\n${select.html.slice(0, 2000)}`);
  const testid = await b.submit(select, '/login/select', { eid: 'testid' });
  if (!testid.url.includes('/login/testid')) throw new Error(`expected the TestID page, got ${testid.status} ${testid.url}`);
  return b.submit(testid, '/login/testid', { pid: opts.pid ?? '15895010046', acr: opts.acr ?? 'substantial' });
}

/** The parameters of the response to the client: from the redirect, or from a form_post page. */
export function callbackParams(step: Step): URLSearchParams {
  if (step.location) return new URL(step.location).searchParams;
  const action = /<form\b[^>]*action="([^"]*)"/.exec(step.html)?.[1];
  if (!action) throw new Error(`no callback in step ${step.status} ${step.url}:\n${step.html.slice(0, 1500)}`);
  const fields: Record<string, string> = {};
  for (const input of step.html.matchAll(/<input\b([^>]*)>/g)) {
    const attrs = Object.fromEntries([...input[1]!.matchAll(/([a-zA-Z_:-]+)="([^"]*)"/g)].map((m) => [m[1], decodeEntities(m[2]!)]));
    if (attrs.type === 'hidden' && attrs.name) fields[attrs.name] = attrs.value ?? '';
  }
  return new URLSearchParams(fields);
}
