import { expect } from 'vitest';
import { CLIENT_DEFAULTS, type Client } from '../../../src/clients/client-types.js';
import { OAuthError } from '../../../src/core/oauth-error.js';
import { Params } from '../../../src/core/params.js';
import type { Acr, Check, PipelineContext, PipelineDeps } from '../../../src/oauth/authorize/authorization-request.js';

/** Shared fixtures of the authorization-check unit tests. */
export function makeClient(over: Partial<Client> = {}): Client {
  return {
    ...CLIENT_DEFAULTS, grant_types: ['authorization_code'], scopes: ['openid', 'profile'],
    client_id: 'client-a', client_name: 'Client A', description: 'test', client_orgno: '310900001',
    redirect_uris: ['https://a.example.test/callback'], post_logout_redirect_uris: [],
    active: true, created: '2025-01-01T00:00:00.000Z', last_updated: '2025-01-01T00:00:00.000Z', ...over,
  };
}

export const DEPS: PipelineDeps = {
  getClient: async () => undefined,
  requireStateAndNonce: true,
  supportedAcr: new Set<Acr>(['substantial', 'high', 'entraid']),
};

/** A context as the checks after client and redirect_uri see it. */
export function ctx(q: string | Record<string, string | undefined>, over: Partial<PipelineContext> = {}): PipelineContext {
  const sp = typeof q === 'string'
    ? new URLSearchParams(q)
    : new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined));
  return {
    params: Params.fromSearchParams(sp), deps: DEPS, mode: 'authorize', client: makeClient(),
    redirectUri: 'https://a.example.test/callback', responseMode: 'query', req: {}, ...over,
  };
}

export async function errorOf(check: Check, c: PipelineContext): Promise<OAuthError> {
  try {
    await check(c);
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    return e as OAuthError;
  }
  throw new Error('expected the check to fail');
}
