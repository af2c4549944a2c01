import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuthError } from '../../../src/core/oauth-error.js';
import type { Params } from '../../../src/core/params.js';
import { revokeToken, type RevokeTokenDeps } from '../../../src/oauth/revocation/revoke-token.js';
import { basic, fixture, secretOf, type Fixture, form } from '../endpoint-fixtures.js';

let f: Fixture;
let deps: RevokeTokenDeps;

beforeAll(async () => {
  f = await fixture();
  deps = { ...f.auth, lookup: f.lookup, grants: f.stores.grants };
  await f.client({ client_id: 'app' });
  await f.client({ client_id: 'other' });
});
afterAll(async () => f.close());

const grantRevoked = async (id: string) => (await f.stores.grants.getGrant(id))!.revoked;

describe('revokeToken (RFC 7009)', () => {
  it('revoking the access token revokes the whole grant', async () => {
    const t = await f.issue((await f.registry.get('app'))!.client);
    expect(await revokeToken(deps, basic('app', secretOf('app')), form({ token: t.accessToken }))).toEqual({ revoked: true });
    expect(await grantRevoked(t.grant.id)).toBe(true);
  });

  it('revoking the refresh token revokes the whole grant', async () => {
    const t = await f.issue((await f.registry.get('app'))!.client);
    expect(await revokeToken(deps, basic('app', secretOf('app')), form({ token: t.refreshToken, token_type_hint: 'refresh_token' }))).toEqual({ revoked: true });
    expect(await grantRevoked(t.grant.id)).toBe(true);
  });

  it("leaves another client's token and unknown tokens alone, answering like a success", async () => {
    const t = await f.issue((await f.registry.get('app'))!.client);
    expect(await revokeToken(deps, basic('other', secretOf('other')), form({ token: t.accessToken }))).toEqual({ revoked: false });
    expect(await revokeToken(deps, basic('other', secretOf('other')), form({ token: t.refreshToken }))).toEqual({ revoked: false });
    expect(await revokeToken(deps, basic('app', secretOf('app')), form({ token: 'no-such-token' }))).toEqual({ revoked: false });
    expect(await grantRevoked(t.grant.id)).toBe(false);
  });

  it('refuses unauthenticated callers (401) and a missing or repeated token (400)', async () => {
    const t = await f.issue((await f.registry.get('app'))!.client);
    const err = async (auth: string | undefined, body: Params) => {
      try {
        await revokeToken(deps, auth, body);
      } catch (e) {
        expect(e).toBeInstanceOf(OAuthError);
        return [(e as OAuthError).error, (e as OAuthError).status];
      }
      throw new Error('expected a refusal');
    };
    expect(await err(basic('app', 'wrong-secret-00000000000000000000'), form({ token: t.accessToken }))).toEqual(['invalid_client', 401]);
    expect(await err(undefined, form({ token: t.accessToken }))).toEqual(['invalid_client', 401]);
    expect(await err(basic('app', secretOf('app')), form({}))).toEqual(['invalid_request', 400]);
    expect(await err(basic('app', secretOf('app')), form({ token: [t.accessToken, t.accessToken] }))).toEqual(['invalid_request', 400]);
    expect(await grantRevoked(t.grant.id)).toBe(false);
  });
});
