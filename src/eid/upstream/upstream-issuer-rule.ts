import { isIP } from 'node:net';

/** The part of an upstream eID's configuration the transport rule reads. */
export interface UpstreamTransport {
  id: string;
  issuer: string;
  allow_insecure: boolean;
}

/** An http URL on a loopback address (127.0.0.0/8, ::1, localhost): a local test upstream. */
export function isLoopbackHttp(uri: string): boolean {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:') return false;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || (isIP(host) === 4 && host.startsWith('127.')) || host === '::1';
}

/**
 * Why an upstream eID may not be configured, or undefined when it may. Checked at start, so a
 * misconfigured eID stops the start (ConfigError) instead of failing at the first login.
 * - production: https only, and `allow_insecure` is refused;
 * - otherwise: https, or http on a loopback address (like back-channel logout targets,
 *   src/oauth/logout/back-channel-logout.ts), or any http with `allow_insecure: true`.
 * OpenID Connect Discovery 1.0 §3 requires an https issuer; the exceptions are for local tests.
 */
export function upstreamIssuerProblem(e: UpstreamTransport, production: boolean): string | undefined {
  let protocol: string;
  try {
    protocol = new URL(e.issuer).protocol;
  } catch {
    return `eids: the upstream eID "${e.id}" has an issuer that is not a URL`;
  }
  if (production) {
    if (e.allow_insecure || protocol !== 'https:') return `production mode refuses the http upstream eID "${e.id}"`;
    return undefined;
  }
  if (protocol === 'https:') return undefined;
  if (protocol !== 'http:') return `eids: the upstream eID "${e.id}" needs an https issuer (got "${e.issuer}")`;
  if (e.allow_insecure || isLoopbackHttp(e.issuer)) return undefined;
  return `eids: the upstream eID "${e.id}" has an http issuer that is not on a loopback address ("${e.issuer}"): use https, or set allow_insecure: true for a test upstream (never in production)`;
}

/** Whether requests to the upstream may use http at all: `allow_insecure`, or a loopback http issuer. */
export function allowsHttp(e: Pick<UpstreamTransport, 'issuer' | 'allow_insecure'>): boolean {
  return e.allow_insecure || isLoopbackHttp(e.issuer);
}

/**
 * Whether an endpoint the upstream publishes (jwks_uri, token_endpoint) may be used: https always;
 * http with `allow_insecure`; http on loopback when the issuer itself is a loopback http issuer.
 */
export function upstreamEndpointAllowed(uri: string, e: Pick<UpstreamTransport, 'issuer' | 'allow_insecure'>): boolean {
  if (uri.startsWith('https://')) return true;
  if (e.allow_insecure) return uri.startsWith('http://');
  return isLoopbackHttp(e.issuer) && isLoopbackHttp(uri);
}
