/**
 * Scope changes made through one instance apply to the next request on another (spec §15.4: the
 * registry is read from the shared store, no cache): two providers on one PostgreSQL (+ Redis).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, api } from '../admin/admin-helpers.js';
import { dropSchema, randomSchema } from '../store/pg-test-helpers.js';
import { freePort, startServer, webClient, type TestServer } from './harness.js';

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;

describe.skipIf(!DATABASE_URL || !REDIS_URL)('API scopes across instances (PostgreSQL + Redis)', () => {
  const schema = randomSchema();
  const servers: TestServer[] = [];
  /** Each instance's own address (they share one issuer, the first one's). */
  const at = (s: TestServer) => ({ issuer: `http://127.0.0.1:${(s.app.server.address() as { port: number }).port}` });
  const CONSUMER = '310000256';

  beforeAll(async () => {
    const port = await freePort();
    const env = {
      ADMIN_TOKEN, ISSUER: `http://127.0.0.1:${port}`, DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: schema,
      REDIS_URL: REDIS_URL!, REDIS_PREFIX: `ap_scopes_${randomBytes(4).toString('hex')}`,
    };
    // one issuer, two instances (as behind a load balancer): the first creates the scopes, then a client uses them
    servers.push(await startServer({ port, env, config: { logging: { level: 'silent' } } }));
    expect((await api(servers[0]!, 'POST', '/scopes/prefix', { body: { prefix: 'delt', owner_orgno: '310000248' } })).status).toBe(201);
    expect((await api(servers[0]!, 'POST', '/scopes', { body: { name: 'delt:api', description: 'shared' } })).status).toBe(201);
    expect((await api(servers[0]!, 'PUT', `/scopes/access/${CONSUMER}?scope=delt:api`)).status).toBe(201);
    servers.push(await startServer({
      port: await freePort(), env, config: { logging: { level: 'silent' } },
      clients: [webClient('delt-app', { client_orgno: CONSUMER, scopes: ['openid', 'delt:api'] })],
    }));
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await dropSchema(DATABASE_URL!, schema);
  });

  const authorize = async (s: TestServer) => {
    const res = await fetch(`${at(s).issuer}/authorize?${new URLSearchParams({
      client_id: 'delt-app', redirect_uri: 'https://delt-app.example.test/callback', response_type: 'code', scope: 'openid delt:api', state: 's', nonce: 'n',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
    })}`, { redirect: 'manual' });
    return new URL(res.headers.get('location')!, 'http://x');
  };

  it('a revocation through instance A refuses the scope at instance B on the next request; a new grant restores it', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    expect((await authorize(b)).pathname).toBe('/login/select');
    expect((await api(at(a), 'DELETE', `/scopes/access/${CONSUMER}?scope=delt:api`)).status).toBe(200);
    const refused = await authorize(b);
    expect(refused.searchParams.get('error')).toBe('invalid_scope');
    expect((await api(at(a), 'PUT', `/scopes/access/${CONSUMER}?scope=delt:api`)).status).toBe(200);
    expect((await authorize(b)).pathname).toBe('/login/select');
    expect((await authorize(a)).pathname).toBe('/login/select');
  });

  it('a scope deactivated through B disappears from A\'s discovery and is refused at A', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const listed = async () => ((await (await fetch(`${at(a).issuer}/.well-known/openid-configuration`)).json()) as { scopes_supported: string[] }).scopes_supported;
    expect(await listed()).toContain('delt:api');
    expect((await api(at(b), 'DELETE', '/scopes?scope=delt:api')).status).toBe(200);
    expect(await listed()).not.toContain('delt:api');
    expect((await authorize(a)).searchParams.get('error')).toBe('invalid_scope');
  });
});
