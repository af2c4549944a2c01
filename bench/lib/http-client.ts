/**
 * A deliberately cheap HTTP client for the load generator: node:http with a keep-alive agent, a
 * cookie jar per simulated browser (name → value, path ignored), and bodies read only when a
 * step needs them. No DOM, no fetch/undici: on a 2-core machine the load generator shares the CPU
 * with the servers it measures, so every microsecond it spends is taken from them.
 */
import { Agent, request } from 'node:http';

export interface Reply {
  status: number;
  location?: string;
  body: string;
}

export class CookieJar {
  private readonly map = new Map<string, string>();
  header(): string | undefined {
    if (this.map.size === 0) return undefined;
    let s = '';
    for (const [k, v] of this.map) s += s ? `; ${k}=${v}` : `${k}=${v}`;
    return s;
  }
  store(setCookie: string[] | undefined): void {
    if (!setCookie) return;
    for (const c of setCookie) {
      const semi = c.indexOf(';');
      const pair = semi < 0 ? c : c.slice(0, semi);
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || EXPIRED.test(c)) this.map.delete(name);
      else this.map.set(name, value);
    }
  }
}
const EXPIRED = /max-age=0|expires=thu, 01 jan 1970/i;

export class HttpClient {
  readonly agent: Agent;
  constructor(readonly host: string, readonly port: number, maxSockets: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  /** One request; `form` is sent url-encoded; the body is read only if `wantBody`. */
  send(method: 'GET' | 'POST', path: string, jar: CookieJar | undefined, opts: { form?: string; auth?: string; wantBody?: boolean } = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = {};
      const cookie = jar?.header();
      if (cookie) headers.cookie = cookie;
      if (opts.auth) headers.authorization = opts.auth;
      if (opts.form !== undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        headers['content-length'] = String(Buffer.byteLength(opts.form));
      }
      const req = request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        jar?.store(res.headers['set-cookie']);
        const location = res.headers.location;
        if (!opts.wantBody) {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, location, body: '' }));
          return;
        }
        res.setEncoding('utf8');
        let body = '';
        res.on('data', (d: string) => { body += d; });
        res.on('end', () => resolve({ status: res.statusCode!, location, body }));
      });
      req.on('error', reject);
      if (opts.form !== undefined) req.end(opts.form); else req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Path and query of a URL that may be absolute. */
export function pathOf(location: string): string {
  if (location.startsWith('/')) return location;
  const i = location.indexOf('/', location.indexOf('//') + 2);
  return i < 0 ? '/' : location.slice(i);
}
