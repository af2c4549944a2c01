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
import { checkScope } from '../../../src/oauth/authorize/check-scope.js';

describe('checkScope: accepted', () => {
  it('accepts openid', async () => {
    const c = ctx({ scope: 'openid' });
    await checkScope(c);
    expect(c.req.scope).toEqual(['openid']);
  });

  it('accepts openid profile in request order', async () => {
    const c = ctx({ scope: 'profile openid' });
    await checkScope(c);
    expect(c.req.scope).toEqual(['profile', 'openid']);
  });

  it('removes duplicates and ignores extra spaces', async () => {
    const c = ctx({ scope: '  openid   profile openid ' });
    await checkScope(c);
    expect(c.req.scope).toEqual(['openid', 'profile']);
  });

  it('accepts a third-party API scope registered on the client', async () => {
    const client = makeClient({ scopes: ['openid', 'profile', 'idporten:dcr.datasharing'] });
    const c = ctx({ scope: 'openid idporten:dcr.datasharing' }, { client });
    await checkScope(c);
    expect(c.req.scope).toEqual(['openid', 'idporten:dcr.datasharing']);
  });
});

describe('checkScope: refused', () => {
  it('refuses a missing or empty scope with invalid_request', async () => {
    for (const q of [{}, { scope: '' }]) {
      const c = ctx(q);
      const e = await errorOf(checkScope, c);
      expect(e.error).toBe('invalid_request');
      expect(c.req.scope).toBeUndefined();
    }
  });

  it('refuses scopes without openid with invalid_scope', async () => {
    for (const scope of ['profile', '   ', 'OpenID profile', 'openidprofile']) {
      const c = ctx({ scope });
      const e = await errorOf(checkScope, c);
      expect(e.error).toBe('invalid_scope');
      expect(e.delivery).toBe('redirect');
      expect(c.req.scope).toBeUndefined();
    }
  });

  it('refuses a scope not registered on the client and names it', async () => {
    const e = await errorOf(checkScope, ctx({ scope: 'openid profile idporten:dcr.datasharing' }));
    expect(e.error).toBe('invalid_scope');
    expect(e.description).toContain('idporten:dcr.datasharing');
  });

  it('refuses profile for a client registered with openid only', async () => {
    const client = makeClient({ scopes: ['openid'] });
    const e = await errorOf(checkScope, ctx({ scope: 'openid profile' }, { client }));
    expect(e.error).toBe('invalid_scope');
    expect(e.description).toContain('profile');
  });

  it('refuses openid when the client does not have it registered', async () => {
    const client = makeClient({ scopes: ['profile'] });
    expect((await errorOf(checkScope, ctx({ scope: 'openid' }, { client }))).error).toBe('invalid_scope');
  });

  it('is case-sensitive about registered scopes', async () => {
    expect((await errorOf(checkScope, ctx({ scope: 'openid Profile' }))).error).toBe('invalid_scope');
  });
});
