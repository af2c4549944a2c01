import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT, exportJWK } from 'jose';
import { ClientRegistry } from '../../../src/clients/client-registry.js';
import { CLIENT_DEFAULTS, SECRET_LIFETIME_MS, type Client, type ClientJwk } from '../../../src/clients/client-types.js';
import { ManualClock } from '../../../src/core/clock.js';
import { OAuthError } from '../../../src/core/oauth-error.js';
import { Params } from '../../../src/core/params.js';
import { authenticateClient, type ClientAuthDeps } from '../../../src/oauth/client-auth/authenticate-client.js';
import { JWT_BEARER_ASSERTION } from '../../../src/oauth/client-auth/presented-credentials.js';
import type { Stores } from '../../../src/store/ports.js';
import { createSqliteStores } from '../../../src/store/sqlite/sqlite-store.js';

const ISSUER = 'https://test.ansattporten.example';
const T0 = Date.UTC(2025, 5, 1, 12);
const SECRET = 'the-secret-of-the-basic-client-0123456789abcdef';
const POST_SECRET = 'the-secret-of-the-post-client-0123456789abcdef';

let priv: KeyObject;
let jwk: ClientJwk;
let clock: ManualClock;
let stores: Stores;
let registry: ClientRegistry;
let deps: ClientAuthDeps;
let n = 0;

function makeClient(over: Partial<Client>): Client {
  return {
    ...CLIENT_DEFAULTS, grant_types: ['authorization_code'], scopes: ['openid', 'profile'],
    client_id: 'x', client_name: 'Client', description: 'test', client_orgno: '310900001',
    redirect_uris: ['https://a.example.test/callback'], post_logout_redirect_uris: [],
    active: true, created: '2025-01-01T00:00:00.000Z', last_updated: '2025-01-01T00:00:00.000Z', ...over,
  };
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const body = (q: Record<string, string> = {}) => Params.fromSearchParams(new URLSearchParams({ grant_type: 'authorization_code', code: 'c', ...q }));

async function assertion(clientId = 'jwt-client', over: Record<string, unknown> = {}): Promise<string> {
  const nowS = Math.floor(clock.now() / 1000);
  return new SignJWT({ iss: clientId, sub: clientId, aud: ISSUER, iat: nowS, exp: nowS + 60, jti: `j${++n}`, ...over })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(priv);
}
const jwtBody = async (clientId = 'jwt-client', over: Record<string, unknown> = {}) =>
  body({ client_id: clientId, client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: await assertion(clientId, over) });

async function refused(authorization: string | undefined, b: Params): Promise<OAuthError> {
  try {
    await authenticateClient(deps, authorization, b);
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    return e as OAuthError;
  }
  throw new Error('expected client authentication to fail');
}

async function invalidClient(authorization: string | undefined, b: Params): Promise<OAuthError> {
  const e = await refused(authorization, b);
  expect(e.error).toBe('invalid_client');
  expect(e.status).toBe(401);
  expect(e.delivery).toBe('json');
  expect(e.headers['WWW-Authenticate']).toMatch(/^Basic realm="ansattporten"/);
  return e;
}

beforeAll(async () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  priv = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kty: 'RSA', kid: 'k1', alg: 'RS256', use: 'sig' };
});

beforeEach(async () => {
  clock = new ManualClock(T0);
  stores = createSqliteStores(':memory:', clock);
  registry = new ClientRegistry(stores.clients, clock);
  deps = { registry, replay: stores.ephemeral, issuer: ISSUER, now: () => clock.now() };
  await registry.put(makeClient({ client_id: 'basic-client', token_endpoint_auth_method: 'client_secret_basic' }), SECRET);
  await registry.put(makeClient({ client_id: 'post-client', token_endpoint_auth_method: 'client_secret_post' }), POST_SECRET);
  await registry.put(makeClient({ client_id: 'jwt-client', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] } }));
  await registry.put(makeClient({ client_id: 'public-client', application_type: 'browser', token_endpoint_auth_method: 'none' }));
  await registry.put(makeClient({ client_id: 'off-client', token_endpoint_auth_method: 'client_secret_basic', active: false }), SECRET);
  await registry.put(makeClient({ client_id: 'off-jwt', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] }, active: false }));
});

afterEach(async () => {
  await stores.close();
});

describe('authenticateClient: each registered method works', () => {
  it('client_secret_basic', async () => {
    const r = await authenticateClient(deps, basic('basic-client', SECRET), body());
    expect(r.method).toBe('client_secret_basic');
    expect(r.client.client_id).toBe('basic-client');
  });

  it('client_secret_post', async () => {
    const r = await authenticateClient(deps, undefined, body({ client_id: 'post-client', client_secret: POST_SECRET }));
    expect(r).toMatchObject({ method: 'client_secret_post', client: { client_id: 'post-client' } });
  });

  it('private_key_jwt', async () => {
    const r = await authenticateClient(deps, undefined, await jwtBody());
    expect(r).toMatchObject({ method: 'private_key_jwt', client: { client_id: 'jwt-client' } });
  });

  it('none (public client)', async () => {
    const r = await authenticateClient(deps, undefined, body({ client_id: 'public-client' }));
    expect(r).toMatchObject({ method: 'none', client: { client_id: 'public-client' } });
  });
});

