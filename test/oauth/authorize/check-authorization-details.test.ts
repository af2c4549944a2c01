import { describe, expect, it } from 'vitest';
import { ctx, errorOf } from './check-test-helpers.js';

import { checkAuthorizationDetails } from '../../../src/oauth/authorize/check-authorization-details.js';

const RES = 'ansattporten:altinn:resource';

describe('checkAuthorizationDetails', () => {
  it('records nothing when absent or empty', async () => {
    for (const q of [{}, { authorization_details: '' }]) {
      const c = ctx(q);
      await checkAuthorizationDetails(c);
      expect(c.req.authorizationDetails).toBeUndefined();
      expect(Object.keys(c.req)).not.toContain('authorizationDetailsRaw');
    }
  });

  it('records the normalised request and no raw copy of the JSON (a login in progress stays compact)', async () => {
    const raw = JSON.stringify([{ type: RES, resource: 'urn:altinn:resource:eksempel-tjeneste', actions: 'read', representation_is_required: 'true' }]);
    const c = ctx({ authorization_details: raw });
    await checkAuthorizationDetails(c);
    expect(Object.keys(c.req)).not.toContain('authorizationDetailsRaw');
    expect(JSON.stringify(c.req)).not.toContain(raw);
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
      expect(Object.keys(c.req)).not.toContain('authorizationDetailsRaw');
    });
  }
});
