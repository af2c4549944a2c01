import { describe, expect, it } from 'vitest';
import { ctx, errorOf } from './check-test-helpers.js';

import { checkPrompt } from '../../../src/oauth/authorize/check-prompt.js';

describe('checkPrompt: prompt', () => {
  it('records no prompt when absent or empty', async () => {
    for (const q of [{}, { prompt: '' }]) {
      const c = ctx(q);
      await checkPrompt(c);
      expect(c.req.prompt).toEqual({ none: false, login: false });
      expect(c.req.maxAge).toBeUndefined();
    }
  });

  it('records login', async () => {
    const c = ctx({ prompt: 'login' });
    await checkPrompt(c);
    expect(c.req.prompt).toEqual({ none: false, login: true });
  });

  it('records none', async () => {
    const c = ctx({ prompt: 'none' });
    await checkPrompt(c);
    expect(c.req.prompt).toEqual({ none: true, login: false });
  });

  it('accepts consent, alone or with login', async () => {
    const c1 = ctx({ prompt: 'consent' });
    await checkPrompt(c1);
    expect(c1.req.prompt).toEqual({ none: false, login: false });
    const c2 = ctx({ prompt: 'consent  login' });
    await checkPrompt(c2);
    expect(c2.req.prompt).toEqual({ none: false, login: true });
  });

  it('refuses none combined with another value', async () => {
    for (const p of ['none login', 'login none', 'none consent']) {
      const c = ctx({ prompt: p });
      const e = await errorOf(checkPrompt, c);
      expect(e.error).toBe('invalid_request');
      expect(c.req.prompt).toBeUndefined();
    }
  });

  it('refuses unknown values', async () => {
    for (const p of ['select_account', 'LOGIN', 'login create']) {
      const e = await errorOf(checkPrompt, ctx({ prompt: p }));
      expect(e.error).toBe('invalid_request');
      expect(e.delivery).toBe('redirect');
    }
  });
});

describe('checkPrompt: max_age', () => {
  it('records a non-negative integer', async () => {
    for (const [raw, n] of [['0', 0], ['3600', 3600], ['999999999', 999_999_999]] as const) {
      const c = ctx({ max_age: raw });
      await checkPrompt(c);
      expect(c.req.maxAge).toBe(n);
    }
  });

  it('treats an empty max_age as absent (RFC 6749 §3.1)', async () => {
    const c = ctx('max_age=');
    await checkPrompt(c);
    expect(c.req.maxAge).toBeUndefined();
  });

  it('refuses anything else', async () => {
    for (const raw of ['-1', '1.5', '1e3', 'abc', ' 10', '0x10', '1234567890', '+5']) {
      const c = ctx({ max_age: raw });
      const e = await errorOf(checkPrompt, c);
      expect(e.error).toBe('invalid_request');
      expect(e.description).toMatch(/max_age/);
      expect(c.req.maxAge).toBeUndefined();
    }
  });
});
