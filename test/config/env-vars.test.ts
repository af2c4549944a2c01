/**
 * Every environment variable goes through the configuration schema: a good value reaches the
 * typed configuration, a bad one stops loadConfig with a ConfigError naming the variable (and, for
 * enumerations, the allowed values), never a silent fallback.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type Config } from '../../src/config/config.js';
import { ENV_VARS } from '../../src/config/env-vars.js';

const STRONG = 'Vq3-xR8_pL2.mZ7~tK9+bN4/wH6=';
const STRONG_TOKEN = `${STRONG.replace('=', '')}Aa0Bb1Cc2Dd3`;

const KEK = Buffer.alloc(32, 0xfb).toString('base64');
const KEK_URL = Buffer.alloc(32, 0xfb).toString('base64url');

interface Case {
  good: Array<[string, (c: Config) => unknown, unknown]>;
  bad: Array<[string, RegExp]>;
}

const cases: Record<string, Case> = {
  NODE_ENV: {
    good: [['development', (c) => c.production, false], ['test', (c) => c.production, false]],
    bad: [['prod', /NODE_ENV: Invalid option: expected one of "production"\|"development"\|"test" \(got "prod"\)/], ['Production', /NODE_ENV/]],
  },
  PORT: {
    good: [['0', (c) => c.port, 0], ['8080', (c) => c.port, 8080], ['65535', (c) => c.port, 65535]],
    bad: [['http', /PORT: must be a whole number \(got "http"\)/], ['65536', /PORT: Too big/], ['-1', /PORT: Too small/], ['80.5', /PORT: must be a whole number/]],
  },
  HOST: {
    good: [['127.0.0.1', (c) => c.host, '127.0.0.1'], ['::', (c) => c.host, '::'], ['localhost', (c) => c.host, 'localhost'], ['idp.internal.example', (c) => c.host, 'idp.internal.example']],
    bad: [['not a host', /HOST: must be an IP address or a host name \(got "not a host"\)/], ['http://x/', /HOST:/]],
  },
  ISSUER: {
    good: [['https://login.example.test/', (c) => c.issuer, 'https://login.example.test']],
    bad: [['login.example.test', /ISSUER must be an absolute URL/], ['ftp://x.test', /ISSUER must be http\(s\)/]],
  },
  DATA_DIR: {
    good: [['/tmp/ap-data', (c) => c.dataDir, '/tmp/ap-data'], ['rel/dir', (c) => c.dataDir, resolve('rel/dir')]],
    bad: [],
  },
  CLIENTS_FILE: {
    good: [['/etc/ap/clients.json', (c) => c.clientsFile, '/etc/ap/clients.json']],
    bad: [],
  },
  FIXTURES_FILE: {
    good: [['/etc/ap/fixtures.json', (c) => c.fixturesFile, '/etc/ap/fixtures.json']],
    bad: [],
  },
  LOG_LEVEL: {
    good: [['debug', (c) => c.logging.level, 'debug'], ['silent', (c) => c.logging.level, 'silent']],
    bad: [['verbose', /LOG_LEVEL: Invalid option: expected one of "fatal"\|"error"\|"warn"\|"info"\|"debug"\|"trace"\|"silent" \(got "verbose"\)/], ['INFO', /LOG_LEVEL/]],
  },
  EPHEMERAL_STORE: {
    good: [['sqlite', (c) => c.store.ephemeral, 'sqlite'], ['memory', (c) => c.store.ephemeral, 'memory']],
    bad: [['typo', /EPHEMERAL_STORE: Invalid option: expected one of "memory"\|"sqlite" \(got "typo"\)/], ['redis', /EPHEMERAL_STORE/]],
  },
  DATABASE_URL: {
    good: [['postgres://u:p@db:5432/ap', (c) => c.databaseUrl, 'postgres://u:p@db:5432/ap'], ['postgresql://db/ap', (c) => c.databaseUrl, 'postgresql://db/ap']],
    bad: [['mysql://u:hunter2@db/ap', /^DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL$/], ['not a url', /DATABASE_URL/]],
  },
  DATABASE_SCHEMA: {
    good: [['ansattporten_1', (c) => c.databaseSchema, 'ansattporten_1']],
    bad: [['Bad-Schema', /DATABASE_SCHEMA: must be a PostgreSQL schema name/], ['x; drop table', /DATABASE_SCHEMA/]],
  },
  REDIS_URL: {
    good: [['redis://127.0.0.1:6379', (c) => c.redisUrl, 'redis://127.0.0.1:6379'], ['rediss://r.example:6380/1', (c) => c.redisUrl, 'rediss://r.example:6380/1']],
    bad: [['http://127.0.0.1:6379', /^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL$/]],
  },
  REDIS_PREFIX: {
    good: [['ap-prod', (c) => c.redisPrefix, 'ap-prod'], ['team:ap', (c) => c.redisPrefix, 'team:ap']],
    bad: [['has space', /REDIS_PREFIX: must be 1-64 letters/], ['x'.repeat(65), /REDIS_PREFIX/]],
  },
  ADMIN_TOKEN: {
    good: [[STRONG_TOKEN, (c) => c.admin.token, STRONG_TOKEN]],
    bad: [['has space in it', /^ADMIN_TOKEN: must be usable as a Bearer token/]],
  },
  ADMIN_TRUSTED_ISSUER: {
    good: [['https://maskinporten.example', (c) => c.admin.trustedIssuer, 'https://maskinporten.example']],
    bad: [['https://maskinporten.example', /ADMIN_TRUSTED_ISSUER needs ADMIN_TRUSTED_JWKS_URI/]],
  },
  ADMIN_TRUSTED_JWKS_URI: {
    good: [['https://maskinporten.example/jwks', (c) => c.admin.trustedJwksUri, 'https://maskinporten.example/jwks']],
    bad: [['not-a-url', /ADMIN_TRUSTED_JWKS_URI must be an absolute URL/]],
  },
  ADMIN_TRUSTED_AUDIENCE: {
    good: [['https://api.example/admin', (c) => c.admin.trustedAudience, 'https://api.example/admin']],
    bad: [],
  },
  TRUST_PROXY: {
    good: [
      ['false', (c) => c.trust_proxy, false], ['0', (c) => c.trust_proxy, false], ['1', (c) => c.trust_proxy, 1],
      ['10.0.0.1, 10.1.0.0/16', (c) => c.trust_proxy, ['10.0.0.1', '10.1.0.0/16']], ['loopback,::1', (c) => c.trust_proxy, ['loopback', '::1']],
    ],
    bad: [
      ['true', /TRUST_PROXY: must be false, a hop count/], ['10.0.0.300', /TRUST_PROXY: must be an IP address, a CIDR range/],
      ['10.0.0.0/33', /TRUST_PROXY: must be an IP address, a CIDR range/], ['99', /TRUST_PROXY: Too big/], ['proxy.example', /TRUST_PROXY/],
    ],
  },
  METRICS_TOKEN: {
    good: [[STRONG_TOKEN, (c) => c.metrics.token, STRONG_TOKEN]],
    bad: [['bad token', /^METRICS_TOKEN: must be usable as a Bearer token/]],
  },
  KEY_ENCRYPTION_KEY: {
    good: [[KEK, (c) => c.keyEncryptionKey, KEK], [` ${KEK_URL}`, (c) => c.keyEncryptionKey, ` ${KEK_URL}`]],
    bad: [['c2hvcnQ=', /^KEY_ENCRYPTION_KEY: must be 32 bytes, base64-encoded/], ['not base64!', /^KEY_ENCRYPTION_KEY: must be 32 bytes/]],
  },
  KEY_ENCRYPTION_KEY_FILE: {
    good: [['/run/secrets/kek', (c) => c.keyEncryptionKeyFile, '/run/secrets/kek']],
    bad: [],
  },
  NEW_KEY_ENCRYPTION_KEY: {
    good: [[KEK, (c) => c.newKeyEncryptionKey, KEK]],
    bad: [[KEK.slice(4), /^NEW_KEY_ENCRYPTION_KEY: must be 32 bytes, base64-encoded/]],
  },
  METRICS_PORT: {
    good: [['9464', (c) => c.metrics.port, 9464]],
    bad: [['0', /METRICS_PORT: Too small/], ['metrics', /METRICS_PORT: must be a whole number/], ['7080', /METRICS_PORT \(metrics\.port\) must differ from PORT \(7080\)/]],
  },
};

/** Variables a case needs besides the one under test. */
const companions: Record<string, Record<string, string>> = {
  ADMIN_TRUSTED_ISSUER: { ADMIN_TRUSTED_JWKS_URI: 'https://maskinporten.example/jwks' },
  ADMIN_TRUSTED_JWKS_URI: { ADMIN_TRUSTED_ISSUER: 'https://maskinporten.example' },
};

