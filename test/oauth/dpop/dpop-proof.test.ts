import { createHmac } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { DPOP_ALGS, DpopProofError, accessTokenHash, verifyDpopProof, type DpopCheck } from '../../../src/oauth/dpop/dpop-proof.js';
import { MemoryEphemeralStore } from '../../../src/store/memory/memory-ephemeral-store.js';
import { dpopKey, makeProof, type DpopKey } from './dpop-test-keys.js';

const URL_ = 'https://ap.example.test/token';
const NOW_MS = 1_750_000_000_000;
const NOW_S = NOW_MS / 1000;

let es256: DpopKey;
let rs256: DpopKey;
let ps256: DpopKey;
let other: DpopKey;
let replay: MemoryEphemeralStore;
let clock: ManualClock;

beforeAll(async () => {
  [es256, rs256, ps256, other] = await Promise.all([dpopKey('ES256'), dpopKey('RS256'), dpopKey('PS256'), dpopKey('ES256')]);
});
beforeEach(() => {
  clock = new ManualClock(NOW_MS);
  replay = new MemoryEphemeralStore(clock);
});

const check = (over: Partial<DpopCheck> = {}): DpopCheck => ({ method: 'POST', url: URL_, nowMs: clock.now(), replay, ...over });

async function rejected(proof: string, over: Partial<DpopCheck> = {}): Promise<string> {
  try {
    await verifyDpopProof(proof, check(over));
  } catch (e) {
    expect(e).toBeInstanceOf(DpopProofError);
    return (e as DpopProofError).description;
  }
  throw new Error('the proof was accepted');
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('verifyDpopProof: accepted proofs (RFC 9449 §4.3)', () => {
  for (const alg of ['ES256', 'RS256', 'PS256']) {
    it(`accepts ${alg} and returns the RFC 7638 thumbprint of the key`, async () => {
      const key = alg === 'ES256' ? es256 : alg === 'RS256' ? rs256 : ps256;
      const res = await verifyDpopProof(await makeProof(key, { htu: URL_, iat: NOW_S }), check());
      expect(res.jkt).toBe(await calculateJwkThumbprint(key.publicJwk, 'sha256'));
      expect(res.jwk).toEqual(key.publicJwk);
    });
  }

  it('lists ES256, RS256 and PS256 and no symmetric or none algorithm', () => {
    expect(DPOP_ALGS).toEqual(expect.arrayContaining(['ES256', 'RS256', 'PS256']));
    for (const a of DPOP_ALGS) expect(a).not.toMatch(/^(HS|none)/);
  });

  it('ignores the query and fragment of htu and of the request URL', async () => {
    await verifyDpopProof(await makeProof(es256, { htu: `${URL_}?a=1#frag`, iat: NOW_S }), check());
    await verifyDpopProof(await makeProof(es256, { htu: URL_, iat: NOW_S }), check({ url: `${URL_}?x=y` }));
  });

  it('accepts iat at the edges of the ±60 s window', async () => {
    await verifyDpopProof(await makeProof(es256, { htu: URL_, iat: NOW_S - 60 }), check());
    await verifyDpopProof(await makeProof(es256, { htu: URL_, iat: NOW_S + 60 }), check());
  });

  it('accepts ath equal to base64url(SHA-256(access token))', async () => {
    const ath = accessTokenHash('the-access-token');
    await verifyDpopProof(await makeProof(es256, { htm: 'GET', htu: URL_, iat: NOW_S, ath }), check({ method: 'GET', accessToken: 'the-access-token' }));
  });

  it('computes ath as in RFC 9449 §7.1', () => {
    // The RFC's example access token and its ath.
    expect(accessTokenHash('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).toBe('fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo');
  });
});

describe('verifyDpopProof: refused proofs', () => {
  it('a typ other than dpop+jwt, or none', async () => {
    expect(await rejected(await makeProof(es256, { htu: URL_, iat: NOW_S, header: { typ: 'JWT' } }))).toMatch(/typ/);
    expect(await rejected(await makeProof(es256, { htu: URL_, iat: NOW_S, header: { typ: undefined } }))).toMatch(/typ/);
  });

  it('alg none', async () => {
    const proof = `${b64({ typ: 'dpop+jwt', alg: 'none', jwk: es256.publicJwk })}.${b64({ jti: 'x', htm: 'POST', htu: URL_, iat: NOW_S })}.`;
    expect(await rejected(proof)).toMatch(/alg/);
  });

  it('alg HS256 (a MAC, with the "key" in the header)', async () => {
    const header = b64({ typ: 'dpop+jwt', alg: 'HS256', jwk: { kty: 'oct', k: 'c2VjcmV0' } });
    const payload = b64({ jti: 'x', htm: 'POST', htu: URL_, iat: NOW_S });
    const sig = createHmac('sha256', 'secret').update(`${header}.${payload}`).digest('base64url');
    expect(await rejected(`${header}.${payload}.${sig}`)).toMatch(/alg/);
  });

  it('a private key in the jwk header', async () => {
    expect(await rejected(await makeProof(es256, { htu: URL_, iat: NOW_S, header: { jwk: es256.privateJwk } }))).toMatch(/private/);
    expect(await rejected(await makeProof(rs256, { htu: URL_, iat: NOW_S, header: { jwk: rs256.privateJwk } }))).toMatch(/private/);
  });

  it('no jwk in the header, or a symmetric one', async () => {
    expect(await rejected(await makeProof(es256, { htu: URL_, iat: NOW_S, header: { jwk: undefined } }))).toMatch(/jwk/);
    expect(await rejected(await makeProof(es256, { htu: URL_, iat: NOW_S, header: { jwk: { kty: 'oct' } } }))).toMatch(/jwk/);
  });

  it('a bad signature (signed by another key than the one in the header)', async () => {
    expect(await rejected(await makeProof(es256, { htu: URL_, iat: NOW_S, signWith: other.privateKey }))).toMatch(/signature/);
  });

  it('a tampered payload', async () => {
    const [h, , s] = (await makeProof(es256, { htu: URL_, iat: NOW_S })).split('.');
    expect(await rejected(`${h}.${b64({ jti: 'y', htm: 'POST', htu: URL_, iat: NOW_S })}.${s}`)).toMatch(/signature/);
  });

  it('not a JWS at all, or too large', async () => {
    expect(await rejected('not-a-jwt')).toMatch(/JWS/);
    expect(await rejected('')).toMatch(/empty|large/);
    expect(await rejected('a'.repeat(9000))).toMatch(/large/);
  });

  it('a wrong htm', async () => {
    expect(await rejected(await makeProof(es256, { htm: 'GET', htu: URL_, iat: NOW_S }))).toMatch(/htm/);
    expect(await rejected(await makeProof(es256, { htm: 'post', htu: URL_, iat: NOW_S }))).toMatch(/htm/);
  });

  it('a wrong htu (path, host, scheme, port), or none', async () => {
    for (const htu of ['https://ap.example.test/userinfo', 'https://evil.example.test/token', 'http://ap.example.test/token', 'https://ap.example.test:8443/token', 'not a url']) {
      expect(await rejected(await makeProof(es256, { htu, iat: NOW_S })), htu).toMatch(/htu/);
    }
    expect(await rejected(await makeProof(es256, { htu: URL_, iat: NOW_S, claims: { htu: undefined } }))).toMatch(/htu/);
  });

  it('a stale or future iat (injected clock), or none', async () => {
    expect(await rejected(await makeProof(es256, { htu: URL_, iat: NOW_S - 61 }))).toMatch(/old/);
    expect(await rejected(await makeProof(es256, { htu: URL_, iat: NOW_S + 61 }))).toMatch(/future/);
    expect(await rejected(await makeProof(es256, { htu: URL_, iat: NOW_S, claims: { iat: undefined } }))).toMatch(/iat/);
    const proof = await makeProof(es256, { htu: URL_, iat: NOW_S });
    clock.advance(61_000);
    expect(await rejected(proof)).toMatch(/old/);
  });

  it('a missing jti', async () => {
    expect(await rejected(await makeProof(es256, { htu: URL_, iat: NOW_S, claims: { jti: undefined } }))).toMatch(/jti/);
  });

  it('a replayed jti, also with another htm/htu; another key may use the same jti', async () => {
    const proof = await makeProof(es256, { htu: URL_, iat: NOW_S, claims: { jti: 'same' } });
    await verifyDpopProof(proof, check());
    expect(await rejected(proof)).toMatch(/used before/);
    clock.advance(59_000); // still inside the window: still remembered
    expect(await rejected(proof)).toMatch(/used before/);
    await verifyDpopProof(await makeProof(other, { htu: URL_, iat: NOW_S, claims: { jti: 'same' } }), check());
  });

  it('with an access token: a missing ath', async () => {
    expect(await rejected(await makeProof(es256, { htm: 'GET', htu: URL_, iat: NOW_S }), { method: 'GET', accessToken: 'tok' })).toMatch(/ath/);
  });

  it('with an access token: a wrong ath', async () => {
    const ath = accessTokenHash('another-token');
    expect(await rejected(await makeProof(es256, { htm: 'GET', htu: URL_, iat: NOW_S, ath }), { method: 'GET', accessToken: 'tok' })).toMatch(/ath/);
  });

  it('a refused proof does not use up its jti (only a fully valid one is remembered)', async () => {
    const proof = await makeProof(es256, { htm: 'GET', htu: URL_, iat: NOW_S, claims: { jti: 'kept' } });
    await rejected(proof); // wrong htm
    await verifyDpopProof(proof, check({ method: 'GET' }));
  });
});
