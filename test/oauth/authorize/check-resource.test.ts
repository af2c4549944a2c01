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
import { checkResource } from '../../../src/oauth/authorize/check-resource.js';

describe('checkResource', () => {
  it('records nothing when absent or empty', async () => {
    for (const q of [{}, { resource: '' }]) {
      const c = ctx(q);
      await checkResource(c);
      expect(c.req.resource).toBeUndefined();
    }
  });

  for (const r of ['https://api.example.no', 'https://api.example.no/v1/things?x=1', 'urn:altinn:resource:eksempel', 'http://localhost:8080/api']) {
    it(`accepts the absolute URI ${r}`, async () => {
      const c = ctx({ resource: r });
      await checkResource(c);
      expect(c.req.resource).toBe(r);
    });
  }

  for (const r of ['/api', 'api.example.no', 'api', '//api.example.no/x', 'https://api.example.no/#frag', 'https://api.example.no/#', 'https://', '1http://x']) {
    it(`refuses ${JSON.stringify(r)} with invalid_target`, async () => {
      const c = ctx({ resource: r });
      const e = await errorOf(checkResource, c);
      expect(e.error).toBe('invalid_target');
      expect(e.delivery).toBe('redirect');
      expect(c.req.resource).toBeUndefined();
    });
  }
});
