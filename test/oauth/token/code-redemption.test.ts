/**
 * Redeeming a code (RFC 6749 §4.1.3, §4.1.2 on a code presented again): taking the code and
 * noting the grant it produces are one step of the short-lived store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_DEFAULTS, type Client } from '../../../src/clients/client-types.js';
import { ManualClock } from '../../../src/core/clock.js';
import { OAuthError } from '../../../src/core/oauth-error.js';
import { Params } from '../../../src/core/params.js';
import { createCode, grantOfUsedCode } from '../../../src/oauth/authorization-code.js';
import { authorizationCodeGrant, type CodeGrantDeps } from '../../../src/oauth/token/authorization-code-grant.js';
import type { EphemeralStore } from '../../../src/store/ports.js';
import { createSqliteStores } from '../../../src/store/sqlite/sqlite-store.js';
import { KeyRotation } from '../../../src/tokens/key-rotation.js';
import { SigningKeys } from '../../../src/tokens/signing-keys.js';

const CHALLENGE = 'YhKJpC67w6qB2KupfDuKocVarvxL8vb9WSmSB6-p-Zc';
const VERIFIER = 'oQEG5SwL-dQlUL2ZkteJV8v0Fxz9z6j4Y1Q_86gEq78';
const client: Client = {
  ...CLIENT_DEFAULTS, grant_types: ['authorization_code'], scopes: ['openid', 'profile'],
  client_id: 'c1', client_name: 'C', description: 't', client_orgno: '310900001', redirect_uris: ['https://c1.example.test/cb'],
  post_logout_redirect_uris: [], active: true, created: '2025-01-01T00:00:00.000Z', last_updated: '2025-01-01T00:00:00.000Z',
};
const auth = { client, method: client.token_endpoint_auth_method };

let stores: ReturnType<typeof createSqliteStores>;
let deps: CodeGrantDeps;
let calls: string[];

beforeEach(async () => {
  const clock = new ManualClock(Date.UTC(2030, 0, 1));
  stores = createSqliteStores(':memory:', clock);
  await new KeyRotation(stores.keys, clock).ensureKeys();
  const keys = new SigningKeys(stores.keys, clock);
  await keys.init();
  calls = [];
  const inner = stores.ephemeral;
  const ephemeral = new Proxy(inner, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => { calls.push(String(prop)); return (v as (...a: unknown[]) => unknown).apply(target, args); };
    },
  }) as EphemeralStore;
  deps = { issuer: 'https://op.example.test', keys, grants: stores.grants, idTokenLifetime: 120, now: () => clock.now(), ephemeral, pairwiseSalt: 'salt' };
});
afterEach(async () => {
  await stores.close();
});

async function newCode(): Promise<string> {
  return createCode(stores.ephemeral, {
    clientId: client.client_id, redirectUri: client.redirect_uris[0]!, codeChallenge: CHALLENGE, nonce: 'n', scope: 'openid profile', sid: 's',
    context: { authTime: 1_893_456_000, acr: 'substantial', amr: ['TestID'], eid: 'testid', pid: '15895010046', subjectRef: '15895010046', claims: {}, locale: 'nb' },
  }, 60);
}
const body = (code: string, verifier = VERIFIER) =>
  Params.fromSearchParams(new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirect_uris[0]!, code_verifier: verifier }));

describe('code redemption', () => {
  it('takes the code and notes its grant in one step; a second redemption revokes that grant', async () => {
    const code = await newCode();
    await authorizationCodeGrant(deps, auth, body(code));
    expect(calls).toEqual(['write']);
    const grantId = await grantOfUsedCode(stores.ephemeral, code);
    expect(grantId).toBeDefined();
    expect((await stores.grants.getGrant(grantId!))?.revoked).toBe(false);
    await expect(authorizationCodeGrant(deps, auth, body(code))).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await stores.grants.getGrant(grantId!))?.revoked).toBe(true);
  });

  it('a redemption that fails its checks uses the code up and creates no grant; presenting it again is invalid_grant', async () => {
    const code = await newCode();
    await expect(authorizationCodeGrant(deps, auth, body(code, 'x'.repeat(43)))).rejects.toBeInstanceOf(OAuthError);
    const noted = await grantOfUsedCode(stores.ephemeral, code);
    expect(noted).toBeDefined();
    expect(await stores.grants.getGrant(noted!)).toBeUndefined();
    await expect(authorizationCodeGrant(deps, auth, body(code))).rejects.toMatchObject({ error: 'invalid_grant', description: 'the code is invalid, expired or already used' });
  });

  it('an unknown code notes nothing', async () => {
    await expect(authorizationCodeGrant(deps, auth, body('unknown-code'))).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await grantOfUsedCode(stores.ephemeral, 'unknown-code')).toBeUndefined();
  });
});
