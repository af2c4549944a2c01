/**
 * A scripted browser for logins that leave our provider for an upstream eID and come back: one
 * cookie jar per origin, redirects followed across every origin it is told about (our provider and
 * the upstreams), and a stop at the first redirect elsewhere (the answer to the client). Every
 * request is bounded by a timeout, so a hanging page fails the test instead of stalling it.
 */
import { decodeEntities, formFields, type Step } from '../harness.js';

export const REQUEST_TIMEOUT_MS = 10_000;

export class FederatedBrowser {
  /** origin → cookie name → value */
  readonly jars = new Map<string, Map<string, string>>();
  private readonly origins: Set<string>;

  constructor(origins: string[]) {
    this.origins = new Set(origins.map((o) => new URL(o).origin));
  }

  private jar(origin: string): Map<string, string> {
    let j = this.jars.get(origin);
    if (!j) {
      j = new Map();
      this.jars.set(origin, j);
    }
    return j;
  }

  setCookie(originUrl: string, name: string, value: string): void {
    this.jar(new URL(originUrl).origin).set(name, value);
  }

  deleteCookie(originUrl: string, name: string): void {
    this.jar(new URL(originUrl).origin).delete(name);
  }

  async request(url: string, init: { method?: string; form?: Record<string, string | string[]> } = {}): Promise<Step> {
    const origin = new URL(url).origin;
    const jar = this.jar(origin);
    const headers: Record<string, string> = {};
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      const sp = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form)) for (const x of Array.isArray(v) ? v : [v]) sp.append(k, x);
      body = sp.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(url, {
      method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body, redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (/Max-Age=0/i.test(c) || /expires=Thu, 01 Jan 1970/i.test(c) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    const location = res.headers.get('location') ?? undefined;
    return { status: res.status, url, location: location ? new URL(location, url).href : undefined, html: await res.text(), headers: res.headers };
  }

  /** Follows redirects while they stay on a known origin; returns the last step. */
  async go(url: string, init: Parameters<FederatedBrowser['request']>[1] = {}): Promise<Step> {
    let step = await this.request(url, init);
    for (let i = 0; i < 20 && step.location && this.origins.has(new URL(step.location).origin); i++) {
      step = await this.request(step.location);
    }
    return step;
  }

  /** Submits the form on the page whose action ends with `action`, adding `fields`. */
  async submit(page: Step, action: string, fields: Record<string, string | string[]> = {}): Promise<Step> {
    const hidden = formFields(page.html, action);
    const forms = [...page.html.matchAll(/<form\b[^>]*action="([^"]*)"/g)].map((m) => decodeEntities(m[1]!));
    const target = forms.find((a) => a.endsWith(action)) ?? action;
    return this.go(new URL(target, page.url).href, { form: { ...hidden, ...fields } });
  }
}

/** The eIDs offered on a selector page (the values of the `eid` buttons). */
export function offeredEids(html: string): string[] {
  return [...html.matchAll(/<button\b[^>]*name="eid"[^>]*value="([^"]*)"/g)].map((m) => decodeEntities(m[1]!));
}
