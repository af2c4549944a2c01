/**
 * The client address comes from configured proxies only (trust_proxy). The failed-authentication
 * limit keys on that address, so a forged X-Forwarded-For neither escapes the limit nor locks a
 * client's real address out. The "proxy" here is the test itself on 127.0.0.1, appending the
 * sender's address the way nginx's $proxy_add_x_forwarded_for does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretOf, startServer, webClient, type TestServer } from './harness.js';

const LIMIT = { rate_limits: { client_auth_failures: 3, window_seconds: 60 } };

function tokenRequest(server: TestServer, id: string, secret: string, xff?: string): Promise<Response> {
  return fetch(`${server.issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
      ...(xff !== undefined ? { 'x-forwarded-for': xff } : {}),
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x' }),
  });
}

describe('trust_proxy off (the default): X-Forwarded-For is ignored', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startServer({ clients: [webClient('c1')], config: LIMIT }); });
  afterAll(async () => server?.close());

  it('a fresh forged X-Forwarded-For on every guess does not escape the limit', async () => {
    for (let i = 0; i < 3; i++) expect((await tokenRequest(server, 'c1', 'wrong-secret-wrong-secret', `198.51.100.${i + 1}`)).status).toBe(401);
    const next = await tokenRequest(server, 'c1', 'wrong-secret-wrong-secret', '198.51.100.99');
    expect(next.status).toBe(429);
    expect((await tokenRequest(server, 'c1', secretOf('c1'), '203.0.113.77')).status).toBe(429);
  });
});

for (const [label, trust] of [['a list of proxy addresses', ['127.0.0.1']], ['a hop count', 1]] as const) {
  describe(`trust_proxy as ${label}: the address is the one the trusted proxy saw`, () => {
    let server: TestServer;
    const ATTACKER = '198.51.100.7';
    const VICTIM = '203.0.113.5';
    beforeAll(async () => {
      server = await startServer({ clients: [webClient('c2')], config: { ...LIMIT, trust_proxy: trust as false | number | string[] } });
    });
    afterAll(async () => server?.close());

    it('an attacker forging the victim\'s address neither locks the victim out nor escapes the limit by rotating the forged entry', async () => {
      // the attacker sends "X-Forwarded-For: <victim>"; the proxy appends the attacker's real address
      for (let i = 0; i < 3; i++) expect((await tokenRequest(server, 'c2', 'wrong-secret-wrong-secret', `${VICTIM}, ${ATTACKER}`)).status).toBe(401);
      expect((await tokenRequest(server, 'c2', 'wrong-secret-wrong-secret', `${VICTIM}, ${ATTACKER}`)).status).toBe(429);
      // rotating the forged part does not help: the limit keys on the proxy-seen address
      for (let i = 0; i < 3; i++) expect((await tokenRequest(server, 'c2', secretOf('c2'), `192.0.2.${i + 10}, ${ATTACKER}`)).status).toBe(429);
      // the victim, coming through the proxy from its real address, still authenticates
      // (400 invalid_grant: authenticated, the refresh token is bogus)
      const victim = await tokenRequest(server, 'c2', secretOf('c2'), VICTIM);
      expect(victim.status).toBe(400);
      expect((await victim.json()).error).toBe('invalid_grant');
    });
  });
}

describe('trust_proxy naming another proxy: the loopback sender is not trusted', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startServer({ clients: [webClient('c3')], config: { ...LIMIT, trust_proxy: ['10.9.9.9'] } }); });
  afterAll(async () => server?.close());

  it('its forged X-Forwarded-For is ignored', async () => {
    for (let i = 0; i < 3; i++) expect((await tokenRequest(server, 'c3', 'wrong-secret-wrong-secret', `198.51.100.${i + 1}`)).status).toBe(401);
    expect((await tokenRequest(server, 'c3', secretOf('c3'), '198.51.100.50')).status).toBe(429);
  });
});
