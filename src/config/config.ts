import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { AdminConfigFileSchema, resolveAdminConfig, type AdminConfig } from '../admin/admin-config.js';

/**
 * One typed configuration. Read from CONFIG_FILE (JSON, snake_case keys) and the environment
 * (PORT, ISSUER, DATA_DIR, CLIENTS_FILE, FIXTURES_FILE, NODE_ENV), environment winning.
 */
const ConfigFileSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).optional(),
  issuer: z.string().optional(),
  /** Base URL of the browser-facing endpoints (authorize, login pages, logout); defaults to the issuer. */
  login_base_url: z.string().optional(),
  data_dir: z.string().optional(),
  clients_file: z.string().optional(),
  fixtures_file: z.string().optional(),
  policy: z.strictObject({
    /** Require `state` and `nonce` on every authorization request (spec §5.1 note). */
    require_state_and_nonce: z.boolean().default(true),
  }).prefault({}),
  lifetimes: z.strictObject({
    code_seconds: z.number().int().min(1).max(600).default(60),
    par_seconds: z.number().int().min(1).max(600).default(120),
    id_token_seconds: z.number().int().min(1).max(3600).default(120),
    /** How long a login in progress (eID choice, TestID form, picker) may take. */
    login_flow_seconds: z.number().int().min(60).max(7200).default(1800),
  }).prefault({}),
  session: z.strictObject({
    absolute_minutes: z.number().min(1).max(24 * 60).default(120),
    idle_minutes: z.number().min(1).max(24 * 60).default(30),
    cookie_name: z.string().regex(/^[A-Za-z0-9_-]+$/).default('ansattporten_session'),
  }).prefault({}),
  testid: z.strictObject({
    /** TestID, the synthetic test eID. On by default outside production; must be enabled explicitly in production. */
    enabled: z.boolean().optional(),
  }).prefault({}),
  demo: z.strictObject({
    /** The built-in demo client and the /demo page. Refused in production mode. */
    enabled: z.boolean().optional(),
  }).prefault({}),
  authorization_source: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('fixtures') }),
    z.strictObject({
      type: z.literal('altinn'),
      base_url: z.url(),
      timeout_ms: z.number().int().min(100).max(60_000).default(3000),
      headers: z.record(z.string(), z.string()).default({}),
    }),
  ]).default({ type: 'fixtures' }),
  keys: z.strictObject({
    /** Scheduled signing-key rotation: a current key is replaced after this many days. */
    rotate_after_days: z.number().min(1).max(3650).default(90),
    /** The next key is published this long before it signs (the documented JWKS cache period). */
    publish_ahead_hours: z.number().min(0).max(24 * 90).default(24),
    /** Retired keys stay published this long (longer than any token lifetime). */
    keep_retired_hours: z.number().min(1).max(24 * 365).default(48),
    /** How often each instance re-reads the keys from the store and checks the schedule. */
    check_interval_seconds: z.number().int().min(1).max(86_400).default(60),
  }).prefault({}),
  /** Admin API and self-service pages (spec §15.3); see src/admin/admin-config.ts. */
  admin: AdminConfigFileSchema.prefault({}),
  /** Upstream OpenID providers offered as eIDs (issue: real eIDs). */
  eids: z.array(z.strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/),
    preset: z.enum(['idporten', 'entraid', 'oidc']),
    name: z.string().min(1).max(80).optional(),
    issuer: z.url(),
    client_id: z.string().min(1),
    client_secret: z.string().min(1).optional(),
    /** A private RSA JWK (with kid) for private_key_jwt towards the upstream. */
    private_key_jwk: z.record(z.string(), z.unknown()).optional(),
    scopes: z.array(z.string()).optional(),
    /** The acr values this eID can satisfy; defaults by preset. */
    acr: z.array(z.enum(['substantial', 'high', 'entraid'])).optional(),
    /** Claim names in the upstream id_token (generic preset; presets have sensible defaults). */
    claim_mapping: z.strictObject({
      pid: z.string().optional(), email: z.string().optional(), given_name: z.string().optional(),
      family_name: z.string().optional(), name: z.string().optional(), groups: z.string().optional(),
    }).optional(),
    /** Upstream acr value → our acr (generic preset). */
    acr_mapping: z.record(z.string(), z.enum(['substantial', 'high', 'entraid'])).optional(),
    timeout_seconds: z.number().min(1).max(60).default(5),
    clock_skew_seconds: z.number().min(0).max(600).default(30),
    /** Allow an http issuer (only outside production, for local test upstreams). */
    allow_insecure: z.boolean().default(false),
  })).default([]),
  rate_limits: z.strictObject({
    /** Failed client authentications allowed per client_id and address per window (then 429). */
    client_auth_failures: z.number().int().min(1).max(100_000).default(20),
    window_seconds: z.number().int().min(1).max(86_400).default(60),
  }).prefault({}),
  store: z.strictObject({
    /**
     * Where short-lived state (sessions, logins in progress, codes, PAR, replay caches) lives when
     * neither REDIS_URL nor DATABASE_URL is set: `memory` (fast; ends at a restart) or `sqlite`
     * (survives restarts; several disk commits per login).
     */
    ephemeral: z.enum(['memory', 'sqlite']).default('memory'),
  }).prefault({}),
  logging: z.strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  }).prefault({}),
});

