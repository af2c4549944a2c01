import { calculateJwkThumbprint } from 'jose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import type { ActiveAccessToken } from '../../../src/oauth/bearer-token.js';
import { accessTokenHash } from '../../../src/oauth/dpop/dpop-proof.js';
import { authenticateResourceRequest } from '../../../src/oauth/dpop/resource-request.js';
import { accessTokenType, boundJkt } from '../../../src/oauth/dpop/token-binding.js';
import { MemoryEphemeralStore } from '../../../src/store/memory/memory-ephemeral-store.js';
import type { Grant } from '../../../src/store/ports.js';
import { dpopKey, makeProof, type DpopKey } from './dpop-test-keys.js';

const URL_ = 'https://ap.example.test/userinfo';
const NOW_MS = 1_750_000_000_000;
const NOW_S = NOW_MS / 1000;
let key: DpopKey;
let other: DpopKey;
let jkt: string;
let clock: ManualClock;
let replay: MemoryEphemeralStore;

const grant = { id: 'g1' } as Grant;
/** Tokens the fake verifier knows: "bound" carries cnf.jkt of `key`, "plain" none. */
const tokens = (): Record<string, ActiveAccessToken> => ({
  bound: { claims: { scope: 'openid profile', cnf: { jkt } }, grant },
  plain: { claims: { scope: 'openid profile' }, grant },
});

beforeAll(async () => {
  [key, other] = await Promise.all([dpopKey('ES256'), dpopKey('RS256')]);
  jkt = await calculateJwkThumbprint(key.publicJwk, 'sha256');
});
beforeEach(() => {
  clock = new ManualClock(NOW_MS);
  replay = new MemoryEphemeralStore(clock);
});

function run(authorization: string | undefined, rawHeaders: string[] = [], method = 'GET') {
  return authenticateResourceRequest({ authorization, rawHeaders, method, url: URL_ }, { nowMs: clock.now(), replay, verifyToken: async (t) => tokens()[t] });
}
const proofFor = (token: string, k = key, over: Parameters<typeof makeProof>[1] extends infer O ? Partial<O> : never = {}) =>
  makeProof(k, { htm: 'GET', htu: URL_, iat: NOW_S, ath: accessTokenHash(token), ...over });

describe('authenticateResourceRequest (RFC 6750, RFC 9449 §7)', () => {
  it('no Authorization: 401 without an error code (both challenges are offered by the route)', async () => {
    expect(await run(undefined)).toEqual({ ok: false, status: 401, scheme: 'Bearer' });
  });

  it('an unbound token as Bearer is accepted; an unknown one is invalid_token', async () => {
    expect(await run('Bearer plain')).toMatchObject({ ok: true, scheme: 'Bearer' });
    expect(await run('Bearer nope')).toMatchObject({ ok: false, status: 401, scheme: 'Bearer', error: 'invalid_token' });
  });

  it('a DPoP-bound token as Bearer is refused with a DPoP invalid_token challenge (RFC 9449 §7.2)', async () => {
    expect(await run('Bearer bound', ['DPoP', await proofFor('bound')])).toMatchObject({ ok: false, status: 401, scheme: 'DPoP', error: 'invalid_token' });
  });

  it('a bound token with the DPoP scheme and a proof with ath of the key is accepted', async () => {
    expect(await run('DPoP bound', ['DPoP', await proofFor('bound')])).toMatchObject({ ok: true, scheme: 'DPoP' });
    expect(await run('DPoP bound', ['DPoP', await proofFor('bound', key, { htm: 'POST' })], 'POST')).toMatchObject({ ok: true });
  });

  it('DPoP scheme without a proof, with two proofs, without ath, with a wrong ath → invalid_dpop_proof', async () => {
    expect(await run('DPoP bound')).toMatchObject({ status: 401, scheme: 'DPoP', error: 'invalid_dpop_proof' });
    expect(await run('DPoP bound', ['DPoP', await proofFor('bound'), 'DPoP', await proofFor('bound')])).toMatchObject({ error: 'invalid_dpop_proof' });
    expect(await run('DPoP bound', ['DPoP', await makeProof(key, { htm: 'GET', htu: URL_, iat: NOW_S })])).toMatchObject({ error: 'invalid_dpop_proof', description: expect.stringMatching(/ath/) });
    expect(await run('DPoP bound', ['DPoP', await proofFor('plain')])).toMatchObject({ error: 'invalid_dpop_proof', description: expect.stringMatching(/ath/) });
  });

  it('a proof for another method or URL → invalid_dpop_proof', async () => {
    expect(await run('DPoP bound', ['DPoP', await proofFor('bound', key, { htm: 'POST' })], 'GET')).toMatchObject({ error: 'invalid_dpop_proof' });
    expect(await run('DPoP bound', ['DPoP', await proofFor('bound', key, { htu: 'https://ap.example.test/token' })])).toMatchObject({ error: 'invalid_dpop_proof' });
  });

  it('a proof made with another key than the token is bound to → invalid_dpop_proof', async () => {
    expect(await run('DPoP bound', ['DPoP', await proofFor('bound', other)])).toMatchObject({ status: 401, error: 'invalid_dpop_proof', description: expect.stringMatching(/bound/) });
  });

  it('a replayed proof → invalid_dpop_proof', async () => {
    const p = await proofFor('bound');
    expect(await run('DPoP bound', ['DPoP', p])).toMatchObject({ ok: true });
    expect(await run('DPoP bound', ['DPoP', p])).toMatchObject({ error: 'invalid_dpop_proof', description: expect.stringMatching(/used before/) });
  });

  it('an unbound token with the DPoP scheme, or an unknown one → invalid_token', async () => {
    expect(await run('DPoP plain', ['DPoP', await proofFor('plain')])).toMatchObject({ status: 401, scheme: 'DPoP', error: 'invalid_token' });
    expect(await run('DPoP nope', ['DPoP', await proofFor('nope')])).toMatchObject({ status: 401, scheme: 'DPoP', error: 'invalid_token' });
  });

  it('a malformed Authorization → 400 invalid_request with the matching scheme', async () => {
    expect(await run('Bearer a b')).toMatchObject({ status: 400, scheme: 'Bearer', error: 'invalid_request' });
    expect(await run('DPoP')).toMatchObject({ status: 400, scheme: 'DPoP', error: 'invalid_request' });
    expect(await run('Basic abc')).toMatchObject({ status: 400, scheme: 'Bearer', error: 'invalid_request' });
  });
});

describe('token binding helpers', () => {
  it('reads cnf.jkt and names the token type', () => {
    expect(boundJkt({ cnf: { jkt: 'abc' } })).toBe('abc');
    expect(boundJkt({ cnf: 'abc' })).toBeUndefined();
    expect(boundJkt({})).toBeUndefined();
    expect(accessTokenType({ cnf: { jkt: 'abc' } })).toBe('DPoP');
    expect(accessTokenType({})).toBe('Bearer');
  });
});
