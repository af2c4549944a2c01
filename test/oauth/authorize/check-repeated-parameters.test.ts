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
import { MAX_PARAM_LENGTH } from '../../../src/oauth/authorize/authorization-request.js';
import { checkRepeatedParameters } from '../../../src/oauth/authorize/check-repeated-parameters.js';

const BASE = 'client_id=client-a&response_type=code&scope=openid&state=s&nonce=n';

describe('checkRepeatedParameters: repeats', () => {
  it('passes a request without repeats and changes nothing', async () => {
    const c = ctx(BASE);
    await checkRepeatedParameters(c);
    expect(c.req).toEqual({});
  });

  for (const name of ['scope', 'state', 'nonce', 'response_type', 'code_challenge', 'acr_values', 'prompt', 'resource', 'authorization_details', 'unknown_extension']) {
    it(`refuses a repeated ${name}, naming it`, async () => {
      const e = await errorOf(checkRepeatedParameters, ctx(`${BASE}&${name}=x&${name}=y`));
      expect(e.error).toBe('invalid_request');
      expect(e.delivery).toBe('redirect');
      expect(e.description).toContain(name);
    });
  }

  it('refuses repeats even when the values are identical or empty', async () => {
    for (const q of ['scope=openid&scope=openid', 'foo=&foo=']) {
      expect((await errorOf(checkRepeatedParameters, ctx(q))).error).toBe('invalid_request');
    }
  });

  it('names every repeated parameter', async () => {
    const e = await errorOf(checkRepeatedParameters, ctx('a=1&b=1&a=2&b=2&c=1'));
    expect(e.description).toContain('a');
    expect(e.description).toContain('b');
    expect(e.description).not.toMatch(/\bc\b/);
  });
});

describe('checkRepeatedParameters: lengths', () => {
  it('accepts a value of exactly the limit and refuses one character more', async () => {
    await checkRepeatedParameters(ctx({ state: 'x'.repeat(MAX_PARAM_LENGTH) }));
    const e = await errorOf(checkRepeatedParameters, ctx({ state: 'x'.repeat(MAX_PARAM_LENGTH + 1) }));
    expect(e.error).toBe('invalid_request');
    expect(e.description).toContain('state');
    expect(e.description).toMatch(/too long/);
  });

  it('applies the limit to unknown parameters too', async () => {
    const e = await errorOf(checkRepeatedParameters, ctx({ whatever: 'x'.repeat(MAX_PARAM_LENGTH + 1) }));
    expect(e.description).toContain('whatever');
  });

  it('gives authorization_details a larger limit of 20480', async () => {
    await checkRepeatedParameters(ctx({ authorization_details: 'x'.repeat(20_480) }));
    const e = await errorOf(checkRepeatedParameters, ctx({ authorization_details: 'x'.repeat(20_481) }));
    expect(e.description).toContain('authorization_details');
  });

  it('the limit is 4096', () => {
    expect(MAX_PARAM_LENGTH).toBe(4096);
  });
});
