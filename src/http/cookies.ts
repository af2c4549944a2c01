import type { FastifyReply, FastifyRequest } from 'fastify';

export interface CookieSettings {
  secure: boolean;
}

/** Reads one cookie from the Cookie header without a plugin (first occurrence wins). */
export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) {
      const v = part.slice(i + 1).trim();
      return /^[A-Za-z0-9_-]{1,200}$/.test(v) ? v : undefined;
    }
  }
  return undefined;
}

/** Strict cookies: HttpOnly, SameSite=Lax, Path=/, Secure when the issuer is https. */
export function setCookie(reply: FastifyReply, s: CookieSettings, name: string, value: string, maxAgeSeconds?: number): void {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (s.secure) parts.push('Secure');
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`);
  appendSetCookie(reply, parts.join('; '));
}

export function clearCookie(reply: FastifyReply, s: CookieSettings, name: string): void {
  setCookie(reply, s, name, '', 0);
}

function appendSetCookie(reply: FastifyReply, cookie: string): void {
  const existing = reply.getHeader('Set-Cookie');
  if (existing === undefined) reply.header('Set-Cookie', [cookie]);
  else reply.header('Set-Cookie', [...(Array.isArray(existing) ? existing : [String(existing)]), cookie]);
}
