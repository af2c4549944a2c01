import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuthError } from '../../../src/core/oauth-error.js';
import type { Params } from '../../../src/core/params.js';
import { INTROSPECTION_AUTH_METHODS, INTROSPECTION_SCOPE, introspectToken, type IntrospectTokenDeps } from '../../../src/oauth/introspection/introspect-token.js';
import { ISSUER, basic, fixture, secretOf, type Fixture, form } from '../endpoint-fixtures.js';

let f: Fixture;
let deps: IntrospectTokenDeps;

beforeAll(async () => {
  f = await fixture();
  // The API scope api:les belongs to organisation 310000191 (src/scopes/introspection-visibility.ts).
  const owners = new Map([['api:les', '310000191']]);
  deps = {
    ...f.auth, lookup: f.lookup,
    visibility: {
      clientOrgno: async (id) => (await f.registry.get(id))?.client.client_orgno,
      owners: async (scopes) => new Map(scopes.flatMap((s) => (owners.has(s) ? [[s, owners.get(s)!] as const] : []))),
    },
  };
  await f.client({ client_id: 'introspector', scopes: ['openid', INTROSPECTION_SCOPE] });
  await f.client({ client_id: 'plain' });
  // A public client that somehow holds the scope (registered before the rule): still refused.
  await f.client({ client_id: 'public', application_type: 'browser', token_endpoint_auth_method: 'none', scopes: ['openid', INTROSPECTION_SCOPE] });
});
afterAll(async () => f.close());

async function refused(authorization: string | undefined, body: Params): Promise<OAuthError> {
  try {
    await introspectToken(deps, authorization, body);
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    expect((e as OAuthError).delivery).toBe('json');
    return e as OAuthError;
  }
  throw new Error('expected introspection to be refused');
}

describe('introspectToken (RFC 7662)', () => {
  it('accepts exactly the confidential methods', () => {
    expect([...INTROSPECTION_AUTH_METHODS].sort()).toEqual(['client_secret_basic', 'client_secret_post', 'private_key_jwt']);
  });

  it('reports an active access token with its claims and expires_in', async () => {
    const c = (await f.registry.get('plain'))!.client;
    const t = await f.issue(c);
    f.clock.advance(20_000);
    const r = await introspectToken(deps, basic('introspector', secretOf('introspector')), form({ token: t.accessToken }));
    expect(r).toMatchObject({ active: true, token_type: 'Bearer', client_id: 'plain', scope: 'openid profile', iss: ISSUER, sub: t.grant.sub });
    expect((r as Record<string, unknown>).expires_in).toBe(100);
  });

  it('reports an active refresh token, and inactive once used, revoked or expired', async () => {
    const c = (await f.registry.get('plain'))!.client;
    const t = await f.issue(c);
    const auth = basic('introspector', secretOf('introspector'));
    const r = await introspectToken(deps, auth, form({ token: t.refreshToken, token_type_hint: 'refresh_token' }));
    expect(r).toMatchObject({ active: true, token_type: 'refresh_token', client_id: 'plain', sub: t.grant.sub, iss: ISSUER });
    await f.stores.grants.revokeGrant(t.grant.id);
    expect(await introspectToken(deps, auth, form({ token: t.refreshToken }))).toEqual({ active: false });
    expect(await introspectToken(deps, auth, form({ token: t.accessToken }))).toEqual({ active: false });
    const t2 = await f.issue(c);
    f.clock.advance(121_000);
    expect(await introspectToken(deps, auth, form({ token: t2.accessToken }))).toEqual({ active: false });
  });

  it('answers active:false for unknown tokens', async () => {
    expect(await introspectToken(deps, basic('introspector', secretOf('introspector')), form({ token: 'no-such-token' }))).toEqual({ active: false });
  });

  it('refuses a client authenticating with none (401 invalid_client), even with the scope', async () => {
    const e = await refused(undefined, form({ client_id: 'public', token: 'x' }));
    expect(e.error).toBe('invalid_client');
    expect(e.status).toBe(401);
    expect(e.headers['WWW-Authenticate']).toMatch(/^Basic /);
  });

  it('refuses a client without the scope (403) and a wrong secret (401)', async () => {
    const e = await refused(basic('plain', secretOf('plain')), form({ token: 'x' }));
    expect([e.error, e.status]).toEqual(['insufficient_scope', 403]);
    const w = await refused(basic('introspector', 'wrong-secret-000000000000000000'), form({ token: 'x' }));
    expect([w.error, w.status]).toEqual(['invalid_client', 401]);
  });

  it('shows a token only to its own organisation and the owners of its API scopes (RFC 7662 §2.2)', async () => {
    await f.client({ client_id: 'other-org', client_orgno: '310000108', scopes: ['openid', INTROSPECTION_SCOPE] });
    await f.client({ client_id: 'api-owner', client_orgno: '310000191', scopes: ['openid', INTROSPECTION_SCOPE] });
    const c = (await f.registry.get('plain'))!.client;
    const plain = await f.issue(c);
    const api = await f.issue(c, { scope: 'openid api:les' });
    const other = basic('other-org', secretOf('other-org'));
    const owner = basic('api-owner', secretOf('api-owner'));
    // Another organisation learns nothing about tokens that are not meant for its API.
    expect(await introspectToken(deps, other, form({ token: plain.accessToken }))).toEqual({ active: false });
    expect(await introspectToken(deps, other, form({ token: api.accessToken }))).toEqual({ active: false });
    expect(await introspectToken(deps, other, form({ token: api.refreshToken }))).toEqual({ active: false });
    // The API's owner sees the tokens carrying its scope, but not the client's other tokens.
    expect(await introspectToken(deps, owner, form({ token: api.accessToken }))).toMatchObject({ active: true, client_id: 'plain', scope: 'openid api:les' });
    expect(await introspectToken(deps, owner, form({ token: api.refreshToken }))).toMatchObject({ active: true, token_type: 'refresh_token', client_id: 'plain' });
    expect(await introspectToken(deps, owner, form({ token: plain.accessToken }))).toEqual({ active: false });
  });

  it('refuses a missing or repeated token (400 invalid_request)', async () => {
    const auth = basic('introspector', secretOf('introspector'));
    expect((await refused(auth, form({}))).error).toBe('invalid_request');
    expect((await refused(auth, form({ token: ['a', 'b'] }))).error).toBe('invalid_request');
  });
});
