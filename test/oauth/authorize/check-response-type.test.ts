import { describe, expect, it } from 'vitest';
import { ctx, errorOf } from './check-test-helpers.js';

import { checkResponseType } from '../../../src/oauth/authorize/check-response-type.js';

describe('checkResponseType', () => {
  it('accepts code', async () => {
    const c = ctx({ response_type: 'code' });
    await checkResponseType(c);
    expect(c.req).toEqual({});
  });

  it('refuses a missing or empty response_type with invalid_request', async () => {
    for (const q of [{}, { response_type: '' }]) {
      const e = await errorOf(checkResponseType, ctx(q));
      expect(e.error).toBe('invalid_request');
      expect(e.delivery).toBe('redirect');
    }
  });

  for (const rt of ['token', 'id_token', 'code id_token', 'code token', 'id_token token', 'none', 'CODE', 'Code', 'code ', ' code']) {
    it(`refuses response_type=${JSON.stringify(rt)} with unsupported_response_type`, async () => {
      const e = await errorOf(checkResponseType, ctx({ response_type: rt }));
      expect(e.error).toBe('unsupported_response_type');
      expect(e.delivery).toBe('redirect');
      expect(e.status).toBe(400);
    });
  }
});
