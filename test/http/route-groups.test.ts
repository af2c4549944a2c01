/**
 * The route groups of src/app.ts: JSON endpoints answer every error as OAuth JSON, pages as an
 * error page; CORS only where a browser-based client needs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, webClient, type TestServer } from '../e2e/harness.js';

describe('route groups: JSON endpoints, CORS, pages', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ clients: [webClient('a')] });
  });
  afterAll(async () => server?.close());

  it('unknown paths under the JSON prefixes are JSON 404; elsewhere an HTML error page', async () => {
    for (const path of ['/.well-known/nothing', '/admin/api/nothing', '/health/nothing', '/token/nothing', '/userinfo/x']) {
      const res = await fetch(`${server.issuer}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toContain('application/json');
      expect((await res.json()).error, path).toBe('not_found');
    }
    for (const path of ['/nothing', '/login/nothing', '/authorizex']) {
      const res = await fetch(`${server.issuer}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toContain('text/html');
    }
  });

  it('a body too large is a JSON 413 at the token endpoint and an error page at a login form', async () => {
    const big = `grant_type=authorization_code&code=${'x'.repeat(70 * 1024)}`;
    const token = await fetch(`${server.issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: big });
    expect(token.status).toBe(413);
    expect((await token.json()).error).toBe('invalid_request');
    const page = await fetch(`${server.issuer}/login/select`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: big });
    expect(page.status).toBe(413);
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  it('CORS on discovery, JWKS, token, userinfo; a preflight answers there; none on /authorize, /par or the login pages', async () => {
    for (const path of ['/.well-known/openid-configuration', '/jwks.json']) {
      const res = await fetch(`${server.issuer}${path}`, { headers: { origin: 'https://spa.example' } });
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
    }
    for (const path of ['/token', '/userinfo', '/token/revoke']) {
      const pre = await fetch(`${server.issuer}${path}`, { method: 'OPTIONS', headers: { origin: 'https://spa.example', 'access-control-request-method': 'POST' } });
      expect(pre.status, path).toBe(204);
      expect(pre.headers.get('access-control-allow-origin'), path).toBe('*');
      expect(pre.headers.get('access-control-allow-headers'), path).toContain('DPoP');
    }
    for (const path of ['/authorize', '/par', '/login/select']) {
      const res = await fetch(`${server.issuer}${path}`, { headers: { origin: 'https://spa.example' } });
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
      const pre = await fetch(`${server.issuer}${path}`, { method: 'OPTIONS', headers: { origin: 'https://spa.example' } });
      expect(pre.headers.get('access-control-allow-origin'), path).toBeNull();
    }
  });
});
