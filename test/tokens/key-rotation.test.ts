import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { createLocalJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { Stores } from '../../src/store/ports.js';
import { createSqliteStores } from '../../src/store/sqlite/sqlite-store.js';
import { KeyRotation, RotationRefused, rotationPolicyFrom, type RotationPolicy } from '../../src/tokens/key-rotation.js';
import { SigningKeys } from '../../src/tokens/signing-keys.js';
import { Browser, loginWithTestId, secretOf, startServer, webClient, type TestServer } from '../e2e/harness.js';
import { startCodeFlow } from '../e2e/openid-client-flow.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const POLICY: RotationPolicy = { rotateAfterMs: 90 * DAY, publishAheadMs: 24 * HOUR, keepRetiredMs: 48 * HOUR };
/** The longest-lived token signed in these tests (the JWKS must outlive it). */
const TOKEN_LIFETIME_S = 7200;

const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid!;
const kidsOf = (jwks: string) => (JSON.parse(jwks) as JSONWebKeySet).keys.map((k) => k.kid!);

/** Verifies the signature against a JWKS document as a client would, at the token's own time. */
async function verifiesWith(jwks: string, jwt: string, atMs: number): Promise<boolean> {
  try {
    await jwtVerify(jwt, createLocalJWKSet(JSON.parse(jwks) as JSONWebKeySet), { algorithms: ['RS256'], currentDate: new Date(atMs) });
    return true;
  } catch (e) {
    if (e instanceof joseErrors.JWKSNoMatchingKey) return false;
    throw e;
  }
}

describe('signing-key rotation (ManualClock, real SQLite store)', () => {
  let dir: string;
  let stores: Stores;
  let clock: ManualClock;
  let rotation: KeyRotation;
  let keys: SigningKeys;

  const sign = (sub = 'x') => {
    const iat = Math.floor(clock.now() / 1000);
    return keys.sign({ sub, iss: 'https://op.example.test', iat, exp: iat + TOKEN_LIFETIME_S });
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ap-rot-'));
    clock = new ManualClock(Date.UTC(2030, 0, 1));
    stores = createSqliteStores(join(dir, 'db.sqlite'), clock);
    rotation = new KeyRotation(stores.keys, clock, POLICY);
    await rotation.ensureKeys();
    keys = new SigningKeys(stores.keys, clock);
    await keys.init();
  });
  afterEach(async () => {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the next key in the JWKS before it signs with it', async () => {
    const records = await stores.keys.listSigningKeys();
    const current = records.find((k) => k.state === 'current')!;
    const next = records.find((k) => k.state === 'next')!;
    expect(kidsOf(keys.jwks()).sort()).toEqual([current.kid, next.kid].sort());
    expect(kidOf(await sign())).toBe(current.kid);
    for (const k of JSON.parse(keys.jwks()).keys) expect(k.d).toBeUndefined();
    // not due yet: neither too early by schedule nor by publication
    clock.advance(30 * DAY);
    expect(await rotation.maybeRotate()).toBe(false);
    await keys.reload();
    expect(kidOf(await sign())).toBe(current.kid);
  });

  it('refuses an on-demand rotation while the next key is younger than the publication period, unless forced', async () => {
    // a forced rotation creates a fresh next key …
    const first = await rotation.rotate({ force: true });
    // … which may not sign before it has been published for publishAheadMs
    clock.advance(POLICY.publishAheadMs - 60_000);
    await expect(rotation.rotate()).rejects.toBeInstanceOf(RotationRefused);
    clock.advance(60_000);
    const second = await rotation.rotate();
    expect(second.current).toBe(first.next);
    expect(second.retired).toBe(first.current);
  });

  it('after a scheduled rotation tokens carry the new kid, and earlier tokens verify against the published JWKS until the retired key is unpublished', async () => {
    const records = await stores.keys.listSigningKeys();
    const oldKid = records.find((k) => k.state === 'current')!.kid;
    const nextKid = records.find((k) => k.state === 'next')!.kid;
    // a token signed one minute before the rotation is due
    clock.advance(POLICY.rotateAfterMs - 60_000);
    const tBefore = clock.now();
    const before = await sign('before');
    expect(kidOf(before)).toBe(oldKid);

    clock.advance(60_000);
    const tRot = clock.now();
    expect(await rotation.maybeRotate()).toBe(true);
    await keys.reload();
    const after = await sign('after');
    expect(kidOf(after)).toBe(nextKid);
    const states = Object.fromEntries((await stores.keys.listSigningKeys()).map((k) => [k.kid, k.state]));
    expect(states[oldKid]).toBe('retired');
    expect(states[nextKid]).toBe('current');
    expect(Object.values(states).filter((s) => s === 'next')).toHaveLength(1);

    // both verify against the JWKS published now (the earlier one is still within its lifetime)
    expect(await verifiesWith(keys.jwks(), before, clock.now())).toBe(true);
    expect(await verifiesWith(keys.jwks(), after, clock.now())).toBe(true);

    // until the end of the earlier token's lifetime, and beyond, the retired key stays published
    clock.set(tBefore + TOKEN_LIFETIME_S * 1000 - 1000);
    await rotation.ensureKeys();
    await keys.reload();
    expect(await verifiesWith(keys.jwks(), before, clock.now())).toBe(true);
    clock.set(tRot + POLICY.keepRetiredMs - 60_000);
    await rotation.ensureKeys();
    await keys.reload();
    expect(kidsOf(keys.jwks())).toContain(oldKid);
    expect(await verifiesWith(keys.jwks(), before, tBefore)).toBe(true);

    // the retired key's publication ends: dropped from the JWKS and the store
    clock.set(tRot + POLICY.keepRetiredMs);
    await rotation.ensureKeys();
    await keys.reload();
    expect(kidsOf(keys.jwks())).not.toContain(oldKid);
    expect((await stores.keys.listSigningKeys()).map((k) => k.kid)).not.toContain(oldKid);
    expect(await verifiesWith(keys.jwks(), before, tBefore)).toBe(false);
    expect(await verifiesWith(keys.jwks(), after, tRot)).toBe(true);
    expect(POLICY.keepRetiredMs).toBeGreaterThan(TOKEN_LIFETIME_S * 1000);
  });

  it('a client caching the JWKS for the publication period never meets an unknown kid (400 days, hourly checks)', async () => {
    // one step per hour: the schedule check every instance runs, a JWKS fetch, a signed token
    const snapshots: Set<string>[] = [];
    const tokenKids: string[] = [];
    let rotations = 0;
    for (let step = 0; step <= 400 * 24; step++) {
      if (await rotation.maybeRotate()) rotations++;
      await keys.reload();
      snapshots.push(new Set(kidsOf(keys.jwks())));
      // a real signature once a day, the current kid otherwise (what sign() puts into the header)
      tokenKids.push(step % 24 === 0 ? kidOf(await sign()) : keys.currentKid);
      clock.advance(HOUR);
    }
    expect(rotations).toBe(4);
    expect(new Set(tokenKids).size).toBe(5);
    const cacheSteps = POLICY.publishAheadMs / HOUR;
    const lifetimeSteps = Math.ceil((TOKEN_LIFETIME_S * 1000) / HOUR);
    let checked = 0;
    tokenKids.forEach((kid, t) => {
      // a JWKS fetched up to one cache period before the token was issued (still cached), or
      // fetched while the token is still valid, must know the token's kid
      for (let s = Math.max(0, t - cacheSteps); s <= Math.min(snapshots.length - 1, t + lifetimeSteps); s++) {
        checked++;
        if (!snapshots[s]!.has(kid)) throw new Error(`a token issued at hour ${t} (kid ${kid}) is unknown to the JWKS fetched at hour ${s}`);
      }
    });
    expect(checked).toBeGreaterThan(tokenKids.length * 20);
    // and the JWKS does not grow: current, next, and at most one retired key
    expect(Math.max(...snapshots.map((k) => k.size))).toBe(3);
  }, 60_000);
});

