import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startServer, webClient, type TestServer } from './harness.js';
import { CheckedBrowser, http, obtainCode, redeem } from './checks.js';

/** The signing key survives a restart on the same data directory (spec §4). */
describe('signing keys across a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ap-keys-'));
  const clients = [webClient('keys')];
  let running: TestServer | undefined;

  afterAll(async () => {
    await running?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * The old instance closed its keep-alive connections on shutdown, but this process's fetch pool
   * may still hold one for the same origin (same port). Like any HTTP client, retry an idempotent
   * GET once per stale socket, so the assertions below run on fresh connections.
   */
  async function dropStaleConnections(issuer: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`${issuer}/health/live`);
        await res.arrayBuffer();
        return;
      } catch (e) {
        if (attempt >= 5) throw e;
      }
    }
  }

  async function jwks(issuer: string): Promise<JSONWebKeySet> {
    const doc = (await http(`${issuer}/.well-known/openid-configuration`)).json;
    const res = await http(doc.jwks_uri);
    expect(res.status).toBe(200);
    return res.json as JSONWebKeySet;
  }

  it('generates a key on first start, stores it in the data directory and keeps it after a restart', async () => {
    const port = await freePort();
    expect(readdirSync(dataDir)).toEqual([]);

    // first start: a key is generated
    running = await startServer({ dataDir, port, keepData: true, clients });
    const issuer = running.issuer;
    const before = await jwks(issuer);
    expect(before.keys.length).toBeGreaterThanOrEqual(1); // the signing key, plus a published next key if rotation is on
    for (const k of before.keys) {
      expect(k).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
      expect(typeof k.kid).toBe('string');
      expect(Buffer.from(k.n as string, 'base64url').length).toBeGreaterThanOrEqual(256); // ≥ 2048 bits
      for (const priv of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect((k as Record<string, unknown>)[priv]).toBeUndefined();
    }

    // tokens issued before the restart
    const c = await obtainCode(new CheckedBrowser(issuer), issuer, 'keys');
    const tokens = await redeem(issuer, 'keys', c);
    expect(tokens.status).toBe(200);
    const idToken = tokens.json.id_token as string;
    const accessToken = tokens.json.access_token as string;
    const refreshToken = tokens.json.refresh_token as string;
    const signingKid = decodeProtectedHeader(idToken).kid;
    const key = before.keys.find((k) => k.kid === signingKid)!;
    expect(key, 'the id_token is signed by a published key').toBeTruthy();
    const { payload: before1 } = await jwtVerify(idToken, createLocalJWKSet(before), { issuer, audience: 'keys' });

    await running.close();
    running = undefined;

    // the key lives in the data directory
    expect(existsSync(join(dataDir, 'ansattporten.sqlite'))).toBe(true);
    const db = new Database(join(dataDir, 'ansattporten.sqlite'), { readonly: true });
    try {
      const rows = db.prepare('SELECT kid, public_jwk FROM signing_keys').all() as { kid: string; public_jwk: string }[];
      expect(rows.map((r) => r.kid).sort()).toEqual(before.keys.map((k) => k.kid).sort());
      expect(JSON.parse(rows.find((r) => r.kid === key.kid)!.public_jwk).n).toBe(key.n);
    } finally {
      db.close();
    }

    // second start on the same data directory: the same key, not a new one
    running = await startServer({ dataDir, port, keepData: true, clients });
    expect(running.issuer).toBe(issuer);
    await dropStaleConnections(issuer);
    const after = await jwks(issuer);
    const byKid = (set: JSONWebKeySet) => [...set.keys].sort((x, y) => String(x.kid).localeCompare(String(y.kid)));
    expect(byKid(after)).toEqual(byKid(before));
    const same = after.keys.find((k) => k.kid === key.kid)!;
    expect(same.n).toBe(key.n);
    expect(same.e).toBe(key.e);

    // the id_token from before the restart verifies against the new JWKS
    const { payload } = await jwtVerify(idToken, createLocalJWKSet(after), { issuer, audience: 'keys' });
    expect(payload.sub).toBe(before1.sub);

    // grants survive too: the old access token and refresh token still work
    const ui = await http(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(ui.status).toBe(200);
    expect(ui.json.sub).toBe(before1.sub);
    const refreshed = await http(`${issuer}/token`, {
      form: { grant_type: 'refresh_token', refresh_token: refreshToken },
      headers: { authorization: `Basic ${Buffer.from(`keys:${(clients[0] as { client_secret: string }).client_secret}`).toString('base64')}` },
    });
    expect(refreshed.status).toBe(200);

    // the pairwise subject is stable across the restart (its salt is stored too)
    const c2 = await obtainCode(new CheckedBrowser(issuer), issuer, 'keys');
    const t2 = await redeem(issuer, 'keys', c2);
    const { payload: p2 } = await jwtVerify(t2.json.id_token, createLocalJWKSet(after), { issuer, audience: 'keys' });
    expect(p2.sub).toBe(before1.sub);
    expect(decodeProtectedHeader(t2.json.id_token).kid).toBe(key.kid);
  });

  it('another data directory gets its own key, and the first key does not verify its tokens', async () => {
    const fresh = await startServer({ clients });
    try {
      const theirs = await jwks(fresh.issuer);
      const ours = (await (async () => {
        const db = new Database(join(dataDir, 'ansattporten.sqlite'), { readonly: true });
        try {
          return (db.prepare('SELECT public_jwk FROM signing_keys').all() as { public_jwk: string }[]).map((r) => JSON.parse(r.public_jwk));
        } finally {
          db.close();
        }
      })());
      const ourN = new Set(ours.map((k) => k.n));
      for (const k of theirs.keys) {
        expect(ourN.has(k.n)).toBe(false);
        expect(ours.some((o) => o.kid === k.kid)).toBe(false);
      }
      const c = await obtainCode(new CheckedBrowser(fresh.issuer), fresh.issuer, 'keys');
      const t = await redeem(fresh.issuer, 'keys', c);
      await expect(jwtVerify(t.json.id_token, createLocalJWKSet({ keys: ours }))).rejects.toThrow();
    } finally {
      await fresh.close();
    }
  });
});
