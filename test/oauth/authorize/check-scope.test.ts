import { describe, expect, it } from 'vitest';
import { makeClient, ctx, errorOf } from './check-test-helpers.js';

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

describe('checkScope: API scopes no longer available (spec §15.4)', () => {
  it('refused scopes → invalid_scope naming each scope and reason; the registry is asked about the requested scopes', async () => {
    const client = makeClient({ scopes: ['openid', 'profile', 'api:a', 'api:b'] });
    const asked: string[][] = [];
    const deps = { ...ctx('scope=openid').deps, scopeRefusals: async (_c: unknown, s: readonly string[]) => { asked.push([...s]); return [{ scope: 'api:b', reason: 'is not active' }]; } };
    const e = await errorOf(checkScope, ctx({ scope: 'openid api:a api:b' }, { client, deps }));
    expect(e.error).toBe('invalid_scope');
    expect(e.description).toBe('scope not available to this client: api:b (is not active)');
    expect(asked).toEqual([['openid', 'api:a', 'api:b']]);
  });

  it('no refusals → accepted', async () => {
    const client = makeClient({ scopes: ['openid', 'api:a'] });
    const c = ctx({ scope: 'openid api:a' }, { client, deps: { ...ctx('scope=openid').deps, scopeRefusals: async () => [] } });
    await checkScope(c);
    expect(c.req.scope).toEqual(['openid', 'api:a']);
  });
});
