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
import { checkPrompt } from '../../../src/oauth/authorize/check-prompt.js';

describe('checkPrompt: prompt', () => {
  it('records no prompt when absent or empty', async () => {
    for (const q of [{}, { prompt: '' }]) {
      const c = ctx(q);
      await checkPrompt(c);
      expect(c.req.prompt).toEqual({ none: false, login: false });
      expect(c.req.maxAge).toBeUndefined();
    }
  });

  it('records login', async () => {
    const c = ctx({ prompt: 'login' });
    await checkPrompt(c);
    expect(c.req.prompt).toEqual({ none: false, login: true });
  });

  it('records none', async () => {
    const c = ctx({ prompt: 'none' });
    await checkPrompt(c);
    expect(c.req.prompt).toEqual({ none: true, login: false });
  });

  it('accepts consent, alone or with login', async () => {
    const c1 = ctx({ prompt: 'consent' });
    await checkPrompt(c1);
    expect(c1.req.prompt).toEqual({ none: false, login: false });
    const c2 = ctx({ prompt: 'consent  login' });
    await checkPrompt(c2);
    expect(c2.req.prompt).toEqual({ none: false, login: true });
  });

  it('refuses none combined with another value', async () => {
    for (const p of ['none login', 'login none', 'none consent']) {
      const c = ctx({ prompt: p });
      const e = await errorOf(checkPrompt, c);
      expect(e.error).toBe('invalid_request');
      expect(c.req.prompt).toBeUndefined();
    }
  });

  it('refuses unknown values', async () => {
    for (const p of ['select_account', 'LOGIN', 'login create']) {
      const e = await errorOf(checkPrompt, ctx({ prompt: p }));
      expect(e.error).toBe('invalid_request');
      expect(e.delivery).toBe('redirect');
    }
  });
});

describe('checkPrompt: max_age', () => {
  it('records a non-negative integer', async () => {
    for (const [raw, n] of [['0', 0], ['3600', 3600], ['999999999', 999_999_999]] as const) {
      const c = ctx({ max_age: raw });
      await checkPrompt(c);
      expect(c.req.maxAge).toBe(n);
    }
  });

  it('treats an empty max_age as absent (RFC 6749 §3.1)', async () => {
    const c = ctx('max_age=');
    await checkPrompt(c);
    expect(c.req.maxAge).toBeUndefined();
  });

  it('refuses anything else', async () => {
    for (const raw of ['-1', '1.5', '1e3', 'abc', ' 10', '0x10', '1234567890', '+5']) {
      const c = ctx({ max_age: raw });
      const e = await errorOf(checkPrompt, c);
      expect(e.error).toBe('invalid_request');
      expect(e.description).toMatch(/max_age/);
      expect(c.req.maxAge).toBeUndefined();
    }
  });
});