describe('authenticateClient: the registered method is enforced', () => {
  it('a private_key_jwt client presenting a secret is invalid_client (401, WWW-Authenticate)', async () => {
    expect((await invalidClient(basic('jwt-client', SECRET), body())).description).toMatch(/private_key_jwt/);
    await invalidClient(undefined, body({ client_id: 'jwt-client', client_secret: SECRET }));
  });

  it('a private_key_jwt client presenting only its client_id is refused', async () => {
    await invalidClient(undefined, body({ client_id: 'jwt-client' }));
  });

  it('a client_secret_basic client using client_secret_post, even with the right secret, is refused', async () => {
    expect((await invalidClient(undefined, body({ client_id: 'basic-client', client_secret: SECRET }))).description).toMatch(/client_secret_basic/);
  });

  it('a client_secret_post client using Basic, even with the right secret, is refused', async () => {
    await invalidClient(basic('post-client', POST_SECRET), body());
  });

  it('a secret client presenting an assertion or nothing is refused', async () => {
    const a = await assertion('basic-client');
    await invalidClient(undefined, body({ client_id: 'basic-client', client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: a }));
    await invalidClient(undefined, body({ client_id: 'basic-client' }));
  });

  it('a public client presenting a secret is refused', async () => {
    await invalidClient(basic('public-client', 'anything'), body());
    await invalidClient(undefined, body({ client_id: 'public-client', client_secret: 'anything' }));
  });
});

describe('authenticateClient: bad credentials', () => {
  it('wrong secret', async () => {
    await invalidClient(basic('basic-client', `${SECRET}x`), body());
    await invalidClient(undefined, body({ client_id: 'post-client', client_secret: SECRET }));
  });

  it("another client's secret", async () => {
    await invalidClient(basic('basic-client', POST_SECRET), body());
  });

  it('an expired secret (360 days after it was set)', async () => {
    clock.advance(SECRET_LIFETIME_MS - 1);
    await authenticateClient(deps, basic('basic-client', SECRET), body());
    clock.advance(1);
    expect((await invalidClient(basic('basic-client', SECRET), body())).description).toMatch(/expired/);
  });

  it('a bad or replayed assertion', async () => {
    await invalidClient(undefined, await jwtBody('jwt-client', { aud: `${ISSUER}/token` }));
    const b = await jwtBody();
    await authenticateClient(deps, undefined, b);
    await invalidClient(undefined, b);
  });

  it('an assertion made for another client (same key) is refused for this client_id', async () => {
    await registry.put(makeClient({ client_id: 'jwt-client-2', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] } }));
    const a = await assertion('jwt-client');
    const e = await invalidClient(undefined, body({ client_id: 'jwt-client-2', client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: a }));
    expect(e.description).toMatch(/iss/);
    await authenticateClient(deps, undefined, await jwtBody('jwt-client-2'));
  });

  it('an unknown client', async () => {
    await invalidClient(basic('nobody', SECRET), body());
    await invalidClient(undefined, body({ client_id: 'nobody' }));
  });

  it('a client_id in the body that disagrees with Basic is a request error', async () => {
    const e = await refused(basic('basic-client', SECRET), body({ client_id: 'post-client' }));
    expect(e.error).toBe('invalid_request');
    expect(e.delivery).toBe('json');
  });
});

describe('authenticateClient: inactive clients', () => {
  it('refuses a deactivated client even with the right secret', async () => {
    expect((await invalidClient(basic('off-client', SECRET), body())).description).toMatch(/inactive|unknown/);
  });

  it('refuses a deactivated private_key_jwt client with a valid assertion', async () => {
    await invalidClient(undefined, await jwtBody('off-jwt'));
  });

  it('refuses a client deactivated after it was used (the registry is read on every request)', async () => {
    await authenticateClient(deps, basic('basic-client', SECRET), body());
    const stored = await registry.get('basic-client');
    await registry.put({ ...stored!.client, active: false });
    await invalidClient(basic('basic-client', SECRET), body());
  });
});

describe('authenticateClient: a client identified by its assertion alone (RFC 7521 §4.2, RFC 7523 §3)', () => {
  const noIdBody = async (clientId = 'jwt-client', over: Record<string, unknown> = {}) =>
    body({ client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: await assertion(clientId, over) });

  it('a private_key_jwt request without client_id is authenticated as the assertion iss/sub', async () => {
    expect(await authenticateClient(deps, undefined, await noIdBody())).toMatchObject({ method: 'private_key_jwt', client: { client_id: 'jwt-client' } });
  });

  it('the assertion is still verified: replayed, signed by another key or for another client is refused', async () => {
    const b = await noIdBody();
    await authenticateClient(deps, undefined, b);
    await invalidClient(undefined, b);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const nowS = Math.floor(clock.now() / 1000);
    const forged = await new SignJWT({ iss: 'jwt-client', sub: 'jwt-client', aud: ISSUER, iat: nowS, exp: nowS + 60, jti: `j${++n}` }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(other);
    await invalidClient(undefined, body({ client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: forged }));
    await invalidClient(undefined, await noIdBody('basic-client'));
  });

  it('iss and sub that differ, or no iss, without client_id → invalid_client', async () => {
    expect((await invalidClient(undefined, await noIdBody('jwt-client', { sub: 'someone-else' }))).description).toMatch(/iss and sub/);
    expect((await invalidClient(undefined, await noIdBody('jwt-client', { iss: undefined }))).description).toMatch(/iss/);
  });

  it('a client_id that disagrees with the assertion is refused with invalid_client', async () => {
    await registry.put(makeClient({ client_id: 'jwt-client-3', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] } }));
    const e = await invalidClient(undefined, body({ client_id: 'jwt-client-3', client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: await assertion('jwt-client') }));
    expect(e.description).toMatch(/client_id/);
  });
});
