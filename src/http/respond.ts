import type { FastifyReply } from 'fastify';
import type { OAuthError } from '../core/oauth-error.js';
import { randomId } from '../core/random.js';

export interface CspOptions {
  /** Extra origins allowed as form targets (a client's redirect URI for form_post and redirects after a POST). */
  formAction?: string[];
  /** Origins allowed in frames (front-channel logout). */
  frameSrc?: string[];
  script?: boolean;
}

export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

function csp(nonce: string, o: CspOptions): string {
  const formAction = ["'self'", ...(o.formAction ?? []).map(originOf).filter((x): x is string => !!x)];
  const parts = [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    o.script ? `script-src 'nonce-${nonce}'` : "script-src 'none'",
    `form-action ${[...new Set(formAction)].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ];
  if (o.frameSrc && o.frameSrc.length > 0) {
    const frames = [...new Set(o.frameSrc.map(originOf).filter((x): x is string => !!x))];
    if (frames.length > 0) parts.push(`frame-src ${frames.join(' ')}`);
  }
  return parts.join('; ');
}

/** Sends an HTML page with its own CSP; the renderer gets the script nonce. */
export function sendHtml(reply: FastifyReply, status: number, render: (nonce: string) => string, o: CspOptions = {}): FastifyReply {
  const nonce = randomId(16);
  return reply
    .code(status)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header('Content-Security-Policy', csp(nonce, o))
    .send(render(nonce));
}

/** OAuth error JSON with the status and headers the error prescribes; never cached. */
export function sendOAuthError(reply: FastifyReply, err: OAuthError): FastifyReply {
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply
    .code(err.status)
    .header('Cache-Control', 'no-store')
    .header('Pragma', 'no-cache')
    .type('application/json')
    .send(JSON.stringify(err.toJSON()));
}

export function sendNoStoreJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('Cache-Control', 'no-store').header('Pragma', 'no-cache').type('application/json').send(JSON.stringify(body));
}
