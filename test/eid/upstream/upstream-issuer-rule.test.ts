import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type ConfigFile } from '../../../src/config/config.js';
import { allowsHttp, isLoopbackHttp, upstreamEndpointAllowed, upstreamIssuerProblem } from '../../../src/eid/upstream/upstream-issuer-rule.js';

const eid = (issuer: string, allow_insecure = false) => ({ id: 'up', issuer, allow_insecure });

describe('isLoopbackHttp', () => {
  it('accepts http on 127.0.0.0/8, ::1 and localhost, with any port and path', () => {
    for (const u of ['http://127.0.0.1', 'http://127.0.0.1:8080/realm', 'http://127.1.2.3:1', 'http://[::1]:9000', 'http://localhost:3000', 'http://LOCALHOST:3000/x']) {
      expect(isLoopbackHttp(u), u).toBe(true);
    }
  });

  it('refuses https (not http), other hosts, look-alikes and non-URLs', () => {
    for (const u of ['https://127.0.0.1', 'http://128.0.0.1', 'http://10.0.0.1', 'http://localhost.evil.example', 'http://127.0.0.1.evil.example',
      'http://evil.example/127.0.0.1', 'http://[::2]', 'http://0.0.0.0', 'ftp://127.0.0.1', 'not a url', 'http://user@evil.example#@127.0.0.1']) {
      expect(isLoopbackHttp(u), u).toBe(false);
    }
  });
});

describe('upstreamIssuerProblem', () => {
  it('outside production: https always; loopback http without allow_insecure', () => {
    expect(upstreamIssuerProblem(eid('https://idporten.example'), false)).toBeUndefined();
    expect(upstreamIssuerProblem(eid('http://127.0.0.1:4000'), false)).toBeUndefined();
    expect(upstreamIssuerProblem(eid('http://[::1]:4000'), false)).toBeUndefined();
    expect(upstreamIssuerProblem(eid('http://localhost:4000/x'), false)).toBeUndefined();
  });

  it('outside production: other http needs allow_insecure, and the refusal names the eID', () => {
    expect(upstreamIssuerProblem(eid('http://idp.example.test'), false)).toMatch(/^eids: the upstream eID "up" has an http issuer that is not on a loopback address \("http:\/\/idp\.example\.test"\)/);
    expect(upstreamIssuerProblem(eid('http://10.1.2.3:8080'), false)).toMatch(/"up"/);
    expect(upstreamIssuerProblem(eid('http://idp.example.test', true), false)).toBeUndefined();
  });

  it('refuses non-http(s) issuers even with allow_insecure', () => {
    expect(upstreamIssuerProblem(eid('ftp://127.0.0.1', true), false)).toMatch(/"up" needs an https issuer/);
  });

  it('production: https only, allow_insecure refused, loopback http refused', () => {
    expect(upstreamIssuerProblem(eid('https://idporten.example'), true)).toBeUndefined();
    expect(upstreamIssuerProblem(eid('http://127.0.0.1:4000'), true)).toBe('production mode refuses the http upstream eID "up"');
    expect(upstreamIssuerProblem(eid('https://idporten.example', true), true)).toBe('production mode refuses the http upstream eID "up"');
    expect(upstreamIssuerProblem(eid('http://idp.example.test', true), true)).toBe('production mode refuses the http upstream eID "up"');
  });
});

describe('allowsHttp and upstreamEndpointAllowed', () => {
  it('http requests only with allow_insecure or a loopback http issuer', () => {
    expect(allowsHttp(eid('https://idp.example'))).toBe(false);
    expect(allowsHttp(eid('http://127.0.0.1:4000'))).toBe(true);
    expect(allowsHttp(eid('http://idp.example', true))).toBe(true);
  });

  it('endpoints: https always; http on loopback for a loopback issuer; any http with allow_insecure', () => {
    expect(upstreamEndpointAllowed('https://idp.example/jwks', eid('https://idp.example'))).toBe(true);
    expect(upstreamEndpointAllowed('http://idp.example/jwks', eid('https://idp.example'))).toBe(false);
    expect(upstreamEndpointAllowed('http://127.0.0.1:4000/jwks', eid('http://127.0.0.1:4000'))).toBe(true);
    expect(upstreamEndpointAllowed('http://idp.example/jwks', eid('http://127.0.0.1:4000'))).toBe(false);
    expect(upstreamEndpointAllowed('http://127.0.0.1:4000/jwks', eid('https://idp.example'))).toBe(false);
    expect(upstreamEndpointAllowed('http://idp.example/jwks', eid('http://idp.example', true))).toBe(true);
    expect(upstreamEndpointAllowed('ftp://idp.example/jwks', eid('http://idp.example', true))).toBe(false);
  });
});

describe('loadConfig applies the rule at start (ConfigError naming the eID)', () => {
  const entry = (issuer: string, extra: Record<string, unknown> = {}) =>
    ({ eids: [{ id: 'corp', preset: 'oidc', issuer, client_id: 'c', client_secret: 's', ...extra }] }) as unknown as Partial<ConfigFile>;
  const refusal = (env: NodeJS.ProcessEnv, overrides: Partial<ConfigFile>) => {
    try {
      loadConfig(env, overrides);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('the configuration was accepted');
  };

  it('accepts a loopback http upstream without allow_insecure outside production', () => {
    expect(loadConfig({}, entry('http://127.0.0.1:4455')).eids[0]).toMatchObject({ id: 'corp', allow_insecure: false });
    expect(loadConfig({}, entry('http://localhost:4455')).eids).toHaveLength(1);
  });

  it('refuses another http upstream without allow_insecure, accepts it with allow_insecure', () => {
    expect(refusal({}, entry('http://idp.corp.example'))).toMatch(/eID "corp" has an http issuer/);
    expect(loadConfig({}, entry('http://idp.corp.example', { allow_insecure: true })).eids).toHaveLength(1);
  });

  it('production refuses both', () => {
    const PROD = { NODE_ENV: 'production', ISSUER: 'https://login.example.test' };
    expect(refusal(PROD, entry('http://127.0.0.1:4455'))).toBe('production mode refuses the http upstream eID "corp"');
    expect(refusal(PROD, entry('https://idp.corp.example', { allow_insecure: true }))).toBe('production mode refuses the http upstream eID "corp"');
  });
});
