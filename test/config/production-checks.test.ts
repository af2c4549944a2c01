/**
 * Production mode (NODE_ENV=production) refuses weak configuration at start, naming what to fix:
 * an http Altinn base_url, a trusted admin issuer without a required audience, an ADMIN_TOKEN or
 * METRICS_TOKEN or a clients-file secret with little entropy. Outside production they are accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type ConfigFile } from '../../src/config/config.js';
import { ClientsFileError } from '../../src/clients/load-clients-file.js';
import { api, startTrustedIssuer, type TrustedIssuer } from '../admin/admin-helpers.js';
import { startServer, webClient, type TestServer } from '../e2e/harness.js';

const PROD = { NODE_ENV: 'production', ISSUER: 'https://login.example.test' };
const STRONG = 'Zx8-Qw3_Er5.Ty7~Ui9Op2As4Df6Gh1Jk0';
const altinn = (base_url: string) => ({ authorization_source: { type: 'altinn', base_url, timeout_ms: 3000, headers: {} } }) as unknown as Partial<ConfigFile>;

function refusal(env: NodeJS.ProcessEnv, overrides: Partial<ConfigFile> = {}): string {
  try {
    loadConfig(env, overrides);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('production refuses weak configuration', () => {
  it('an http Altinn base_url (authorization_source.base_url)', () => {
    expect(refusal(PROD, altinn('http://altinn.example.test/api'))).toMatch(/^production mode refuses an http authorization_source\.base_url \("http:\/\/altinn\.example\.test\/api"\)/);
    expect(loadConfig(PROD, altinn('https://altinn.example.test/api')).authorization_source).toMatchObject({ type: 'altinn' });
    expect(loadConfig({}, altinn('http://altinn.example.test/api')).authorization_source).toMatchObject({ type: 'altinn' });
  });

  it('a trusted admin issuer without ADMIN_TRUSTED_AUDIENCE', () => {
    const trusted = { ADMIN_TRUSTED_ISSUER: 'https://maskinporten.example', ADMIN_TRUSTED_JWKS_URI: 'https://maskinporten.example/jwks' };
    expect(refusal({ ...PROD, ...trusted })).toMatch(/production mode refuses ADMIN_TRUSTED_ISSUER without ADMIN_TRUSTED_AUDIENCE/);
    expect(loadConfig({ ...PROD, ...trusted, ADMIN_TRUSTED_AUDIENCE: 'https://login.example.test/admin' }).admin)
      .toMatchObject({ enabled: true, trustedIssuer: 'https://maskinporten.example', trustedAudience: 'https://login.example.test/admin' });
    expect(loadConfig(trusted).admin.trustedAudience).toBeUndefined();
  });

  it('an ADMIN_TOKEN with little entropy (long enough, not an example, but one repeated character or few distinct ones)', () => {
    expect(refusal({ ...PROD, ADMIN_TOKEN: 'Q'.repeat(48) })).toBe('production mode refuses this ADMIN_TOKEN: it is one repeated character');
    expect(refusal({ ...PROD, ADMIN_TOKEN: 'ab'.repeat(24) })).toMatch(/^production mode refuses this ADMIN_TOKEN: it has too little entropy \(about 48 bits/);
    expect(refusal({ ...PROD, ADMIN_TOKEN: `${'0123456789'.repeat(3)}01234` })).toMatch(/ADMIN_TOKEN: it has too little entropy/);
    expect(loadConfig({ ...PROD, ADMIN_TOKEN: STRONG }).admin.token).toBe(STRONG);
    expect(loadConfig({ ADMIN_TOKEN: 'Q'.repeat(48) }).admin.token).toBe('Q'.repeat(48));
  });

  it('a METRICS_TOKEN with little entropy', () => {
    expect(refusal({ ...PROD, METRICS_TOKEN: 'metrics' })).toMatch(/^production mode refuses this METRICS_TOKEN \(metrics\.token\): it has too little entropy/);
    expect(refusal({ ...PROD, METRICS_TOKEN: 'm'.repeat(40) })).toMatch(/METRICS_TOKEN \(metrics\.token\): it is one repeated character/);
    expect(loadConfig({ ...PROD, METRICS_TOKEN: STRONG }).metrics.token).toBe(STRONG);
    expect(loadConfig({ METRICS_TOKEN: 'metrics' }).metrics.token).toBe('metrics');
  });

  it('a server in production does not start with a weak client secret in the clients file (naming the client and field)', async () => {
    const weak = webClient('weak', { client_secret: 'ab'.repeat(20) });
    const err = await startServer({ env: PROD, clients: [weak] }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ClientsFileError);
    expect((err as Error).message).toMatch(/\[0\] \(client_id "weak"\): client_secret: is refused in production: it has too little entropy/);
    const ok = await startServer({ env: PROD, clients: [webClient('strong')] });
    await ok.close();
  });
});

describe('ADMIN_TRUSTED_AUDIENCE: trusted JWTs for another audience are refused (through HTTP)', () => {
  let mp: TrustedIssuer;
  let server: TestServer;
  const AUD = 'https://login.example.test/admin/api';
  beforeAll(async () => {
    mp = await startTrustedIssuer();
    server = await startServer({ env: { ADMIN_TRUSTED_ISSUER: mp.issuer, ADMIN_TRUSTED_JWKS_URI: mp.jwksUri, ADMIN_TRUSTED_AUDIENCE: AUD }, config: { logging: { level: 'silent' } } });
  });
  afterAll(async () => {
    await server?.close();
    await mp?.close();
  });

  it('a token the trusted issuer made for another API (other or no audience) gets 401; the right audience 200', async () => {
    const other = await mp.token({ scope: 'idporten:dcr.read', aud: 'https://other-api.example.test' });
    const r1 = await api(server, 'GET', '/clients', { token: other });
    expect(r1.status).toBe(401);
    expect(r1.body).toMatchObject({ error: 'invalid_token' });
    expect((await api(server, 'GET', '/clients', { token: await mp.token({ scope: 'idporten:dcr.read' }) })).status).toBe(401); // aud "unspecified"
    const right = await mp.token({ scope: 'idporten:dcr.read', aud: AUD });
    expect((await api(server, 'GET', '/clients', { token: right })).status).toBe(200);
  });
});
