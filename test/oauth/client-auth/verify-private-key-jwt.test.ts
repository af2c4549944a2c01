import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { CLIENT_DEFAULTS, type Client, type ClientJwk, type StoredClient } from '../../../src/clients/client-types.js';
import { ManualClock } from '../../../src/core/clock.js';
import { OAuthError } from '../../../src/core/oauth-error.js';
import { ASSERTION_ALGS, checkPrivateKeyJwt } from '../../../src/oauth/client-auth/verify-private-key-jwt.js';
import type { EphemeralStore, Stores } from '../../../src/store/ports.js';
import { createSqliteStores } from '../../../src/store/sqlite/sqlite-store.js';

const ISSUER = 'https://test.ansattporten.example';
const NOW_S = 1_750_000_000;

type Pair = { privateKey: KeyObject; publicKey: KeyObject };
let key1: Pair;
let key2: Pair;
let other: Pair;
let jwk1: ClientJwk;
let jwk2: ClientJwk;
let stores: Stores;
let replay: EphemeralStore;
let clock: ManualClock;
let jtiCounter = 0;

function makeClient(over: Partial<Client> = {}): Client {
  return {
    ...CLIENT_DEFAULTS, token_endpoint_auth_method: 'private_key_jwt', grant_types: ['authorization_code'], scopes: ['openid', 'profile'],
    client_id: 'client-a', client_name: 'Client A', description: 'test', client_orgno: '310900001',
    redirect_uris: ['https://a.example.test/callback'], post_logout_redirect_uris: [],
    active: true, created: '2025-01-01T00:00:00.000Z', last_updated: '2025-01-01T00:00:00.000Z',
    jwks: { keys: [jwk1, jwk2] }, ...over,
  };
}
const stored = (over: Partial<Client> = {}): StoredClient => ({ client: makeClient(over) });

function claims(over: Record<string, unknown> = {}): JWTPayload {
  const c: Record<string, unknown> = {
    iss: 'client-a', sub: 'client-a', aud: ISSUER, iat: NOW_S, exp: NOW_S + 60, jti: `jti-${++jtiCounter}`, ...over,
  };
  for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k];
  return c as JWTPayload;
}

async function sign(payload: JWTPayload, opts: { kid?: string | null; alg?: string; key?: KeyObject | CryptoKey | Uint8Array } = {}): Promise<string> {
  const header: { alg: string; kid?: string } = { alg: opts.alg ?? 'RS256' };
  if (opts.kid !== null) header.kid = opts.kid ?? 'k1';
  return new SignJWT(payload).setProtectedHeader(header).sign(opts.key ?? key1.privateKey);
}

const verify = (assertion: string, s: StoredClient = stored(), nowS = NOW_S) =>
  checkPrivateKeyJwt(s, assertion, { issuer: ISSUER, nowS, replay });