describe('signing-key rotation through a running server', () => {
  const T0 = Date.UTC(2030, 5, 1, 8, 0, 0);
  const clock = new ManualClock(T0);
  let server: TestServer;
  const redirectUri = 'https://rot.example.test/callback';

  beforeAll(async () => {
    server = await startServer({
      clock,
      clients: [webClient('rot')],
      config: { keys: { rotate_after_days: 1, publish_ahead_hours: 1, keep_retired_hours: 2, check_interval_seconds: 3600 } },
    });
  });
  afterAll(async () => server?.close());

  async function login(): Promise<string> {
    const { url, verifier } = await startCodeFlow(server.issuer, 'rot', oidc.ClientSecretBasic(secretOf('rot')), redirectUri);
    const step = await loginWithTestId(new Browser(server.issuer), url.href);
    const code = new URL(step.location!).searchParams.get('code')!;
    const res = await fetch(`${server.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`rot:${secretOf('rot')}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }),
    });
    const body = (await res.json()) as { id_token: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    return body.id_token;
  }

  const fetchJwks = async () => {
    const res = await fetch(`${server.issuer}/jwks.json`);
    expect(res.headers.get('cache-control')).toMatch(/max-age/);
    return res.text();
  };

  async function verifyIdToken(jwks: string, idToken: string, atMs: number): Promise<boolean> {
    try {
      await jwtVerify(idToken, createLocalJWKSet(JSON.parse(jwks) as JSONWebKeySet), {
        algorithms: ['RS256'], issuer: server.issuer, audience: 'rot', currentDate: new Date(atMs),
      });
      return true;
    } catch (e) {
      if (e instanceof joseErrors.JWKSNoMatchingKey) return false;
      throw e;
    }
  }

  it('signs with the next key after the scheduled rotation; old and new id_tokens verify against the JWKS', async () => {
    const jwksAtStart = await fetchJwks();
    expect(kidsOf(jwksAtStart)).toHaveLength(2);
    const tOld = clock.now();
    const oldToken = await login();
    const oldKid = kidOf(oldToken);
    const nextKid = kidsOf(jwksAtStart).find((k) => k !== oldKid)!;
    expect(await verifyIdToken(jwksAtStart, oldToken, tOld)).toBe(true);

    // not due before rotate_after_days
    clock.set(T0 + 23 * HOUR);
    expect(await server.services.rotation.maybeRotate()).toBe(false);
    // a relying party refreshes its JWKS cache shortly before the rotation
    clock.set(T0 + DAY - 30 * 60_000);
    const cachedJwks = await fetchJwks();

    clock.set(T0 + DAY + HOUR);
    expect(await server.services.rotation.maybeRotate()).toBe(true);
    await server.services.keys.reload();
    const tNew = clock.now();
    const newToken = await login();
    expect(kidOf(newToken)).toBe(nextKid);

    const jwksAfter = await fetchJwks();
    expect(kidsOf(jwksAfter)).toEqual(expect.arrayContaining([oldKid, nextKid]));
    expect(kidsOf(jwksAfter)).toHaveLength(3);
    expect(await verifyIdToken(jwksAfter, oldToken, tOld)).toBe(true);
    expect(await verifyIdToken(jwksAfter, newToken, tNew)).toBe(true);
    // the relying party with the cached JWKS knows the new kid already
    expect(await verifyIdToken(cachedJwks, newToken, tNew)).toBe(true);

    // after keep_retired_hours the old key is no longer published
    clock.set(tNew + 2 * HOUR);
    await server.services.rotation.maybeRotate();
    await server.services.keys.reload();
    const jwksLater = await fetchJwks();
    expect(kidsOf(jwksLater)).not.toContain(oldKid);
    expect(await verifyIdToken(jwksLater, oldToken, tOld)).toBe(false);
    expect(await verifyIdToken(jwksLater, newToken, tNew)).toBe(true);
    // and logins go on with the new key
    expect(kidOf(await login())).toBe(nextKid);
  });
});

describe('rotationPolicyFrom', () => {
  it('turns the keys section (days and hours) into milliseconds', () => {
    expect(rotationPolicyFrom({ rotate_after_days: 90, publish_ahead_hours: 24, keep_retired_hours: 48 })).toEqual({
      rotateAfterMs: 90 * 24 * 3600_000, publishAheadMs: 24 * 3600_000, keepRetiredMs: 48 * 3600_000,
    });
    expect(rotationPolicyFrom({ rotate_after_days: 1, publish_ahead_hours: 0, keep_retired_hours: 1 })).toEqual({
      rotateAfterMs: 86_400_000, publishAheadMs: 0, keepRetiredMs: 3_600_000,
    });
  });
});
