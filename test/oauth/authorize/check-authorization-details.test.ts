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
import { checkAuthorizationDetails } from '../../../src/oauth/authorize/check-authorization-details.js';

const RES = 'ansattporten:altinn:resource';

describe('checkAuthorizationDetails', () => {
  it('records nothing when absent or empty', async () => {
    for (const q of [{}, { authorization_details: '' }]) {
      const c = ctx(q);
      await checkAuthorizationDetails(c);
      expect(c.req.authorizationDetails).toBeUndefined();
      expect(c.req.authorizationDetailsRaw).toBeUndefined();
    }
  });

  it('records the normalised request and keeps the raw JSON', async () => {
    const raw = JSON.stringify([{ type: RES, resource: 'urn:altinn:resource:eksempel-tjeneste', actions: 'read', representation_is_required: 'true' }]);
    const c = ctx({ authorization_details: raw });
    await checkAuthorizationDetails(c);
    expect(c.req.authorizationDetailsRaw).toBe(raw);
    expect(c.req.authorizationDetails).toEqual({
      type: RES,
      items: [{ resource: 'urn:altinn:resource:eksempel-tjeneste', resourceId: 'eksempel-tjeneste', actions: ['read'], allowDeleted: false }],
      representationRequired: true,
      allowMultiple: false,
    });
  });

  it('accepts the ansattporten:orgno type', async () => {
    const c = ctx({ authorization_details: '[{"type":"ansattporten:orgno"}]' });
    await checkAuthorizationDetails(c);
    expect(c.req.authorizationDetails?.type).toBe('ansattporten:orgno');
  });

  const bad = {
    'not JSON': '[{"type":',
    'an object instead of an array': JSON.stringify({ type: RES, resource: 'urn:altinn:resource:x' }),
    'an empty array': '[]',
    'an unknown type': JSON.stringify([{ type: 'ansattporten:entra' }]),
    'mixed types': JSON.stringify([{ type: RES, resource: 'urn:altinn:resource:x' }, { type: 'ansattporten:orgno' }]),
    'a missing resource': JSON.stringify([{ type: RES }]),
    'a non-object element': '["x"]',
  };
  for (const [what, raw] of Object.entries(bad)) {
    it(`refuses ${what} with a redirect error, recording nothing`, async () => {
      const c = ctx({ authorization_details: raw });
      const e = await errorOf(checkAuthorizationDetails, c);
      expect(e.error).toBe('invalid_authorization_details');
      expect(e.delivery).toBe('redirect');
      expect(c.req.authorizationDetails).toBeUndefined();
      expect(c.req.authorizationDetailsRaw).toBeUndefined();
    });
  }
});
