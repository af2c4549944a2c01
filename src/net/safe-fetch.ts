/**
 * Outgoing HTTP for URLs that come from someone else, with the address policy of
 * address-policy.ts applied after DNS resolution and to the address actually connected to:
 * node:http(s) with a `lookup` that resolves the name, refuses it when ANY resolved address is not
 * public, and hands exactly the checked addresses to the socket (so a name cannot be re-resolved
 * to an inner address between the check and the connection: no DNS rebinding). An IP literal in
 * the URL is checked directly (the socket does not call `lookup` for it). TLS still verifies the
 * certificate against the URL's host name.
 *
 * `safeFetch` is a small fetch (WHATWG Fetch subset: method, headers, body, signal, redirect)
 * returning the global Response, for openid-client's and jose's `customFetch` hooks and the
 * Altinn source. Redirects are not followed unless asked (`redirect: 'follow'`: every hop goes
 * through the same checks). Failures reject with `TypeError('fetch failed')` whose `cause` is the
 * reason (an AddressRefusedError for a refused address), as fetch does.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { AddressRefusedError, classifyAddress, literalAddress, type AddressClass } from './address-policy.js';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Which address classes may be connected to (production: only 'public'). */
export type AddressAllow = (cls: AddressClass) => boolean;
export const publicOnly: AddressAllow = (cls) => cls === 'public';
/** Resolves a name to all its addresses (dns.lookup with all: true); injectable for tests. */
export type Resolver = (hostname: string, options: LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

export interface PolicyOptions {
  allow?: AddressAllow;
  resolve?: Resolver;
}

/** A `lookup` for net/tls/http that refuses names resolving to any address the policy does not allow. */
export function createPolicyLookup(o: PolicyOptions = {}): LookupFunction {
  const allow = o.allow ?? publicOnly;
  const resolve: Resolver = o.resolve ?? ((h, opts, cb) => dnsLookup(h, opts, cb));
  return ((hostname: string, options: unknown, callback: unknown) => {
  const cb = (typeof options === 'function' ? options : callback) as (err: Error | null, address?: string | LookupAddress[], family?: number) => void;
  const opts = (typeof options === 'object' && options !== null ? options : {}) as { all?: boolean; family?: number | string };
  const family = opts.family === 'IPv4' ? 4 : opts.family === 'IPv6' ? 6 : typeof opts.family === 'number' ? opts.family : 0;
  const all: LookupAllOptions = { all: true, family };
  resolve(hostname, all, (err, addresses) => {
    if (err) return cb(err);
    if (addresses.length === 0) return cb(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }));
    for (const a of addresses) {
      const cls = classifyAddress(a.address);
      if (!allow(cls)) return cb(new AddressRefusedError(hostname, a.address, cls));
    }
    if (opts.all) cb(null, addresses);
    else cb(null, addresses[0]!.address, addresses[0]!.family);
  });
  }) as LookupFunction;
}

/** The production policy's lookup. */
export const policyLookup: LookupFunction = createPolicyLookup();

/** Throws AddressRefusedError when the URL's host is an IP literal the policy does not allow. */
export function checkLiteralHost(url: URL, allow: AddressAllow = publicOnly): void {
  const literal = literalAddress(url.hostname);
  if (literal === undefined) return;
  const cls = classifyAddress(literal);
  if (!allow(cls)) throw new AddressRefusedError(url.hostname, literal, cls);
}


const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const MAX_REDIRECTS = 5;

async function bodyBytes(body: RequestInit['body']): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof URLSearchParams) return Buffer.from(body.toString(), 'utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Blob) return Buffer.from(await body.arrayBuffer());
  throw new TypeError('safeFetch: unsupported body type');
}

function failed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

/** A fetch with the outbound address policy (see the module comment). */
export function createSafeFetch(o: PolicyOptions = {}): FetchLike {
  const allow = o.allow ?? publicOnly;
  const lookup = createPolicyLookup(o);
  return async (input, init = {}) => {
  const req = input instanceof Request ? input : undefined;
  const url = new URL(req ? req.url : input instanceof URL ? input.href : (input as string));
  const method = (init.method ?? req?.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers ?? req?.headers);
  const body = init.body !== undefined ? await bodyBytes(init.body) : req?.body ? Buffer.from(await req.arrayBuffer()) : undefined;
  const signal = init.signal ?? req?.signal ?? undefined;
  const redirect = init.redirect ?? req?.redirect ?? 'follow';
  return send(url, { method, headers, body, signal, redirect, allow, lookup }, 0);
  };
}

/** fetch with the production policy: public addresses only. */
export const safeFetch: FetchLike = createSafeFetch();

interface Prepared {
  method: string;
  headers: Headers;
  body: Buffer | undefined;
  signal: AbortSignal | undefined;
  redirect: RequestRedirect;
  allow: AddressAllow;
  lookup: LookupFunction;
}

async function send(url: URL, p: Prepared, hops: number): Promise<Response> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw failed(new Error(`unsupported protocol ${url.protocol}`));
  try {
    checkLiteralHost(url, p.allow);
  } catch (e) {
    throw failed(e);
  }
  p.signal?.throwIfAborted();
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const headers: Record<string, string> = {};
    p.headers.forEach((v, k) => { headers[k] = v; });
    if (p.body !== undefined) headers['content-length'] = String(p.body.length);
    headers['accept-encoding'] = 'identity';
    const r = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: p.method, headers, lookup: p.lookup });
    const onAbort = () => r.destroy(p.signal!.reason instanceof Error ? p.signal!.reason : new DOMException('This operation was aborted', 'AbortError'));
    p.signal?.addEventListener('abort', onAbort, { once: true });
    r.on('response', (m) => {
      m.on('close', () => p.signal?.removeEventListener('abort', onAbort));
      resolve(m);
    });
    r.on('error', (e) => {
      p.signal?.removeEventListener('abort', onAbort);
      reject(p.signal?.aborted ? p.signal.reason : failed(e));
    });
    r.end(p.body);
  });
  const status = res.statusCode ?? 0;
  if (status >= 300 && status < 400 && res.headers.location !== undefined && p.redirect !== 'manual') {
    res.resume();
    if (p.redirect === 'error') throw failed(new Error(`redirect to ${res.headers.location} refused`));
    if (hops >= MAX_REDIRECTS) throw failed(new Error('too many redirects'));
    const next = new URL(res.headers.location, url);
    const get = status === 303 || ((status === 301 || status === 302) && p.method === 'POST');
    return send(next, get ? { ...p, method: 'GET', body: undefined } : p, hops + 1);
  }
  const out = new Headers();
  for (const [k, v] of Object.entries(res.headers)) {
    if (v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) out.append(k, x);
  }
  if (status < 200 || status > 599) {
    res.resume();
    throw failed(new Error(`unexpected status ${status}`));
  }
  if (NULL_BODY.has(status) || p.method === 'HEAD') {
    res.resume();
    return new Response(null, { status, statusText: res.statusMessage ?? '', headers: out });
  }
  // An abort after the headers ends the body stream with the abort reason (as fetch does).
  const stream = Readable.toWeb(res) as ReadableStream<Uint8Array>;
  return new Response(stream, { status, statusText: res.statusMessage ?? '', headers: out });
}

/** The fetch for URLs chosen by others: the policy in production, the global fetch otherwise. */
export function outboundFetch(production: boolean): FetchLike {
  return production ? safeFetch : (input, init) => fetch(input, init);
}
