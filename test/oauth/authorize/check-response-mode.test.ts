import { describe, expect, it } from 'vitest';
import { ctx, errorOf } from './check-test-helpers.js';

import { checkResponseMode } from '../../../src/oauth/authorize/check-response-mode.js';

describe('checkResponseMode', () => {
  it('defaults to query when absent', async () => {
    const c = ctx({});
    await checkResponseMode(c);
    expect(c.responseMode).toBe('query');
    expect(c.req.responseMode).toBe('query');
  });

  it('treats an empty response_mode as absent (RFC 6749 §3.1)', async () => {
    const c = ctx('response_mode=');
    await checkResponseMode(c);
    expect(c.req.responseMode).toBe('query');
  });

  it('accepts query', async () => {
    const c = ctx({ response_mode: 'query' }, { responseMode: 'form_post' });
    await checkResponseMode(c);
    expect(c.responseMode).toBe('query');
    expect(c.req.responseMode).toBe('query');
  });

  it('accepts form_post and uses it for the context (later errors go back by form_post)', async () => {
    const c = ctx({ response_mode: 'form_post' });
    await checkResponseMode(c);
    expect(c.responseMode).toBe('form_post');
    expect(c.req.responseMode).toBe('form_post');
  });

  for (const [value, mode] of [['query.jwt', 'query.jwt'], ['form_post.jwt', 'form_post.jwt'], ['jwt', 'query.jwt']] as const) {
    it(`accepts the JARM mode ${value} as ${mode} (JARM §2.3; jwt = query.jwt for the code flow, §2.3.4)`, async () => {
      const c = ctx({ response_mode: value });
      await checkResponseMode(c);
      expect(c.responseMode).toBe(mode);
      expect(c.req.responseMode).toBe(mode);
    });
  }

  for (const mode of ['fragment', 'fragment.jwt', 'JWT', 'query.JWT', 'query.jwt ', '.jwt', 'FORM_POST', 'Query', 'form_post ', 'web_message']) {
    it(`refuses response_mode=${JSON.stringify(mode)} with a redirect error in query mode`, async () => {
      const c = ctx({ response_mode: mode });
      const e = await errorOf(checkResponseMode, c);
      expect(e.error).toBe('invalid_request');
      expect(e.delivery).toBe('redirect');
      expect(c.responseMode).toBe('query');
      expect(c.req.responseMode).toBeUndefined();
    });
  }

  it('refuses a repeated response_mode, even with equal values', async () => {
    for (const q of ['response_mode=query&response_mode=query', 'response_mode=form_post&response_mode=query']) {
      const c = ctx(q);
      const e = await errorOf(checkResponseMode, c);
      expect(e.error).toBe('invalid_request');
      expect(e.description).toMatch(/repeated/);
      expect(c.responseMode).toBe('query');
    }
  });
});
