import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';

/** One request a relying-party server received. */
export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as a form (empty when it is not one). */
  form: URLSearchParams;
  at: number;
}

export interface RelyingParty {
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The provider origin allowed to frame the front-channel logout page (set once the provider runs). */
  providerOrigin: string;
  requests: Recorded[];
  /** GET /fcl requests (front-channel logout). */
  frontChannel(): Recorded[];
  /** POST /bcl requests (back-channel logout). */
  backChannel(): Recorded[];
  /** Forgets what was recorded so far. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * A small relying party on 127.0.0.1 (port 0) that records what it receives:
 * `GET /fcl` answers with a page that may be framed by the provider (no X-Frame-Options,
 * `frame-ancestors <provider origin>`), `POST /bcl` answers 200 (after `backChannelDelayMs`),
 * everything else (callback, logged-out) with a tiny page.
 */
export async function startRelyingParty(opts: { backChannelDelayMs?: number } = {}): Promise<RelyingParty> {
  const requests: Recorded[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const page = (res: ServerResponse, title: string, headers: Record<string, string> = {}) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
    res.end(`<!doctype html><html><head><title>${title}</title></head><body><p>${title}</p></body></html>`);
  };
  const rp: RelyingParty = {
    port: 0,
    origin: '',
    providerOrigin: '',
    requests,
    frontChannel: () => requests.filter((r) => r.method === 'GET' && r.path === '/fcl'),
    backChannel: () => requests.filter((r) => r.method === 'POST' && r.path === '/bcl'),
    reset: () => {
      requests.length = 0;
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', rp.origin);
      const body = Buffer.concat(chunks).toString('utf8');
      const form = /application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '') ? new URLSearchParams(body) : new URLSearchParams();
      requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body, form, at: Date.now() });
      if (req.method === 'GET' && url.pathname === '/fcl') {
        page(res, 'front-channel logout', { 'content-security-policy': `frame-ancestors ${rp.providerOrigin || "'none'"}` });
      } else if (req.method === 'POST' && url.pathname === '/bcl') {
        const answer = () => {
          res.writeHead(200, { 'cache-control': 'no-store' });
          res.end();
        };
        if (opts.backChannelDelayMs) {
          const t = setTimeout(() => {
            timers.delete(t);
            answer();
          }, opts.backChannelDelayMs);
          timers.add(t);
        } else answer();
      } else {
        page(res, `relying party ${url.pathname}`);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  rp.port = (server.address() as { port: number }).port;
  rp.origin = `http://127.0.0.1:${rp.port}`;
  return rp;
}

/** Polls until `check` returns true, for at most `timeoutMs`; returns whether it did. */
export async function waitFor(check: () => boolean, timeoutMs = 5000, intervalMs = 25): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
