import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuthError } from '../../../src/core/oauth-error.js';
import type { Params } from '../../../src/core/params.js';
import type { Acr, PipelineDeps } from '../../../src/oauth/authorize/authorization-request.js';
import { pushAuthorizationRequest, type PushRequestDeps } from '../../../src/oauth/par/push-request.js';
import { PAR_PREFIX, pushedRequests } from '../../../src/oauth/par/pushed-request.js';
import { resolveRequestUri, type ResolveRequestUriDeps } from '../../../src/oauth/par/resolve-request-uri.js';
import { basic, fixture, secretOf, type Fixture, form } from '../endpoint-fixtures.js';

const CB = 'https://a.example.test/callback';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
let f: Fixture;
let push: PushRequestDeps;
let resolve: ResolveRequestUriDeps;

const request = (over: Record<string, string | string[] | undefined> = {}) => ({
  client_id: 'client-a', redirect_uri: CB, response_type: 'code', scope: 'openid profile', state: 'st-1', nonce: 'n-1',
  code_challenge: CHALLENGE, code_challenge_method: 'S256', ...over,
});
const auth = () => basic('client-a', secretOf('client-a'));
const idOf = (uri: string) => uri.slice(PAR_PREFIX.length);

beforeAll(async () => {
  f = await fixture();
  await f.client({ client_id: 'client-a' });
  await f.client({ client_id: 'client-b', redirect_uris: ['https://b.example.test/callback'] });
  await f.client({ client_id: 'client-post', token_endpoint_auth_method: 'client_secret_post' });
  const pipeline: PipelineDeps = {
    getClient: async (id) => (await f.registry.getActive(id))?.client, requireStateAndNonce: true, supportedAcr: new Set<Acr>(['substantial', 'high']),
  };
  push = { ...f.auth, pipeline, ephemeral: f.stores.ephemeral, lifetimeSeconds: 120 };
  resolve = { getActiveClient: async (id) => (await f.registry.getActive(id))?.client, ephemeral: f.stores.ephemeral };
});
afterAll(async () => f.close());

async function pushRefused(authorization: string | undefined, body: Params): Promise<OAuthError> {
  try {
    await pushAuthorizationRequest(push, authorization, body);
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    expect((e as OAuthError).delivery).toBe('json');
    return e as OAuthError;
  }
  throw new Error('expected the push to be refused');
}

describe('pushAuthorizationRequest (RFC 9126 §2)', () => {
  it('stores the validated request without client credentials under a fresh urn, for the configured lifetime', async () => {
    const r = await pushAuthorizationRequest(push, undefined, form({ ...request({ client_id: 'client-post' }), client_secret: secretOf('client-post') }));
    expect(r.expires_in).toBe(120);
    expect(r.request_uri.startsWith(PAR_PREFIX)).toBe(true);
    const stored = await pushedRequests(f.stores.ephemeral).get(idOf(r.request_uri));
    expect(stored?.clientId).toBe('client-post');
    expect(stored?.request).toMatchObject({ clientId: 'client-post', redirectUri: CB, state: 'st-1', nonce: 'n-1', scope: ['openid', 'profile'] });
    expect(stored?.params.client_secret).toBeUndefined();
    expect(stored?.params.state).toBe('st-1');
    const again = await pushAuthorizationRequest(push, auth(), form(request()));
    expect(again.request_uri).not.toBe(r.request_uri);
  });

  it('refuses a bad client authentication (401) and an invalid request (400 JSON, never a redirect)', async () => {
    expect((await pushRefused(basic('client-a', 'wrong-secret-0000000000000000000'), form(request()))).status).toBe(401);
    const bad = await pushRefused(auth(), form(request({ redirect_uri: 'https://evil.example.test/cb' })));
    expect(bad.status).toBe(400);
    const noPkce = await pushRefused(auth(), form(request({ code_challenge: undefined, code_challenge_method: undefined })));
    expect([noPkce.error, noPkce.status]).toEqual(['invalid_request', 400]);
  });

  it('refuses a client_id that is not the authenticated client', async () => {
    const e = await pushRefused(basic('client-b', secretOf('client-b')), form(request({ client_id: 'client-a' })));
    expect([e.error, e.status]).toEqual(['invalid_request', 400]);
  });
});

describe('resolveRequestUri (RFC 9126 §4)', () => {
  const pushed = async (over: Record<string, string> = {}) => (await pushAuthorizationRequest(push, auth(), form(request(over)))).request_uri;

  it('returns the pushed request once (single use)', async () => {
    const uri = await pushed();
    const r = await resolveRequestUri(resolve, form({ client_id: 'client-a', request_uri: uri }));
    expect(r.kind).toBe('request');
    if (r.kind === 'request') expect(r.request).toMatchObject({ clientId: 'client-a', state: 'st-1' });
    const again = await resolveRequestUri(resolve, form({ client_id: 'client-a', request_uri: uri }));
    expect(again.kind === 'page' && again.error.error).toBe('invalid_request_uri');
  });

  it('requires client_id, a known client and no repeated parameter (error page)', async () => {
    const uri = await pushed();
    const cases: [Record<string, string | string[]>, string][] = [
      [{ request_uri: uri }, 'invalid_request'],
      [{ client_id: 'nobody', request_uri: uri }, 'invalid_client'],
      [{ client_id: ['client-a', 'client-a'], request_uri: uri }, 'invalid_request'],
    ];
    for (const [q, error] of cases) {
      const r = await resolveRequestUri(resolve, form(q));
      expect(r.kind).toBe('page');
      if (r.kind === 'page') expect([r.error.error, r.error.delivery]).toEqual([error, 'page']);
    }
    // none of these consumed it
    expect((await resolveRequestUri(resolve, form({ client_id: 'client-a', request_uri: uri }))).kind).toBe('request');
  });

  it("another client cannot use, nor spoil, a client's request_uri", async () => {
    const uri = await pushed();
    const r = await resolveRequestUri(resolve, form({ client_id: 'client-b', request_uri: uri }));
    expect(r.kind === 'page' && r.error.error).toBe('invalid_request_uri');
    expect((await resolveRequestUri(resolve, form({ client_id: 'client-a', request_uri: uri }))).kind).toBe('request');
  });

  it('refuses unknown, malformed and expired request_uris', async () => {
    for (const uri of [`${PAR_PREFIX}${'a'.repeat(43)}`, 'urn:other:abc', `${PAR_PREFIX}../../x`, '']) {
      const r = await resolveRequestUri(resolve, form({ client_id: 'client-a', request_uri: uri }));
      expect(r.kind === 'page' && r.error.error).toBe('invalid_request_uri');
    }
    const uri = await pushed();
    f.clock.advance(121_000);
    const r = await resolveRequestUri(resolve, form({ client_id: 'client-a', request_uri: uri }));
    expect(r.kind === 'page' && r.error.error).toBe('invalid_request_uri');
  });

  it('accepts exact duplicates outside the request, and sends a differing one back to the client with state', async () => {
    const same = await pushed();
    expect((await resolveRequestUri(resolve, form({ client_id: 'client-a', request_uri: same, state: 'st-1', scope: 'openid profile' }))).kind).toBe('request');
    const uri = await pushed();
    const r = await resolveRequestUri(resolve, form({ client_id: 'client-a', request_uri: uri, scope: 'openid' }));
    expect(r.kind).toBe('redirect');
    if (r.kind === 'redirect') {
      expect(r.error.error).toBe('invalid_request');
      expect(r.target).toEqual({ clientId: 'client-a', redirectUri: CB, responseMode: 'query', state: 'st-1' });
    }
  });
});