export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export interface Config extends Omit<ConfigFile, 'port' | 'issuer' | 'data_dir' | 'clients_file' | 'fixtures_file' | 'login_base_url' | 'admin'> {
  /** Admin API and pages, resolved with ADMIN_TOKEN / ADMIN_TRUSTED_ISSUER / ADMIN_TRUSTED_JWKS_URI. */
  admin: AdminConfig;
  production: boolean;
  port: number;
  issuer: string;
  loginBaseUrl: string;
  dataDir: string;
  clientsFile?: string;
  fixturesFile: string;
  testidEnabled: boolean;
  demoEnabled: boolean;
  secureCookies: boolean;
  /** PostgreSQL for durable state (clients, keys, grants, audit) when set. */
  databaseUrl?: string;
  /** Redis for short-lived state (sessions, flows, PAR, codes, replay caches) when set. */
  redisUrl?: string;
  /** PostgreSQL schema (created if absent); default the connection's search_path (public). */
  databaseSchema?: string;
  /** Prefix of every Redis key (default "ap"), so several deployments can share one Redis. */
  redisPrefix?: string;
  /** KEY_ENCRYPTION_KEY / KEY_ENCRYPTION_KEY_FILE: encrypts the private signing keys (src/tokens/key-encryption.ts). */
  keyEncryptionKey?: string;
  keyEncryptionKeyFile?: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULT_FIXTURES_FILE = resolve(import.meta.dirname, '../../fixtures/default.json');

function readConfigFile(path: string): ConfigFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${path}: cannot read configuration: ${(e as Error).message}`);
  }
  const parsed = ConfigFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

function normaliseBaseUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`${name} must be http(s)`);
  if (url.search || url.hash) throw new ConfigError(`${name} must not have a query or fragment`);
  return url.href.replace(/\/+$/, '');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ConfigFile> = {}): Config {
  const fromFile = env.CONFIG_FILE ? readConfigFile(env.CONFIG_FILE) : ConfigFileSchema.parse({});
  const merged = { ...fromFile, ...overrides };
  const production = env.NODE_ENV === 'production';
  const portRaw = env.PORT ?? merged.port ?? 7080;
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, got "${portRaw}"`);
  const issuer = normaliseBaseUrl(env.ISSUER ?? merged.issuer ?? `http://localhost:${port}`, 'ISSUER');
  const loginBaseUrl = normaliseBaseUrl(merged.login_base_url ?? issuer, 'login_base_url');
  if (production) {
    if (!issuer.startsWith('https://')) throw new ConfigError(`production mode refuses an http issuer ("${issuer}"): set ISSUER to an https URL`);
    if (!loginBaseUrl.startsWith('https://')) throw new ConfigError('production mode refuses an http login_base_url');
    if (merged.demo.enabled) throw new ConfigError('production mode refuses the demo client (demo.enabled)');
    for (const e of merged.eids) {
      if (e.allow_insecure || !e.issuer.startsWith('https://')) throw new ConfigError(`production mode refuses the http upstream eID "${e.id}"`);
    }
  }
  const admin = resolveAdminConfig(merged.admin, env, production);
  if (!admin.ok) throw new ConfigError(admin.error);
  return {
    ...merged,
    admin: admin.admin,
    production,
    port,
    issuer,
    loginBaseUrl,
    dataDir: resolve(env.DATA_DIR ?? merged.data_dir ?? './data'),
    clientsFile: env.CLIENTS_FILE ?? merged.clients_file,
    fixturesFile: env.FIXTURES_FILE ?? merged.fixtures_file ?? DEFAULT_FIXTURES_FILE,
    testidEnabled: merged.testid.enabled ?? !production,
    demoEnabled: merged.demo.enabled ?? !production,
    secureCookies: issuer.startsWith('https://'),
    store: { ephemeral: (env.EPHEMERAL_STORE as 'memory' | 'sqlite' | undefined) ?? merged.store.ephemeral },
    logging: { level: (env.LOG_LEVEL as ConfigFile['logging']['level'] | undefined) ?? merged.logging.level },
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA || undefined,
    redisPrefix: env.REDIS_PREFIX || undefined,
    keyEncryptionKey: env.KEY_ENCRYPTION_KEY || undefined,
    keyEncryptionKeyFile: env.KEY_ENCRYPTION_KEY_FILE || undefined,
  };
}

export { ConfigFileSchema };
