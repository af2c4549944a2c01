import { describe, expect, it } from 'vitest';
import { ctx, errorOf } from './check-test-helpers.js';

import { checkRequestObject } from '../../../src/oauth/authorize/check-request-object.js';

describe('checkRequestObject', () => {
  it('passes a request without request or request_uri', async () => {
    await checkRequestObject(ctx({ scope: 'openid' }));
    await checkRequestObject(ctx({ scope: 'openid' }, { mode: 'par' }));
  });

  it('refuses a request object by value with request_not_supported (authorize and par)', async () => {
    for (const mode of ['authorize', 'par'] as const) {
      for (const value of ['eyJhbGciOiJSUzI1NiJ9.e30.sig', '']) {
        const e = await errorOf(checkRequestObject, ctx({ request: value }, { mode }));
        expect(e.error).toBe('request_not_supported');
        expect(e.delivery).toBe('redirect');
      }
    }
  });

  it('refuses a request_uri pushed to /par', async () => {
    const e = await errorOf(checkRequestObject, ctx({ request_uri: 'urn:ansattporten:abc' }, { mode: 'par' }));
    expect(e.error).toBe('invalid_request');
    expect(e.description).toMatch(/request_uri/);
  });

  it('lets request_uri through at /authorize (it is resolved before the pipeline runs)', async () => {
    await checkRequestObject(ctx({ request_uri: 'urn:ansattporten:abc' }));
  });
});
