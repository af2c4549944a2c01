/** Helpers for the admin tests: a trusted token issuer with its own JWKS server, API calls, client keys. */
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { TestServer } from '../e2e/harness.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdefghijklmnopqrstuv';
export const ORG_A = '310000108';
export const ORG_B = '310000116';

export interface TrustedIssuer {
  issuer: string;
  jwksUri: string;
  /** A JWT access token as the trusted issuer (Maskinporten-like) would issue it. */
  token(o: { orgno?: string; scope?: string; expSeconds?: number; iss?: string; consumer?: unknown; nowS?: number; aud?: string }): Promise<string>;
  /** A token signed by a key the issuer does not publish. */
  forgedToken(o: { orgno: string; scope: string }): Promise<string>;
  close(): Promise<void>;
}

export async function startTrustedIssuer(): Promise<TrustedIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'mp-key-1', alg: 'RS256', use: 'sig' };
  const server: Server = createServer((req, res) => {
    if (req.url === '/jwks') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const issuer = 'https://maskinporten.test.example/';
  const sign = (key: CryptoKey, o: { orgno?: string; scope?: string; expSeconds?: number; iss?: string; consumer?: unknown; nowS?: number; aud?: string }) => {
    const now = o.nowS ?? Math.floor(Date.now() / 1000);
    const consumer = o.consumer !== undefined ? o.consumer : { authority: 'iso6523-actorid-upis', ID: `0192:${o.orgno ?? ORG_A}` };
    return new SignJWT({ scope: o.scope ?? '', ...(consumer !== null ? { consumer } : {}), client_id: `selfservice-${o.orgno ?? 'x'}`, token_type: 'Bearer' })
      .setProtectedHeader({ alg: 'RS256', kid: 'mp-key-1' })
      .setIssuer(o.iss ?? issuer)
      .setAudience(o.aud ?? 'unspecified')
      .setIssuedAt(now)
      .setExpirationTime(now + (o.expSeconds ?? 120))
      .setJti(crypto.randomUUID())
      .sign(key);
  };
  return {
    issuer,
    jwksUri: `http://127.0.0.1:${port}/jwks`,
    token: (o) => sign(privateKey, o),
    forgedToken: (o) => sign(other.privateKey, o),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface ApiResponse {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

export async function api(
  server: TestServer | { issuer: string }, method: string, path: string,
  o: { token?: string | null; body?: unknown; rawBody?: string; contentType?: string; base?: string } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  const token = o.token === undefined ? ADMIN_TOKEN : o.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (o.rawBody !== undefined) body = o.rawBody;
  else if (o.body !== undefined) body = JSON.stringify(o.body);
  if (body !== undefined) headers['content-type'] = o.contentType ?? 'application/json';
  const res = await fetch(`${server.issuer}${o.base ?? '/admin/api'}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** A valid client registration body (web, client_secret_basic). */
export function clientBody(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    integration_type: 'ansattporten',
    application_type: 'web',
    client_name: `Client ${name}`,
    description: `The ${name} test client`,
    client_orgno: ORG_A,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token'],
    scopes: ['openid', 'profile'],
    redirect_uris: [`https://${name}.example.test/callback`],
    post_logout_redirect_uris: [`https://${name}.example.test/logged-out`],
    ...extra,
  };
}

let keyPair: Promise<CryptoKeyPair> | undefined;
/** The shared RSA key pair for client keys (one 2048-bit key, many kids). */
export function clientKeyPair(): Promise<CryptoKeyPair> {
  keyPair ??= generateKeyPair('RS256', { modulusLength: 2048, extractable: true }) as Promise<CryptoKeyPair>;
  return keyPair;
}

export async function rsaJwk(kid: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const { publicKey } = await clientKeyPair();
  const { kty, e, n } = await exportJWK(publicKey);
  return { kty, alg: 'RS256', use: 'sig', kid, e, n, ...extra };
}

/**
 * Authenticates at the token endpoint with a made-up code: `invalid_grant` means the client
 * authentication succeeded, `invalid_client` that it failed.
 */
export async function tokenProbe(server: { issuer: string }, clientId: string, auth: { secret?: string; assertion?: string }): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code: 'no-such-code', redirect_uri: 'https://x.example.test/cb', code_verifier: 'v'.repeat(43) });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth.secret !== undefined) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(auth.secret)}`).toString('base64')}`;
  if (auth.assertion !== undefined) {
    form.set('client_id', clientId);
    form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    form.set('client_assertion', auth.assertion);
  }
  const res = await fetch(`${server.issuer}/token`, { method: 'POST', headers, body: form });
  return ((await res.json()) as { error: string }).error;
}

/** A private_key_jwt client assertion signed with the shared client key. */
export async function clientAssertion(server: { issuer: string }, clientId: string, kid: string, nowS: number): Promise<string> {
  const { privateKey } = await clientKeyPair();
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(clientId).setSubject(clientId).setAudience(server.issuer)
    .setIssuedAt(nowS).setExpirationTime(nowS + 60).setJti(crypto.randomUUID())
    .sign(privateKey);
}
