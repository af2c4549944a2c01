import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createHash, randomBytes } from 'node:crypto';
import { Browser, loginWithTestId, secretOf, startServer, webClient, type TestServer } from './harness.js';

describe('failed client authentications are limited per client and address', () => {
  let server: TestServer;
  const clock = new ManualClock();
  beforeAll(async () => {
    server = await startServer({ clock, clients: [webClient('limited'), webClient('bystander'), webClient('coder')], config: { rate_limits: { client_auth_failures: 3, window_seconds: 60 }, lifetimes: { code_seconds: 600 } } });
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

  it('at the code grant the limit is applied where the code is taken: past it the right secret gets 429 and the code stays, redeemable once the window ends', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const auth = new URL(`${server.issuer}/authorize`);
    for (const [k, v] of Object.entries({
      client_id: 'coder', response_type: 'code', redirect_uri: 'https://coder.example.test/callback', scope: 'openid', state: 'st-limit', nonce: 'no-limit',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
    })) auth.searchParams.set(k, v);
    const done = await loginWithTestId(new Browser(server.issuer), auth.href);
    const code = new URL(done.location!).searchParams.get('code')!;
    const redeem = (secret: string) => fetch(`${server.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`coder:${secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'https://coder.example.test/callback', code_verifier: verifier }),
    });
    for (let i = 0; i < 3; i++) expect((await redeem('wrong-secret-wrong-secret')).status).toBe(401);
    // past the limit: a wrong secret and the right one both get 429, and the code is not used up
    const wrong = await redeem('wrong-secret-wrong-secret');
    expect(wrong.status).toBe(429);
    expect(wrong.headers.get('retry-after')).toBe('60');
    const right = await redeem(secretOf('coder'));
    expect(right.status).toBe(429);
    expect(await right.json()).toMatchObject({ error: 'invalid_client' });
    // Requests that fail before the code is taken answer 429 too: the right secret must not show
    // itself by a different error (no code, a bad DPoP proof, an over-long code).
    const basic = `Basic ${Buffer.from(`coder:${secretOf('coder')}`).toString('base64')}`;
    const early = (form: Record<string, string>, headers: Record<string, string> = {}) => fetch(`${server.issuer}/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic, ...headers }, body: new URLSearchParams(form),
    });
    expect((await early({ grant_type: 'authorization_code', redirect_uri: 'https://coder.example.test/callback' })).status).toBe(429);
    expect((await early({ grant_type: 'authorization_code', code, redirect_uri: 'https://coder.example.test/callback', code_verifier: verifier }, { dpop: 'not-a-proof' })).status).toBe(429);
    expect((await early({ grant_type: 'authorization_code', code: 'x'.repeat(201), redirect_uri: 'https://coder.example.test/callback', code_verifier: verifier })).status).toBe(429);
    clock.advance(61_000);
    const after = await redeem(secretOf('coder'));
    expect(after.status).toBe(200);
    expect(await after.json()).toHaveProperty('id_token');
    // once: the code is gone now
    expect((await redeem(secretOf('coder'))).status).toBe(400);
  });
});
