import { describe, expect, it } from 'vitest';
import { DEPS, ctx, errorOf } from './check-test-helpers.js';

import { checkStateAndNonce } from '../../../src/oauth/authorize/check-state-nonce.js';

const REQUIRE = { ...DEPS, requireStateAndNonce: true };
const OPTIONAL = { ...DEPS, requireStateAndNonce: false };

describe('checkStateAndNonce: policy require (default)', () => {
  it('records state and nonce', async () => {
    const c = ctx({ state: 'st', nonce: 'nn' }, { deps: REQUIRE });
    await checkStateAndNonce(c);
    expect(c.req.state).toBe('st');
    expect(c.req.nonce).toBe('nn');
  });

  it('refuses a missing or empty state', async () => {
    for (const q of [{ nonce: 'nn' }, { state: '', nonce: 'nn' }]) {
      const e = await errorOf(checkStateAndNonce, ctx(q, { deps: REQUIRE }));
      expect(e.error).toBe('invalid_request');
      expect(e.delivery).toBe('redirect');
      expect(e.description).toMatch(/state/);
    }
  });

  it('refuses a missing or empty nonce', async () => {
    for (const q of [{ state: 'st' }, { state: 'st', nonce: '' }]) {
      const c = ctx(q, { deps: REQUIRE });
      const e = await errorOf(checkStateAndNonce, c);
      expect(e.error).toBe('invalid_request');
      expect(e.description).toMatch(/nonce/);
      expect(c.req.nonce).toBeUndefined();
    }
  });
});

describe('checkStateAndNonce: policy optional', () => {
  it('lets a request without state and nonce through', async () => {
    const c = ctx({}, { deps: OPTIONAL });
    await checkStateAndNonce(c);
    expect('state' in c.req).toBe(false);
    expect('nonce' in c.req).toBe(false);
  });

  it('still records state and nonce when sent', async () => {
    const c = ctx({ state: 'st', nonce: 'nn' }, { deps: OPTIONAL });
    await checkStateAndNonce(c);
    expect(c.req).toMatchObject({ state: 'st', nonce: 'nn' });
  });

  it('records one without the other', async () => {
    const c = ctx({ nonce: 'nn' }, { deps: OPTIONAL });
    await checkStateAndNonce(c);
    expect(c.req.nonce).toBe('nn');
    expect(c.req.state).toBeUndefined();
  });
});
