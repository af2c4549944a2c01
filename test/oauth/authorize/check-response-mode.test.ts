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
import { checkResponseMode } from '../../../src/oauth/authorize/check-response-mode.js';

describe('checkResponseMode', () => {
  it('defaults to query when absent', async () => {
    const c = ctx({});
    await checkResponseMode(c);
    expect(c.responseMode).toBe('query');
    expect(c.req.responseMode).toBe('query');
  });

  it('treats an empty response_mode as absent (RFC 6749 §3.1)', async () => {
    const c = ctx('response_mode=');
    await checkResponseMode(c);
    expect(c.req.responseMode).toBe('query');
  });

  it('accepts query', async () => {
    const c = ctx({ response_mode: 'query' }, { responseMode: 'form_post' });
    await checkResponseMode(c);
    expect(c.responseMode).toBe('query');
    expect(c.req.responseMode).toBe('query');
  });

  it('accepts form_post and uses it for the context (later errors go back by form_post)', async () => {
    const c = ctx({ response_mode: 'form_post' });
    await checkResponseMode(c);
    expect(c.responseMode).toBe('form_post');
    expect(c.req.responseMode).toBe('form_post');
  });

  for (const mode of ['fragment', 'query.jwt', 'form_post.jwt', 'jwt', 'FORM_POST', 'Query', 'form_post ', 'web_message']) {
    it(`refuses response_mode=${JSON.stringify(mode)} with a redirect error in query mode`, async () => {
      const c = ctx({ response_mode: mode });
      const e = await errorOf(checkResponseMode, c);
      expect(e.error).toBe('invalid_request');
      expect(e.delivery).toBe('redirect');
      expect(c.responseMode).toBe('query');
      expect(c.req.responseMode).toBeUndefined();
    });
  }

  it('refuses a repeated response_mode, even with equal values', async () => {
    for (const q of ['response_mode=query&response_mode=query', 'response_mode=form_post&response_mode=query']) {
      const c = ctx(q);
      const e = await errorOf(checkResponseMode, c);
      expect(e.error).toBe('invalid_request');
      expect(e.description).toMatch(/repeated/);
      expect(c.responseMode).toBe('query');
    }
  });
});
