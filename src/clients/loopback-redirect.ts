/**
 * Redirect URI matching (RFC 6749 §3.1.2.2, OIDC Core §3.1.2.1: exact string comparison), with the
 * one exception RFC 8252 §7.3 makes for native apps: a loopback IP redirect URI matches whatever
 * port the app opened at the time of the request. `localhost` is not a loopback IP literal
 * (RFC 8252 §8.3) and is matched exactly, like every other URI.
 */
import type { ApplicationType } from './client-types.js';

/** The loopback IP literals of RFC 8252 §7.3, as `URL.hostname` spells them. */
export function isLoopbackIpHost(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]';
}

/** `http://<loopback IP>[:port]<rest>`: the host, the port (if any) and everything after it. */
const LOOPBACK_URI = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::([0-9]{1,5}))?([/?].*)?$/s;

function splitLoopback(uri: string): { host: string; port: string | undefined; rest: string } | undefined {
  const m = LOOPBACK_URI.exec(uri);
  if (!m) return undefined;
  const port = m[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return undefined;
  return { host: m[1]!, port, rest: m[3] ?? '' };
}

/**
 * Whether a presented redirect_uri matches a registered (or previously presented) one: exactly,
 * or, for native clients only, as the same loopback IP URI on any port (RFC 8252 §7.3).
 */
export function redirectUriMatches(registered: string, presented: string, applicationType: ApplicationType): boolean {
  if (registered === presented) return true;
  if (applicationType !== 'native') return false;
  const r = splitLoopback(registered);
  const p = splitLoopback(presented);
  return r !== undefined && p !== undefined && r.host === p.host && r.rest === p.rest;
}
