import { describe, expect, it } from 'vitest';
import type { PipelineContext } from '../../../src/oauth/authorize/authorization-request.js';
import { makeClient, ctx, errorOf } from './check-test-helpers.js';

import { checkRedirectUri } from '../../../src/oauth/authorize/check-redirect-uri.js';

const CB = 'https://a.example.test/callback';
const fresh = (q: string | Record<string, string | undefined>, over: Partial<PipelineContext> = {}) => ctx(q, { redirectUri: undefined, ...over });

describe('checkRedirectUri: accepted', () => {
  it('accepts an exactly registered redirect_uri and records it with the state', async () => {
    const c = fresh({ redirect_uri: CB, state: 'st-1' });
    await checkRedirectUri(c);
    expect(c.redirectUri).toBe(CB);
    expect(c.req.redirectUri).toBe(CB);
    expect(c.state).toBe('st-1');
  });

  it('accepts any one of several registered URIs', async () => {
    const client = makeClient({ redirect_uris: [CB, 'https://a.example.test/other', 'http://localhost:8080/cb'] });
    for (const uri of client.redirect_uris) {
      const c = fresh({ redirect_uri: uri }, { client });
      await checkRedirectUri(c);
      expect(c.redirectUri).toBe(uri);
    }
  });

  it('records no state when none is given', async () => {
    const c = fresh({ redirect_uri: CB });
    await checkRedirectUri(c);
    expect(c.state).toBeUndefined();
  });

  it('does not record a repeated state (it would be ambiguous which one to return)', async () => {
    const c = fresh(`redirect_uri=${encodeURIComponent(CB)}&state=a&state=b`);
    await checkRedirectUri(c);
    expect(c.redirectUri).toBe(CB);
    expect(c.state).toBeUndefined();
  });

  it('keeps the state exactly as given (no trimming or decoding beyond the query string)', async () => {
    const c = fresh({ redirect_uri: CB, state: ' a+b%20c/ø ' });
    await checkRedirectUri(c);
    expect(c.state).toBe(' a+b%20c/ø ');
  });
});

describe('checkRedirectUri: refused with an error page', () => {
  const near = [
    'https://a.example.test/callback/',
    'https://a.example.test/callback?x=1',
    'https://a.example.test/callback#frag',
    'https://A.example.test/callback',
    'https://a.example.test/Callback',
    'http://a.example.test/callback',
    'https://a.example.test:443/callback',
    'https://a.example.test/callbac',
    'https://a.example.test/callback2',
    'https://evil.example/callback',
    ' https://a.example.test/callback',
  ];
  for (const uri of near) {
    it(`refuses the unregistered ${JSON.stringify(uri)}`, async () => {
      const c = fresh({ redirect_uri: uri, state: 's' });
      const e = await errorOf(checkRedirectUri, c);
      expect(e.error).toBe('invalid_request');
      expect(e.delivery).toBe('page');
      expect(c.redirectUri).toBeUndefined();
      expect(c.req.redirectUri).toBeUndefined();
      expect(c.state).toBeUndefined();
    });
  }

  it('refuses a missing or empty redirect_uri', async () => {
    for (const q of [{ state: 's' }, { redirect_uri: '' }]) {
      const c = fresh(q);
      const e = await errorOf(checkRedirectUri, c);
      expect(e.error).toBe('invalid_request');
      expect(e.delivery).toBe('page');
      expect(e.description).toMatch(/missing/);
      expect(c.redirectUri).toBeUndefined();
    }
  });

  it('refuses a repeated redirect_uri, even when both values are registered or equal', async () => {
    const client = makeClient({ redirect_uris: [CB, 'https://a.example.test/other'] });
    for (const second of [CB, 'https://a.example.test/other']) {
      const c = fresh(`redirect_uri=${encodeURIComponent(CB)}&redirect_uri=${encodeURIComponent(second)}&state=s`, { client });
      const e = await errorOf(checkRedirectUri, c);
      expect(e.error).toBe('invalid_request');
      expect(e.delivery).toBe('page');
      expect(e.description).toMatch(/repeated/);
      expect(c.redirectUri).toBeUndefined();
    }
  });

  it('does not accept a URI registered on another client', async () => {
    const c = fresh({ redirect_uri: 'https://b.example.test/callback' }, { client: makeClient() });
    expect((await errorOf(checkRedirectUri, c)).delivery).toBe('page');
  });
});

describe('checkRedirectUri: par mode', () => {
  it('answers with JSON errors instead of a page', async () => {
    for (const q of ['', 'redirect_uri=https%3A%2F%2Fevil.example%2F', `redirect_uri=${encodeURIComponent(CB)}&redirect_uri=${encodeURIComponent(CB)}`]) {
      const e = await errorOf(checkRedirectUri, fresh(q, { mode: 'par' }));
      expect(e.error).toBe('invalid_request');
      expect(e.delivery).toBe('json');
    }
  });

  it('accepts a registered URI', async () => {
    const c = fresh({ redirect_uri: CB }, { mode: 'par' });
    await checkRedirectUri(c);
    expect(c.req.redirectUri).toBe(CB);
  });
});

describe('checkRedirectUri: loopback redirect URIs of native clients (RFC 8252 §7.3)', () => {
  const native = makeClient({ application_type: 'native', token_endpoint_auth_method: 'none', redirect_uris: ['http://127.0.0.1/cb', 'http://[::1]:8080/cb', 'http://localhost/cb'] });

  it.each(['http://127.0.0.1:51234/cb', 'http://127.0.0.1/cb', 'http://[::1]:40000/cb', 'http://[::1]/cb'])(
    'accepts %s on any port and records it with its port', async (uri) => {
      const c = fresh({ redirect_uri: uri, state: 's' }, { client: native });
      await checkRedirectUri(c);
      expect(c.redirectUri).toBe(uri);
      expect(c.req.redirectUri).toBe(uri);
      expect(c.state).toBe('s');
    });

  it.each([
    'http://localhost:8080/cb', // localhost is not a loopback IP literal (RFC 8252 §8.3)
    'http://127.0.0.1:51234/cb2',
    'http://127.0.0.1:51234/cb/',
    'http://127.0.0.1:51234/cb?x=1',
    'http://127.0.0.2:51234/cb',
    'https://127.0.0.1:51234/cb',
    'http://127.0.0.1:51234@evil.example/cb',
  ])('refuses %s with an error page', async (uri) => {
    const c = fresh({ redirect_uri: uri, state: 's' }, { client: native });
    const e = await errorOf(checkRedirectUri, c);
    expect(e.error).toBe('invalid_request');
    expect(e.delivery).toBe('page');
    expect(c.redirectUri).toBeUndefined();
  });

  it('keeps exact matching for the same loopback URI registered by a web client', async () => {
    const web = makeClient({ redirect_uris: ['http://127.0.0.1/cb'] });
    await checkRedirectUri(fresh({ redirect_uri: 'http://127.0.0.1/cb' }, { client: web }));
    const e = await errorOf(checkRedirectUri, fresh({ redirect_uri: 'http://127.0.0.1:51234/cb' }, { client: web }));
    expect(e.delivery).toBe('page');
  });
});
