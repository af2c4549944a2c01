/**
 * DPoP binding in the code and refresh grants (RFC 9449 §5): what is bound to which key, for
 * public and confidential clients, with the grants run directly against a SQLite store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_DEFAULTS, type Client } from '../../../src/clients/client-types.js';
import { ManualClock } from '../../../src/core/clock.js';
import { OAuthError } from '../../../src/core/oauth-error.js';
import { Params } from '../../../src/core/params.js';
import { createCode } from '../../../src/oauth/authorization-code.js';
import { authorizationCodeGrant, type CodeGrantDeps } from '../../../src/oauth/token/authorization-code-grant.js';
import { refreshTokenGrant } from '../../../src/oauth/token/refresh-token-grant.js';
import type { Stores } from '../../../src/store/ports.js';
import { createSqliteStores } from '../../../src/store/sqlite/sqlite-store.js';
import { KeyRotation } from '../../../src/tokens/key-rotation.js';
import { SigningKeys } from '../../../src/tokens/signing-keys.js';

const CHALLENGE = 'YhKJpC67w6qB2KupfDuKocVarvxL8vb9WSmSB6-p-Zc';
const VERIFIER = 'oQEG5SwL-dQlUL2ZkteJV8v0Fxz9z6j4Y1Q_86gEq78';
const JKT_A = 'a'.repeat(43);
const JKT_B = 'b'.repeat(43);

let dir: string;
let stores: Stores;
let deps: CodeGrantDeps;
let clock: ManualClock;

const client = (over: Partial<Client> = {}): Client => ({
  ...CLIENT_DEFAULTS, grant_types: ['authorization_code', 'refresh_token'], scopes: ['openid', 'profile'],
  client_id: 'c1', client_name: 'C', description: 't', client_orgno: '310900001', redirect_uris: ['https://c1.example.test/cb'],
  post_logout_redirect_uris: [], active: true, created: '2025-01-01T00:00:00.000Z', last_updated: '2025-01-01T00:00:00.000Z', ...over,
});
const confidential = client();
const publicClient = client({ application_type: 'browser', token_endpoint_auth_method: 'none' });
const authOf = (c: Client) => ({ client: c, method: c.token_endpoint_auth_method });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ap-dpop-'));
  clock = new ManualClock(Date.UTC(2030, 0, 1));
  stores = createSqliteStores(join(dir, 'db.sqlite'), clock);
  await new KeyRotation(stores.keys, clock).ensureKeys();
  const keys = new SigningKeys(stores.keys, clock);
  await keys.init();
  deps = { issuer: 'https://op.example.test', keys, grants: stores.grants, idTokenLifetime: 120, now: () => clock.now(), ephemeral: stores.ephemeral, pairwiseSalt: 'salt' };
});
afterAll(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

async function codeFor(c: Client): Promise<Params> {
  const code = await createCode(stores.ephemeral, {
    clientId: c.client_id, redirectUri: c.redirect_uris[0]!, codeChallenge: CHALLENGE, nonce: 'n', scope: 'openid profile', sid: 's',
    context: { authTime: Math.floor(clock.now() / 1000), acr: 'substantial', amr: ['TestID'], eid: 'testid', pid: '15895010046', subjectRef: '15895010046', claims: {}, locale: 'nb' },
  }, 60);
  return Params.fromSearchParams(new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: c.redirect_uris[0]!, code_verifier: VERIFIER }));
}
const refreshBody = (rt: string) => Params.fromSearchParams(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: rt }));

async function invalidGrant(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    expect((e as OAuthError).error).toBe('invalid_grant');
    return (e as OAuthError).description;
  }
  throw new Error('expected invalid_grant');
}

describe('authorization_code grant with DPoP', () => {
  it('binds the access token (cnf.jkt, token_type DPoP) when a proof key is given', async () => {
    const res = await authorizationCodeGrant(deps, authOf(confidential), await codeFor(confidential), JKT_A);
    expect(res.token_type).toBe('DPoP');
    expect(decodeJwt(res.access_token).cnf).toEqual({ jkt: JKT_A });
  });

  it('without a key: Bearer, no cnf', async () => {
    const res = await authorizationCodeGrant(deps, authOf(confidential), await codeFor(confidential));
    expect(res.token_type).toBe('Bearer');
    expect(decodeJwt(res.access_token).cnf).toBeUndefined();
  });

  it('a public client gets a refresh token only with DPoP', async () => {
    expect((await authorizationCodeGrant(deps, authOf(publicClient), await codeFor(publicClient))).refresh_token).toBeUndefined();
    expect((await authorizationCodeGrant(deps, authOf(publicClient), await codeFor(publicClient), JKT_A)).refresh_token).toBeTruthy();
  });

  it('records client_amr from a more specific authentication (business certificate)', async () => {
    const res = await authorizationCodeGrant(deps, { ...authOf(confidential), clientAmr: 'virksomhetssertifikat' }, await codeFor(confidential));
    expect(decodeJwt(res.access_token).client_amr).toBe('virksomhetssertifikat');
  });
});

describe('refresh_token grant with DPoP (RFC 9449 §5)', () => {
  it('public client: the refresh token is bound to the key; none or another key is invalid_grant and does not use it up', async () => {
    const first = await authorizationCodeGrant(deps, authOf(publicClient), await codeFor(publicClient), JKT_A);
    expect(await invalidGrant(refreshTokenGrant(deps, authOf(publicClient), refreshBody(first.refresh_token!)))).toMatch(/DPoP/);
    expect(await invalidGrant(refreshTokenGrant(deps, authOf(publicClient), refreshBody(first.refresh_token!), JKT_B))).toMatch(/key/);
    const next = await refreshTokenGrant(deps, authOf(publicClient), refreshBody(first.refresh_token!), JKT_A);
    expect(next.token_type).toBe('DPoP');
    expect(decodeJwt(next.access_token).cnf).toEqual({ jkt: JKT_A });
    await invalidGrant(refreshTokenGrant(deps, authOf(publicClient), refreshBody(next.refresh_token!), JKT_B));
  });

  it('a public client\'s unbound refresh token (issued before DPoP) is refused', async () => {
    // a confidential grant turned public would have no binding: simulate with the same client id
    const first = await authorizationCodeGrant(deps, authOf(confidential), await codeFor(confidential));
    expect(await invalidGrant(refreshTokenGrant(deps, authOf(publicClient), refreshBody(first.refresh_token!), JKT_A))).toMatch(/public client/);
  });

  it('confidential client: the refresh token is not bound; each access token is bound to the key presented with the refresh', async () => {
    const first = await authorizationCodeGrant(deps, authOf(confidential), await codeFor(confidential), JKT_A);
    const plain = await refreshTokenGrant(deps, authOf(confidential), refreshBody(first.refresh_token!));
    expect(plain.token_type).toBe('Bearer');
    expect(decodeJwt(plain.access_token).cnf).toBeUndefined();
    const bound = await refreshTokenGrant(deps, authOf(confidential), refreshBody(plain.refresh_token!), JKT_B);
    expect(bound.token_type).toBe('DPoP');
    expect(decodeJwt(bound.access_token).cnf).toEqual({ jkt: JKT_B });
  });
});
