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
import { checkStateAndNonce } from '../../../src/oauth/authorize/check-state-nonce.js';

const REQUIRE = { ...DEPS, requireStateAndNonce: true };
const OPTIONAL = { ...DEPS, requireStateAndNonce: false };

describe('checkStateAndNonce: policy require (default)', () => {
  it('records state and nonce', async () => {
    const c = ctx({ state: 'st', nonce: 'nn' }, { deps: REQUIRE });
    await checkStateAndNonce(c);
    expect(c.req.state).toBe('st');
    expect(c.req.nonce).toBe('nn');
  });

  it('refuses a missing or empty state', async () => {
    for (const q of [{ nonce: 'nn' }, { state: '', nonce: 'nn' }]) {
      const e = await errorOf(checkStateAndNonce, ctx(q, { deps: REQUIRE }));
      expect(e.error).toBe('invalid_request');
      expect(e.delivery).toBe('redirect');
      expect(e.description).toMatch(/state/);
    }
  });

  it('refuses a missing or empty nonce', async () => {
    for (const q of [{ state: 'st' }, { state: 'st', nonce: '' }]) {
      const c = ctx(q, { deps: REQUIRE });
      const e = await errorOf(checkStateAndNonce, c);
      expect(e.error).toBe('invalid_request');
      expect(e.description).toMatch(/nonce/);
      expect(c.req.nonce).toBeUndefined();
    }
  });
});

describe('checkStateAndNonce: policy optional', () => {
  it('lets a request without state and nonce through', async () => {
    const c = ctx({}, { deps: OPTIONAL });
    await checkStateAndNonce(c);
    expect('state' in c.req).toBe(false);
    expect('nonce' in c.req).toBe(false);
  });

  it('still records state and nonce when sent', async () => {
    const c = ctx({ state: 'st', nonce: 'nn' }, { deps: OPTIONAL });
    await checkStateAndNonce(c);
    expect(c.req).toMatchObject({ state: 'st', nonce: 'nn' });
  });

  it('records one without the other', async () => {
    const c = ctx({ nonce: 'nn' }, { deps: OPTIONAL });
    await checkStateAndNonce(c);
    expect(c.req.nonce).toBe('nn');
    expect(c.req.state).toBeUndefined();
  });
});
