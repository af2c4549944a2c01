import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { Client } from '../../clients/client-types.js';
import { randomId } from '../../core/random.js';
import type { SigningKeys } from '../../tokens/signing-keys.js';
import { pairwiseSubject } from '../../tokens/pairwise-subject.js';
import { checkLiteralHost, policyLookup } from '../../net/safe-fetch.js';

export const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const CONNECT_TIMEOUT_MS = 2000;
const READ_TIMEOUT_MS = 5000;

export interface BackChannelOutcome {
  clientId: string;
  uri: string;
  ok: boolean;
  status?: number;
  error?: string;
  jti: string;
  at: number;
}

/** Plain http is allowed only to loopback addresses, and only outside production mode. */
function backChannelTargetAllowed(uri: string, production: boolean): boolean {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  if (u.protocol === 'https:') return true;
  if (production || u.protocol !== 'http:') return false;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || (isIP(host) === 4 && host.startsWith('127.')) || host === '::1';
}

/** The logout_token of OIDC Back-Channel Logout 1.0 §2.4 (typ logout+jwt). */
async function logoutToken(keys: SigningKeys, a: { issuer: string; client: Client; sid: string; sub?: string; nowS: number }): Promise<{ token: string; jti: string }> {
  const jti = randomId(16);
  const claims: Record<string, unknown> = {
    iss: a.issuer, aud: a.client.client_id, iat: a.nowS, exp: a.nowS + 300, jti,
    events: { [BACKCHANNEL_EVENT]: {} }, sid: a.sid,
  };
  if (a.sub) claims.sub = a.sub;
  return { token: await keys.sign(claims, 'logout+jwt'), jti };
}

/**
 * One delivery attempt: POST logout_token with short connect and read timeouts; any 2xx is success.
 * In production the URI (chosen by the client) may only reach public addresses: an IP literal is
 * checked here and a name through the policy lookup, which the socket then connects with
 * (src/net/safe-fetch.ts).
 */
function postLogoutToken(uri: string, token: string, opts: { production?: boolean } = {}): Promise<{ ok: boolean; status?: number; error?: string }> {
  return new Promise((resolve) => {
    const u = new URL(uri);
    if (opts.production) {
      try {
        checkLiteralHost(u);
      } catch (e) {
        resolve({ ok: false, error: (e as Error).message });
        return;
      }
    }
    const body = new URLSearchParams({ logout_token: token }).toString();
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' },
      timeout: READ_TIMEOUT_MS,
      ...(opts.production ? { lookup: policyLookup } : {}),
    });
    let done = false;
    const finish = (r: { ok: boolean; status?: number; error?: string }) => {
      if (done) return;
      done = true;
      clearTimeout(connectTimer);
      resolve(r);
    };
    const connectTimer = setTimeout(() => { req.destroy(new Error('connect timeout')); }, CONNECT_TIMEOUT_MS);
    req.on('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer);
      socket.once('connect', () => clearTimeout(connectTimer));
    });
    req.on('timeout', () => req.destroy(new Error('read timeout')));
    req.on('error', (e) => finish({ ok: false, error: e.message }));
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => finish({ ok: (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300, status: res.statusCode }));
      res.on('error', (e) => finish({ ok: false, status: res.statusCode, error: e.message }));
    });
    req.end(body);
  });
}

export interface BackChannelDeps {
  keys: SigningKeys;
  issuer: string;
  production: boolean;
  pairwiseSalt: string;
  nowS: () => number;
  record(outcome: BackChannelOutcome): void;
}

/**
 * Notifies every client of the session that registered a backchannel_logout_uri, in parallel and
 * without making the user wait: the returned promise is for tests and graceful shutdown.
 */
export function notifyBackChannel(deps: BackChannelDeps, sid: string, clients: { client: Client; subjectRef: string }[]): Promise<BackChannelOutcome[]> {
  const targets = clients.filter((c) => c.client.backchannel_logout_uri);
  return Promise.all(targets.map(async ({ client, subjectRef }) => {
    const uri = client.backchannel_logout_uri!;
    const sub = pairwiseSubject(deps.pairwiseSalt, client.client_id, subjectRef);
    const { token, jti } = await logoutToken(deps.keys, { issuer: deps.issuer, client, sid, sub, nowS: deps.nowS() });
    const result = backChannelTargetAllowed(uri, deps.production)
      ? await postLogoutToken(uri, token, { production: deps.production })
      : { ok: false, error: 'target not allowed (https required, or http to loopback outside production)' };
    const outcome: BackChannelOutcome = { clientId: client.client_id, uri, jti, at: deps.nowS(), ...result };
    deps.record(outcome);
    return outcome;
  }));
}