function loadError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('environment variables go through the configuration schema', () => {
  it('the table covers every variable the loader knows', () => {
    expect(Object.keys(cases).sort()).toEqual(ENV_VARS.map((v) => v.name).sort());
  });

  for (const [name, c] of Object.entries(cases)) {
    describe(name, () => {
      for (const [value, pick, expected] of c.good) {
        it(`accepts ${JSON.stringify(value)}`, () => {
          expect(pick(loadConfig({ ...companions[name], [name]: value }))).toEqual(expected);
        });
      }
      for (const [value, message] of c.bad) {
        it(`refuses ${JSON.stringify(value.length > 40 ? `${value.slice(0, 20)}...` : value)}`, () => {
          // the companions are left out for the "needs" cases, which test their absence
          const env = name === 'ADMIN_TRUSTED_ISSUER' ? { [name]: value } : { ...companions[name], [name]: value };
          expect(loadError(env).message).toMatch(message);
        });
      }
    });
  }

  it('an empty value counts as unset', () => {
    const c = loadConfig({ LOG_LEVEL: '', EPHEMERAL_STORE: '', PORT: '', DATABASE_URL: '', TRUST_PROXY: '' });
    expect(c).toMatchObject({ logging: { level: 'info' }, store: { ephemeral: 'memory' }, port: 7080, trust_proxy: false });
    expect(c.databaseUrl).toBeUndefined();
  });

  it('secret values are never echoed in the message', () => {
    expect(loadError({ DATABASE_URL: 'mysql://u:hunter2@db/ap' }).message).not.toContain('hunter2');
    expect(loadError({ ADMIN_TOKEN: 'sekrit sekrit' }).message).not.toContain('sekrit');
    expect(loadError({ METRICS_TOKEN: 'sekrit sekrit' }).message).not.toContain('sekrit');
    expect(loadError({ REDIS_URL: 'http://:hunter2@r/' }).message).not.toContain('hunter2');
    // and the connection URLs live only under their own names, not in the store section
    expect(loadConfig({ DATABASE_URL: 'postgres://u:hunter2@db/ap', REDIS_URL: 'redis://:hunter2@r:6379' }).store).toEqual({ ephemeral: 'memory' });
  });

  it('the defaults without any variable', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ production: false, port: 7080, issuer: 'http://localhost:7080', trust_proxy: false, metrics: {}, logging: { level: 'info' }, store: { ephemeral: 'memory' } });
    expect(c.host).toBeUndefined();
  });
});

