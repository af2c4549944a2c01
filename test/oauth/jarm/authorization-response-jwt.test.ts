import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import {
  AUTHORIZATION_SIGNING_ALGS, RESPONSE_JWT_LIFETIME_SECONDS, RESPONSE_MODES_SUPPORTED, isJwtResponseMode, parseResponseMode,
  responseJwtClaims, signResponseJwt,
} from '../../../src/oauth/jarm/authorization-response-jwt.js';
import type { Stores } from '../../../src/store/ports.js';
import { createSqliteStores } from '../../../src/store/sqlite/sqlite-store.js';
import { KeyRotation } from '../../../src/tokens/key-rotation.js';
import { SigningKeys } from '../../../src/tokens/signing-keys.js';

const ISS = 'https://op.example.test';
const NOW = Date.UTC(2030, 0, 1) / 1000;

describe('parseResponseMode (JARM §2.3)', () => {
  it('reads the plain and JWT modes; jwt means query.jwt for the code flow (JARM §2.3.4)', () => {
    expect(parseResponseMode('query')).toBe('query');
    expect(parseResponseMode('form_post')).toBe('form_post');
    expect(parseResponseMode('query.jwt')).toBe('query.jwt');
    expect(parseResponseMode('form_post.jwt')).toBe('form_post.jwt');
    expect(parseResponseMode('jwt')).toBe('query.jwt');
  });

  it('refuses fragment modes (no implicit/hybrid flows) and other spellings', () => {
    for (const v of ['fragment', 'fragment.jwt', 'JWT', 'Query.jwt', 'query.jwt ', 'jwt.query', '', 'web_message']) expect(parseResponseMode(v)).toBeUndefined();
  });

  it('tells JWT modes apart', () => {
    expect(isJwtResponseMode('query.jwt')).toBe(true);
    expect(isJwtResponseMode('form_post.jwt')).toBe(true);
    expect(isJwtResponseMode('query')).toBe(false);
    expect(isJwtResponseMode('form_post')).toBe(false);
  });

  it('advertises every accepted value and RS256', () => {
    for (const v of RESPONSE_MODES_SUPPORTED) expect(parseResponseMode(v)).toBeDefined();
    expect([...RESPONSE_MODES_SUPPORTED]).toEqual(['query', 'form_post', 'query.jwt', 'form_post.jwt', 'jwt']);
    expect([...AUTHORIZATION_SIGNING_ALGS]).toEqual(['RS256']);
  });
});

describe('responseJwtClaims (JARM §2.1)', () => {
  it('holds iss, aud = client_id, exp within 10 minutes, code and state', () => {
    const c = responseJwtClaims({ issuer: ISS, clientId: 'rp', params: { code: 'abc' }, state: 'st', nowSeconds: NOW });
    expect(c).toEqual({ iss: ISS, aud: 'rp', iat: NOW, exp: NOW + RESPONSE_JWT_LIFETIME_SECONDS, code: 'abc', state: 'st' });
    expect(RESPONSE_JWT_LIFETIME_SECONDS).toBeGreaterThan(0);
    expect(RESPONSE_JWT_LIFETIME_SECONDS).toBeLessThanOrEqual(600);
  });

  it('holds error, error_description and state for an error response', () => {
    const c = responseJwtClaims({ issuer: ISS, clientId: 'rp', params: { error: 'access_denied', error_description: 'the user cancelled' }, state: 'st', nowSeconds: NOW });
    expect(c).toMatchObject({ iss: ISS, aud: 'rp', error: 'access_denied', error_description: 'the user cancelled', state: 'st' });
    expect(c.code).toBeUndefined();
  });

  it('leaves state out when the request had none', () => {
    expect('state' in responseJwtClaims({ issuer: ISS, clientId: 'rp', params: { code: 'abc' }, nowSeconds: NOW })).toBe(false);
  });

  it('never lets response parameters override iss, aud or exp', () => {
    const c = responseJwtClaims({ issuer: ISS, clientId: 'rp', params: { code: 'abc', iss: 'https://evil.example', aud: 'other', exp: '9999999999' }, nowSeconds: NOW });
    expect(c.iss).toBe(ISS);
    expect(c.aud).toBe('rp');
    expect(c.exp).toBe(NOW + RESPONSE_JWT_LIFETIME_SECONDS);
  });
});

describe('signResponseJwt', () => {
  let dir: string;
  let stores: Stores;
  let keys: SigningKeys;
  let clock: ManualClock;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ap-jarm-'));
    clock = new ManualClock(NOW * 1000);
    stores = createSqliteStores(join(dir, 'db.sqlite'), clock);
    await new KeyRotation(stores.keys, clock).ensureKeys();
    keys = new SigningKeys(stores.keys, clock);
    await keys.init();
  });
  afterAll(async () => {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs with RS256 and the current kid; the JWKS verifies it', async () => {
    const jwt = await signResponseJwt(keys, { issuer: ISS, clientId: 'rp', params: { code: 'abc' }, state: 'st', nowSeconds: NOW });
    const header = decodeProtectedHeader(jwt);
    expect(header.alg).toBe('RS256');
    expect(header.kid).toBe(keys.currentKid);
    const jwks = createLocalJWKSet(JSON.parse(keys.jwks()) as JSONWebKeySet);
    const { payload } = await jwtVerify(jwt, jwks, { issuer: ISS, audience: 'rp', algorithms: ['RS256'], currentDate: new Date(NOW * 1000) });
    expect(payload).toMatchObject({ code: 'abc', state: 'st' });
  });

  it('is refused after it expires and by another audience', async () => {
    const jwt = await signResponseJwt(keys, { issuer: ISS, clientId: 'rp', params: { code: 'abc' }, nowSeconds: NOW });
    const jwks = createLocalJWKSet(JSON.parse(keys.jwks()) as JSONWebKeySet);
    await expect(jwtVerify(jwt, jwks, { currentDate: new Date((NOW + RESPONSE_JWT_LIFETIME_SECONDS + 1) * 1000) })).rejects.toThrow(/exp/);
    await expect(jwtVerify(jwt, jwks, { audience: 'other', currentDate: new Date(NOW * 1000) })).rejects.toThrow(/aud/);
  });
});
