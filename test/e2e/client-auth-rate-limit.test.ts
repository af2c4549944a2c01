import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { secretOf, startServer, webClient, type TestServer } from './harness.js';

describe('failed client authentications are limited per client and address', () => {
  let server: TestServer;
  const clock = new ManualClock();
  beforeAll(async () => {
    server = await startServer({ clock, clients: [webClient('limited'), webClient('bystander')], config: { rate_limits: { client_auth_failures: 3, window_seconds: 60 } } });
  });
  afterAll(async () => server?.close());

  const token = (id: string, secret: string) => fetch(`${server.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x' }),
  });

  it('answers 429 with Retry-After after the limit, even for the right secret, until the window ends', async () => {
    for (let i = 0; i < 3; i++) expect((await token('limited', 'wrong-secret-wrong-secret')).status).toBe(401);
    const limited = await token('limited', secretOf('limited'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(await limited.json()).toMatchObject({ error: 'invalid_client' });
    // another client is not affected
    expect((await token('bystander', secretOf('bystander'))).status).toBe(400); // authenticated; the bogus refresh token is invalid_grant
    clock.advance(61_000);
    const after = await token('limited', secretOf('limited'));
    expect(after.status).toBe(400);
    expect((await after.json()).error).toBe('invalid_grant');
  });
});