describe('environment and configuration file', () => {
  const file = (json: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), 'ap-config-'));
    const p = join(dir, 'config.json');
    writeFileSync(p, JSON.stringify(json));
    return p;
  };

  it('the environment wins over the file, key by key inside a section', () => {
    const p = file({ port: 9000, logging: { level: 'warn' }, store: { ephemeral: 'sqlite' }, trust_proxy: ['10.0.0.1'], metrics: { port: 9100 } });
    const c = loadConfig({ CONFIG_FILE: p, LOG_LEVEL: 'debug', TRUST_PROXY: '2' });
    expect(c).toMatchObject({ port: 9000, logging: { level: 'debug' }, store: { ephemeral: 'sqlite' }, trust_proxy: 2, metrics: { port: 9100 } });
  });

  it('a bad value in the file names the file and the key; a bad variable over a good file names the variable', () => {
    const p = file({ logging: { level: 'verbose' } });
    expect(loadError({ CONFIG_FILE: p }).message).toMatch(new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: logging\\.level: Invalid option: expected one of`));
    const good = file({ logging: { level: 'warn' } });
    expect(loadError({ CONFIG_FILE: good, LOG_LEVEL: 'verbose' }).message).toMatch(/^LOG_LEVEL: Invalid option/);
  });

  it('a variable cannot sneak past the schema by a file setting the same key: the file has the same rules', () => {
    expect(loadError({ CONFIG_FILE: file({ store: { ephemeral: 'typo' } }) }).message).toMatch(/store\.ephemeral: Invalid option: expected one of "memory"\|"sqlite"/);
    expect(loadError({ CONFIG_FILE: file({ trust_proxy: true }) }).message).toMatch(/trust_proxy: must be false, a hop count/);
    expect(loadError({ CONFIG_FILE: file({ host: 'a b' }) }).message).toMatch(/host: must be an IP address or a host name/);
    expect(loadError({ CONFIG_FILE: file({ metrics: { port: 70000 } }) }).message).toMatch(/metrics\.port: Too big/);
  });
});
