import { describe, expect, it } from 'vitest';
import { CLIENT_DEFAULTS, type Client } from '../../../src/clients/client-types.js';
import { OAuthError } from '../../../src/core/oauth-error.js';
import { Params } from '../../../src/core/params.js';
import type { Acr, Check, PipelineContext, PipelineDeps } from '../../../src/oauth/authorize/authorization-request.js';

function makeClient(over: Partial<Client> = {}): Client {
  return {
    ...CLIENT_DEFAULTS, grant_types: ['authorization_code'], scopes: ['openid', 'profile'],
    client_id: 'client-a', client_name: 'Client A', description: 'test', client_orgno: '310900001',
    redirect_uris: ['https://a.example.test/callback'], post_logout_redirect_uris: [],
    active: true, created: '2025-01-01T00:00:00.000Z', last_updated: '2025-01-01T00:00:00.000Z', ...over,
  };
}

const DEPS: PipelineDeps = {
  getClient: async () => undefined,
  requireStateAndNonce: true,
  supportedAcr: new Set<Acr>(['substantial', 'high', 'entraid']),
};

/** A context as the checks after client and redirect_uri see it. */
function ctx(q: string | Record<string, string | undefined>, over: Partial<PipelineContext> = {}): PipelineContext {
  const sp = typeof q === 'string'
    ? new URLSearchParams(q)
    : new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined));
  return {
    params: Params.fromSearchParams(sp), deps: DEPS, mode: 'authorize', client: makeClient(),
    redirectUri: 'https://a.example.test/callback', responseMode: 'query', req: {}, ...over,
  };
}

async function errorOf(check: Check, c: PipelineContext): Promise<OAuthError> {
  try {
    await check(c);
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    return e as OAuthError;
  }
  throw new Error('expected the check to fail');
}
import { checkRequestObject } from '../../../src/oauth/authorize/check-request-object.js';

describe('checkRequestObject', () => {
  it('passes a request without request or request_uri', async () => {
    await checkRequestObject(ctx({ scope: 'openid' }));
    await checkRequestObject(ctx({ scope: 'openid' }, { mode: 'par' }));
  });

  it('refuses a request object by value with request_not_supported (authorize and par)', async () => {
    for (const mode of ['authorize', 'par'] as const) {
      for (const value of ['eyJhbGciOiJSUzI1NiJ9.e30.sig', '']) {
        const e = await errorOf(checkRequestObject, ctx({ request: value }, { mode }));
        expect(e.error).toBe('request_not_supported');
        expect(e.delivery).toBe('redirect');
      }
    }
  });

  it('refuses a request_uri pushed to /par', async () => {
    const e = await errorOf(checkRequestObject, ctx({ request_uri: 'urn:ansattporten:abc' }, { mode: 'par' }));
    expect(e.error).toBe('invalid_request');
    expect(e.description).toMatch(/request_uri/);
  });

  it('lets request_uri through at /authorize (it is resolved before the pipeline runs)', async () => {
    await checkRequestObject(ctx({ request_uri: 'urn:ansattporten:abc' }));
  });
});
