import { describe, expect, it, vi } from 'vitest';
import { CLIENT_DEFAULTS, type Client } from '../../../src/clients/client-types.js';
import { OAuthError } from '../../../src/core/oauth-error.js';
import { Params } from '../../../src/core/params.js';
import type { Acr, Check, PipelineContext, PipelineDeps } from '../../../src/oauth/authorize/authorization-request.js';
import { checkClient } from '../../../src/oauth/authorize/check-client.js';

function makeClient(over: Partial<Client> = {}): Client {
  return {
    ...CLIENT_DEFAULTS, grant_types: ['authorization_code'], scopes: ['openid', 'profile'],
    client_id: 'client-a', client_name: 'Client A', description: 'test', client_orgno: '310900001',
    redirect_uris: ['https://a.example.test/callback'], post_logout_redirect_uris: [],
    active: true, created: '2025-01-01T00:00:00.000Z', last_updated: '2025-01-01T00:00:00.000Z', ...over,
  };
}

function setup(clients: Client[]) {
  const getClient = vi.fn(async (id: string) => clients.find((c) => c.client_id === id));
  const deps: PipelineDeps = { getClient, requireStateAndNonce: true, supportedAcr: new Set<Acr>(['substantial', 'high']) };
  const ctx = (q: string, over: Partial<PipelineContext> = {}): PipelineContext => ({
    params: Params.fromSearchParams(new URLSearchParams(q)), deps, mode: 'authorize', responseMode: 'query', req: {}, ...over,
  });
  return { getClient, ctx };
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

describe('checkClient', () => {
  it('resolves a known, active client and records it', async () => {
    const a = makeClient();
    const { ctx, getClient } = setup([a, makeClient({ client_id: 'client-b' })]);
    const c = ctx('client_id=client-a');
    await checkClient(c);
    expect(getClient).toHaveBeenCalledWith('client-a');
    expect(c.client).toBe(a);
    expect(c.req.clientId).toBe('client-a');
  });

  it('shows an error page (no redirect) for an unknown client', async () => {
    const { ctx } = setup([makeClient()]);
    const c = ctx('client_id=nobody&redirect_uri=https%3A%2F%2Fa.example.test%2Fcallback&state=s');
    const e = await errorOf(checkClient, c);
    expect(e.error).toBe('invalid_client');
    expect(e.delivery).toBe('page');
    expect(c.client).toBeUndefined();
    expect(c.req.clientId).toBeUndefined();
  });

  it('shows an error page for a deactivated client even when the lookup returns it', async () => {
    const { ctx } = setup([makeClient({ active: false })]);
    const c = ctx('client_id=client-a');
    const e = await errorOf(checkClient, c);
    expect(e.error).toBe('invalid_client');
    expect(e.delivery).toBe('page');
    expect(c.client).toBeUndefined();
  });

  it('shows an error page when client_id is missing or empty, without a lookup', async () => {
    const { ctx, getClient } = setup([makeClient()]);
    for (const q of ['', 'client_id=', 'redirect_uri=https%3A%2F%2Fa.example.test%2Fcallback']) {
      const e = await errorOf(checkClient, ctx(q));
      expect(e.error).toBe('invalid_request');
      expect(e.delivery).toBe('page');
      expect(e.description).toMatch(/client_id/);
    }
    expect(getClient).not.toHaveBeenCalled();
  });

  it('shows an error page when client_id is repeated, even with the same value', async () => {
    const { ctx, getClient } = setup([makeClient(), makeClient({ client_id: 'client-b' })]);
    for (const q of ['client_id=client-a&client_id=client-a', 'client_id=client-a&client_id=client-b']) {
      const e = await errorOf(checkClient, ctx(q));
      expect(e.error).toBe('invalid_request');
      expect(e.delivery).toBe('page');
      expect(e.description).toMatch(/repeated/);
    }
    expect(getClient).not.toHaveBeenCalled();
  });

  it('is exact about the client_id (no case folding or trimming)', async () => {
    const { ctx } = setup([makeClient()]);
    for (const id of ['CLIENT-A', 'client-a ', ' client-a', 'client-']) {
      const e = await errorOf(checkClient, ctx(new URLSearchParams({ client_id: id }).toString()));
      expect(e.error).toBe('invalid_client');
      expect(e.delivery).toBe('page');
    }
  });

  it('does nothing in par mode: the client authenticated at /par', async () => {
    const a = makeClient();
    const { ctx, getClient } = setup([]);
    const c = ctx('', { mode: 'par', client: a, req: { clientId: 'client-a' } });
    await checkClient(c);
    expect(getClient).not.toHaveBeenCalled();
    expect(c.client).toBe(a);
    expect(c.req.clientId).toBe('client-a');
  });
});