async function refused(assertion: string, s: StoredClient = stored(), nowS = NOW_S): Promise<OAuthError> {
  try {
    await verify(assertion, s, nowS);
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    const err = e as OAuthError;
    expect(err.error).toBe('invalid_client');
    expect(err.status).toBe(401);
    expect(err.delivery).toBe('json');
    return err;
  }
  throw new Error('expected the assertion to be refused');
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

beforeAll(async () => {
  // node KeyObjects can sign with every RSA algorithm (RS256/384/512, PS256)
  const rsa = (): Pair => generateKeyPairSync('rsa', { modulusLength: 2048 });
  key1 = rsa();
  key2 = rsa();
  other = rsa();
  jwk1 = { ...(await exportJWK(key1.publicKey)), kty: 'RSA', kid: 'k1', alg: 'RS256', use: 'sig' };
  jwk2 = { ...(await exportJWK(key2.publicKey)), kty: 'RSA', kid: 'k2', alg: 'RS256', use: 'sig' };
});

beforeEach(() => {
  clock = new ManualClock(NOW_S * 1000);
  stores = createSqliteStores(':memory:', clock);
  replay = stores.ephemeral;
});

afterAll(async () => {
  await stores?.close();
});

describe('checkPrivateKeyJwt: valid assertions', () => {
  it('accepts a correct assertion signed with a registered key', async () => {
    await expect(verify(await sign(claims()))).resolves.toBeUndefined();
  });

  it('accepts the second registered key by its kid', async () => {
    await expect(verify(await sign(claims(), { kid: 'k2', key: key2.privateKey }))).resolves.toBeUndefined();
  });

  it('accepts RS384 and RS512 with a key registered without alg', async () => {
    const s = stored({ jwks: { keys: [{ ...jwk1, alg: undefined }] } });
    for (const alg of ['RS384', 'RS512']) {
      await expect(verify(await sign(claims(), { alg }), s)).resolves.toBeUndefined();
    }
    expect(ASSERTION_ALGS).toEqual(['RS256', 'RS384', 'RS512']);
  });

  it('accepts RS512 with a key registered for RS512', async () => {
    const s = stored({ jwks: { keys: [{ ...jwk1, alg: 'RS512' }] } });
    await expect(verify(await sign(claims(), { alg: 'RS512' }), s)).resolves.toBeUndefined();
  });

  it('accepts exactly 120 seconds between iat and exp', async () => {
    await expect(verify(await sign(claims({ exp: NOW_S + 120 })))).resolves.toBeUndefined();
  });

  it('accepts a key whose exp lies in the future', async () => {
    const s = stored({ jwks: { keys: [{ ...jwk1, exp: NOW_S + 1 }] } });
    await expect(verify(await sign(claims()), s)).resolves.toBeUndefined();
  });
});

describe('checkPrivateKeyJwt: keys', () => {
  it('refuses a kid naming another registered key (signature does not verify)', async () => {
    await refused(await sign(claims(), { kid: 'k2', key: key1.privateKey }));
  });

  it('refuses an unregistered kid', async () => {
    expect((await refused(await sign(claims(), { kid: 'k9' }))).description).toMatch(/kid/);
  });

  it('refuses an assertion without kid', async () => {
    expect((await refused(await sign(claims(), { kid: null }))).description).toMatch(/kid/);
  });

  it('refuses when the client has no registered keys', async () => {
    await refused(await sign(claims()), stored({ jwks: undefined }));
    await refused(await sign(claims()), stored({ jwks: { keys: [] } }));
  });

  it("does not accept another client's key", async () => {
    const s = stored({ jwks: { keys: [jwk2] } });
    await refused(await sign(claims()), s);
  });

  it('refuses a registered key that has expired (exp on the JWK)', async () => {
    for (const exp of [NOW_S, NOW_S - 1, NOW_S - 86_400]) {
      const s = stored({ jwks: { keys: [{ ...jwk1, exp }] } });
      expect((await refused(await sign(claims()), s)).description).toMatch(/expired/);
    }
  });

  it('refuses a signature by an unregistered key presented with a registered kid', async () => {
    await refused(await sign(claims(), { kid: 'k1', key: other.privateKey }));
  });

  it('refuses a tampered payload', async () => {
    const [h, , s] = (await sign(claims())).split('.');
    await refused(`${h}.${b64(claims({ sub: 'client-a', iss: 'client-a' }))}.${s}`);
  });
});

describe('checkPrivateKeyJwt: algorithms', () => {
  it('refuses alg none', async () => {
    const unsigned = `${b64({ alg: 'none', kid: 'k1' })}.${b64(claims())}.`;
    expect((await refused(unsigned)).description).toMatch(/alg/);
  });

  it('refuses HS256 (also with the public key material as the HMAC secret)', async () => {
    const hs = await sign(claims(), { alg: 'HS256', key: new TextEncoder().encode('0123456789abcdef0123456789abcdef') });
    expect((await refused(hs)).description).toMatch(/alg/);
    const confused = await sign(claims(), { alg: 'HS256', key: new TextEncoder().encode(JSON.stringify(jwk1)) });
    expect((await refused(confused)).description).toMatch(/alg/);
  });

  it('refuses other asymmetric algorithms (PS256, ES256)', async () => {
    const ps = await sign(claims(), { alg: 'PS256' });
    await refused(ps);
    const ec = await generateKeyPair('ES256');
    await refused(await sign(claims(), { alg: 'ES256', key: ec.privateKey }));
  });

  it('refuses an algorithm other than the one the key is registered for (RFC 8725 §3.1)', async () => {
    for (const alg of ['RS384', 'RS512']) {
      expect((await refused(await sign(claims(), { alg }))).description).toMatch(/alg/);
    }
    const s = stored({ jwks: { keys: [{ ...jwk1, alg: 'RS512' }] } });
    await refused(await sign(claims()), s);
  });

  it('refuses a JWT that names RS384 in the header but is signed RS256', async () => {
    const [, p, s] = (await sign(claims())).split('.');
    await refused(`${b64({ alg: 'RS384', kid: 'k1' })}.${p}.${s}`);
  });

  it('refuses things that are not JWTs', async () => {
    for (const a of ['abc', 'a.b', 'a.b.c', '...', `${b64({ kid: 'k1' })}.${b64(claims())}.sig`]) await refused(a);
  });

  it('refuses an overly large assertion', async () => {
    expect((await refused(await sign(claims({ pad: 'x'.repeat(17_000) })))).description).toMatch(/large/);
  });
});

describe('checkPrivateKeyJwt: claims', () => {
  it('refuses iss other than the client_id', async () => {
    for (const iss of ['client-b', 'CLIENT-A', undefined]) {
      expect((await refused(await sign(claims({ iss })))).description).toMatch(/iss/);
    }
  });

  it('refuses sub other than the client_id', async () => {
    for (const sub of ['client-b', '310900001', undefined]) {
      expect((await refused(await sign(claims({ sub })))).description).toMatch(/sub/);
    }
  });

  it('refuses aud as an array, even one holding only the issuer', async () => {
    expect((await refused(await sign(claims({ aud: [ISSUER] })))).description).toMatch(/aud/);
    await refused(await sign(claims({ aud: [ISSUER, 'https://other'] })));
  });

  it('refuses the token endpoint URL (and other near values) as aud', async () => {
    for (const aud of [`${ISSUER}/token`, `${ISSUER}/`, 'https://idporten.no', undefined]) {
      expect((await refused(await sign(claims({ aud })))).description).toMatch(/aud/);
    }
  });

  it('refuses exp − iat above 120 seconds', async () => {
    expect((await refused(await sign(claims({ exp: NOW_S + 121 })))).description).toMatch(/120/);
    await refused(await sign(claims({ iat: NOW_S - 100, exp: NOW_S + 100 })));
  });

  it('refuses an assertion without exp or without iat', async () => {
    await refused(await sign(claims({ exp: undefined })));
    await refused(await sign(claims({ iat: undefined })));
  });

  it('refuses an expired assertion (beyond the 10 s skew)', async () => {
    await refused(await sign(claims({ iat: NOW_S - 100, exp: NOW_S - 11 })));
  });

  it('refuses an assertion issued in the future (beyond the skew)', async () => {
    await refused(await sign(claims({ iat: NOW_S + 60, exp: NOW_S + 120 })));
  });

  it('refuses an assertion not yet valid (nbf)', async () => {
    await refused(await sign(claims({ nbf: NOW_S + 60 })));
  });

  it('refuses a missing, empty, non-string or overly long jti', async () => {
    for (const jti of [undefined, '', 42, 'j'.repeat(257)]) {
      expect((await refused(await sign(claims({ jti })))).description).toMatch(/jti/);
    }
  });
});

describe('checkPrivateKeyJwt: replay', () => {
  it('accepts an assertion once and refuses it the second time', async () => {
    const a = await sign(claims());
    await expect(verify(a)).resolves.toBeUndefined();
    expect((await refused(a)).description).toMatch(/jti/);
    expect((await refused(a)).description).toMatch(/jti/);
  });

  it('refuses a new assertion reusing a jti', async () => {
    await verify(await sign(claims({ jti: 'same' })));
    await refused(await sign(claims({ jti: 'same', exp: NOW_S + 30 })));
  });

  it("keeps replay caches per client: another client's jti does not block", async () => {
    await verify(await sign(claims({ jti: 'shared' })));
    const b = stored({ client_id: 'client-b' });
    await expect(verify(await sign(claims({ jti: 'shared', iss: 'client-b', sub: 'client-b' })), b)).resolves.toBeUndefined();
  });

  it('does not spend the jti of an assertion that was refused', async () => {
    await refused(await sign(claims({ jti: 'j-x', aud: `${ISSUER}/token` })));
    await expect(verify(await sign(claims({ jti: 'j-x' })))).resolves.toBeUndefined();
  });

  it('remembers the jti at least for the assertion lifetime', async () => {
    const a = await sign(claims({ jti: 'j-life', exp: NOW_S + 120 }));
    await verify(a);
    clock.advance(119_000);
    // still within the assertion's lifetime: a replay is refused by the cache, not by expiry
    expect((await refused(a, stored(), NOW_S + 119)).description).toMatch(/jti/);
  });
});
