/**
 * A DPoP proof's jti is accepted once across instances (RFC 9449 §11.1): two providers on one
 * PostgreSQL and one Redis get the same proof at the same moment; exactly one accepts it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisEphemeralStore } from '../../src/store/redis/redis-ephemeral-store.js';
import { dpopKey, makeProof } from '../oauth/dpop/dpop-test-keys.js';
import { CheckedBrowser, basicAuth, http, obtainCode } from './checks.js';
import { freePort, secretOf, startServer, webClient, type TestServer } from './harness.js';

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;

describe.skipIf(!DATABASE_URL || !REDIS_URL)('DPoP jti replay across instances (PostgreSQL + Redis)', () => {
  const schema = `t_dpop_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const prefix = `ap_dpop_${randomBytes(6).toString('hex')}`;
  let A: TestServer;
  let B: TestServer;

  beforeAll(async () => {
    const portA = await freePort();
    const env = { ISSUER: `http://127.0.0.1:${portA}`, DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: schema, REDIS_URL: REDIS_URL!, REDIS_PREFIX: prefix };
    const clients = [webClient('conf')];
    A = await startServer({ port: portA, env, clients });
    B = await startServer({ env, clients });
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([A?.close(), B?.close()]);
    const store = await createRedisEphemeralStore(REDIS_URL!, { prefix });
    try { await store.clear(); } finally { await store.close(); }
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try { await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`); } finally { await client.end(); }
  });

  it('the same proof at two instances at once: exactly one 200, the other invalid_dpop_proof', async () => {
    const key = await dpopKey('ES256');
    const originOf = (s: TestServer) => `http://127.0.0.1:${(s.app.server.address() as { port: number }).port}`;
    for (let round = 0; round < 3; round++) {
      const [c1, c2] = [await obtainCode(new CheckedBrowser(A.issuer), A.issuer, 'conf'), await obtainCode(new CheckedBrowser(A.issuer), A.issuer, 'conf')];
      const proof = await makeProof(key, { htm: 'POST', htu: `${A.issuer}/token`, iat: Math.floor(Date.now() / 1000) });
      const redeem = (s: TestServer, c: typeof c1) => http(`${originOf(s)}/token`, {
        form: { grant_type: 'authorization_code', code: c.code, redirect_uri: c.redirectUri, code_verifier: c.verifier },
        headers: { authorization: basicAuth('conf', secretOf('conf')), dpop: proof },
      });
      const results = await Promise.all([redeem(A, c1), redeem(B, c2)]);
      expect(results.map((r) => r.status).sort(), results.map((r) => r.text).join('\n')).toEqual([200, 400]);
      expect(results.find((r) => r.status === 400)!.json.error).toBe('invalid_dpop_proof');
    }
  });
});
