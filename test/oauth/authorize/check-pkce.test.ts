import { describe, expect, it } from 'vitest';
import { makeClient, ctx, errorOf } from './check-test-helpers.js';

import { checkPkce } from '../../../src/oauth/authorize/check-pkce.js';

// spec §7.2 test vector: verifier oQEG5SwL-… → this challenge
const CHALLENGE = 'YhKJpC67w6qB2KupfDuKocVarvxL8vb9WSmSB6-p-Zc';
const DOWNGRADED = makeClient({ code_challenge_method: 'none' });

describe('checkPkce: S256 clients', () => {
  it('accepts an S256 challenge and records it', async () => {
    const c = ctx({ code_challenge: CHALLENGE, code_challenge_method: 'S256' });
    await checkPkce(c);
    expect(c.req.codeChallenge).toBe(CHALLENGE);
  });

  it('requires a code_challenge', async () => {
    for (const q of [{}, { code_challenge_method: 'S256' }, { code_challenge: '', code_challenge_method: 'S256' }]) {
      const c = ctx(q);
      const e = await errorOf(checkPkce, c);
      expect(e.error).toBe('invalid_request');
      expect(e.delivery).toBe('redirect');
      expect(e.description).toMatch(/code_challenge/);
      expect(c.req.codeChallenge).toBeUndefined();
    }
  });

  it('requires code_challenge_method=S256 (absent, plain and other spellings are refused)', async () => {
    for (const q of [{ code_challenge: CHALLENGE }, ...['plain', 's256', 'S384', '', 'S256 '].map((m) => ({ code_challenge: CHALLENGE, code_challenge_method: m }))]) {
      const c = ctx(q);
      const e = await errorOf(checkPkce, c);
      expect(e.error).toBe('invalid_request');
      expect(e.description).toMatch(/S256/);
      expect(c.req.codeChallenge).toBeUndefined();
    }
  });

  const bad = {
    'padded with =': `${CHALLENGE}=`,
    'one character short (42)': CHALLENGE.slice(0, 42),
    'one character long (44)': `${CHALLENGE}A`,
    'standard base64 characters + and /': `${CHALLENGE.slice(0, 41)}+/`,
    'a plain verifier (too long)': 'oQEG5SwL-dQlUL2ZkteJV8v0Fxz9z6j4Y1Q_86gEq78x',
    'a dot': `${CHALLENGE.slice(0, 42)}.`,
    'a space': `${CHALLENGE.slice(0, 42)} `,
  };
  for (const [what, challenge] of Object.entries(bad)) {
    it(`refuses a challenge with ${what}`, async () => {
      const c = ctx({ code_challenge: challenge, code_challenge_method: 'S256' });
      const e = await errorOf(checkPkce, c);
      expect(e.error).toBe('invalid_request');
      expect(c.req.codeChallenge).toBeUndefined();
    });
  }

  it('accepts every base64url character', async () => {
    const challenge = `${'AZaz09-_'.repeat(5)}abc`;
    expect(challenge).toHaveLength(43);
    const c = ctx({ code_challenge: challenge, code_challenge_method: 'S256' });
    await checkPkce(c);
    expect(c.req.codeChallenge).toBe(challenge);
  });
});

describe('checkPkce: down-graded clients (code_challenge_method none)', () => {
  it('lets a request without PKCE through, recording no challenge', async () => {
    for (const q of [{}, { code_challenge: '' }]) {
      const c = ctx(q, { client: DOWNGRADED });
      await checkPkce(c);
      expect(c.req.codeChallenge).toBeUndefined();
    }
  });

  it('still validates a challenge that is sent', async () => {
    const c = ctx({ code_challenge: CHALLENGE, code_challenge_method: 'S256' }, { client: DOWNGRADED });
    await checkPkce(c);
    expect(c.req.codeChallenge).toBe(CHALLENGE);
    expect((await errorOf(checkPkce, ctx({ code_challenge: CHALLENGE, code_challenge_method: 'plain' }, { client: DOWNGRADED }))).error).toBe('invalid_request');
    expect((await errorOf(checkPkce, ctx({ code_challenge: 'short', code_challenge_method: 'S256' }, { client: DOWNGRADED }))).error).toBe('invalid_request');
  });
});
