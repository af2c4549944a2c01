/**
 * The production fetch is wired into every caller of URLs chosen by others: upstream eID discovery
 * (openid-client customFetch), the admin trusted issuer's JWKS (jose customFetch) and the Altinn
 * source. Each is pointed at a loopback server: with the policy nothing reaches it; without it
 * (outside production) the same call does.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdminAuthenticator } from '../../src/admin/admin-auth.js';
import { systemClock } from '../../src/core/clock.js';
import { UpstreamEid, UpstreamError } from '../../src/eid/upstream/upstream-eid.js';
import { safeFetch } from '../../src/net/safe-fetch.js';
import { AltinnAuthorisationSource } from '../../src/representation/altinn-source.js';
import { AuthorisationSourceError } from '../../src/representation/authorisation-source.js';
import { parseAuthorizationDetails } from '../../src/representation/parse-authorization-details.js';
import type { NormalisedRar } from '../../src/representation/rar-types.js';

let server: Server;
let base: string;
const hits: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end(req.url?.includes('jwks') ? '{"keys":[]}' : '[]');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => { hits.length = 0; });

const upstream = (issuer: string) => ({ id: 'up', preset: 'oidc' as const, issuer, client_id: 'c', client_secret: 's', timeout_seconds: 2, clock_skew_seconds: 0, allow_insecure: true });

describe('production fetch wiring', () => {
  it('upstream eID discovery: refused (temporarily_unavailable), nothing reaches the address', async () => {
    for (const issuer of [base, base.replace('127.0.0.1', 'localhost')]) {
      const e = await new UpstreamEid(upstream(issuer), systemClock, { fetch: safeFetch }).config().then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(UpstreamError);
      expect((e as UpstreamError).oauthError).toBe('temporarily_unavailable');
    }
    expect(hits).toEqual([]);
    // the control: without the policy, discovery does reach it
    await new UpstreamEid(upstream(base), systemClock).config().catch(() => undefined);
    expect(hits).toContain('/.well-known/openid-configuration');
  });

  it('admin trusted issuer JWKS: not fetched from an inner address', async () => {
    const cfg = { enabled: true, basePath: '/admin/api', pagesPath: '/admin', pagesEnabled: false, trustedIssuer: 'https://mp.example/', trustedJwksUri: `${base}/jwks`, sessionMinutes: 30 };
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ scope: 'x' }).setProtectedHeader({ alg: 'RS256', kid: 'k' }).setIssuer('https://mp.example/').setIssuedAt().setExpirationTime('2m').sign(privateKey);
    expect((await new AdminAuthenticator(cfg, systemClock, { fetch: safeFetch }).authenticateToken(token)).ok).toBe(false);
    expect(hits).toEqual([]);
    await new AdminAuthenticator(cfg, systemClock).authenticateToken(token);
    expect(hits).toEqual(['/jwks']);
  });

  it('Altinn source: AuthorisationSourceError, nothing reaches the address', async () => {
    const rar = parseAuthorizationDetails(JSON.stringify([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:x' }])) as NormalisedRar;
    const e = await new AltinnAuthorisationSource({ baseUrl: base, fetch: safeFetch }).listParties({ pid: '07124912037', clientId: 'c', rar }).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(AuthorisationSourceError);
    expect((e as Error).message).toMatch(/could not reach/);
    expect(((e as Error).cause as Error).cause).toBeDefined();
    expect(hits).toEqual([]);
    await new AltinnAuthorisationSource({ baseUrl: base }).listParties({ pid: '07124912037', clientId: 'c', rar });
    expect(hits).toHaveLength(1);
  });
});

describe('safeFetch speaks well enough for openid-client and jose (against a real OpenID provider)', () => {
  it('discovery and the JWKS work through it (policy widened to loopback for the local provider)', async () => {
    const { UpstreamOp } = await import('../e2e/upstream/upstream-op.js');
    const { createSafeFetch } = await import('../../src/net/safe-fetch.js');
    const { createRemoteJWKSet, customFetch } = await import('jose');
    const op = await UpstreamOp.start({ kind: 'idporten', eid: 'idporten', ours: 'http://localhost:1' });
    try {
      const loopbackFetch = createSafeFetch({ allow: (c) => c === 'loopback' });
      const eid = new UpstreamEid({ ...op.eidEntry(), preset: 'idporten' }, systemClock, { fetch: loopbackFetch });
      const config = await eid.config();
      expect(config.serverMetadata().issuer).toBe(op.issuer);
      const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!), { [customFetch]: loopbackFetch });
      const key = await jwks({ alg: 'RS256', kid: op.kid });
      expect(key).toBeDefined();
      // the same with the production policy is refused
      const strict = new UpstreamEid({ ...op.eidEntry(), preset: 'idporten' }, systemClock, { fetch: safeFetch });
      await expect(strict.config()).rejects.toBeInstanceOf(UpstreamError);
    } finally {
      await op.close();
    }
  });
});
