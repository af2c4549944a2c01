import { describe, expect, it } from 'vitest';
import { ctx, errorOf } from './check-test-helpers.js';

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
