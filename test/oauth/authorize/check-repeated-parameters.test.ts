import { describe, expect, it } from 'vitest';
import { ctx, errorOf } from './check-test-helpers.js';

import { MAX_PARAM_LENGTH } from '../../../src/oauth/authorize/authorization-request.js';
import { checkRepeatedParameters } from '../../../src/oauth/authorize/check-repeated-parameters.js';

const BASE = 'client_id=client-a&response_type=code&scope=openid&state=s&nonce=n';

describe('checkRepeatedParameters: repeats', () => {
  it('passes a request without repeats and changes nothing', async () => {
    const c = ctx(BASE);
    await checkRepeatedParameters(c);
    expect(c.req).toEqual({});
  });

  for (const name of ['scope', 'state', 'nonce', 'response_type', 'code_challenge', 'acr_values', 'prompt', 'resource', 'authorization_details', 'unknown_extension']) {
    it(`refuses a repeated ${name}, naming it`, async () => {
      const e = await errorOf(checkRepeatedParameters, ctx(`${BASE}&${name}=x&${name}=y`));
      expect(e.error).toBe('invalid_request');
      expect(e.delivery).toBe('redirect');
      expect(e.description).toContain(name);
    });
  }

  it('refuses repeats even when the values are identical or empty', async () => {
    for (const q of ['scope=openid&scope=openid', 'foo=&foo=']) {
      expect((await errorOf(checkRepeatedParameters, ctx(q))).error).toBe('invalid_request');
    }
  });

  it('names every repeated parameter', async () => {
    const e = await errorOf(checkRepeatedParameters, ctx('a=1&b=1&a=2&b=2&c=1'));
    expect(e.description).toContain('a');
    expect(e.description).toContain('b');
    expect(e.description).not.toMatch(/\bc\b/);
  });
});

describe('checkRepeatedParameters: lengths', () => {
  it('accepts a value of exactly the limit and refuses one character more', async () => {
    await checkRepeatedParameters(ctx({ state: 'x'.repeat(MAX_PARAM_LENGTH) }));
    const e = await errorOf(checkRepeatedParameters, ctx({ state: 'x'.repeat(MAX_PARAM_LENGTH + 1) }));
    expect(e.error).toBe('invalid_request');
    expect(e.description).toContain('state');
    expect(e.description).toMatch(/too long/);
  });

  it('applies the limit to unknown parameters too', async () => {
    const e = await errorOf(checkRepeatedParameters, ctx({ whatever: 'x'.repeat(MAX_PARAM_LENGTH + 1) }));
    expect(e.description).toContain('whatever');
  });

  it('gives authorization_details a larger limit of 20480', async () => {
    await checkRepeatedParameters(ctx({ authorization_details: 'x'.repeat(20_480) }));
    const e = await errorOf(checkRepeatedParameters, ctx({ authorization_details: 'x'.repeat(20_481) }));
    expect(e.description).toContain('authorization_details');
  });

  it('the limit is 4096', () => {
    expect(MAX_PARAM_LENGTH).toBe(4096);
  });
});
