import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { AdminConfigFileSchema, resolveAdminConfig, type AdminConfig } from '../admin/admin-config.js';
import { deepMerge, envLayer, envVarFor, type EnvVar } from './env-vars.js';
import { productionProblems } from './production-checks.js';
import { upstreamIssuerProblem } from '../eid/upstream/upstream-issuer-rule.js';

/** A trusted proxy: an IP address, a CIDR range, or one of proxy-addr's names for private ranges. */
function isProxyAddress(s: string): boolean {
  if (s === 'loopback' || s === 'linklocal' || s === 'uniquelocal') return true;
  const m = /^([^/]+)(?:\/([0-9]{1,3}))?$/.exec(s);
  if (!m) return false;
  const family = isIP(m[1]!);
  if (family === 0) return false;
  return m[2] === undefined || Number(m[2]) <= (family === 4 ? 32 : 128);
}

/**
 * One typed configuration, one schema: the configuration file (CONFIG_FILE, JSON, snake_case
 * keys) and the environment variables (src/config/env-vars.ts, each naming a key of this schema,
 * environment winning) are merged and validated together by this schema.
 */
/** A key-encryption key: base64 (or base64url) of exactly 32 bytes. */
const kekSchema = z.string().refine(
  (v) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(v.trim()) && Buffer.from(v.trim().replace(/-/g, '+').replace(/_/g, '/'), 'base64').length === 32,
  'must be 32 bytes, base64-encoded (openssl rand -base64 32)',
);

const ConfigFileSchema = z.strictObject({
  /** NODE_ENV: `production` switches on the production refusals (src/config/production-checks.ts). */
  node_env: z.enum(['production', 'development', 'test']).optional(),
  port: z.number().int().min(0).max(65535).optional(),
  /** The address to listen on (env HOST); default 0.0.0.0. */
  host: z.union([z.ipv4(), z.ipv6(), z.hostname()], { error: 'must be an IP address or a host name' }).optional(),
  issuer: z.string().optional(),
  /**
   * Which senders' X-Forwarded-For is believed for the client address (rate limits, logs):
   * false (default: the connection's address), a hop count, or the proxies' addresses/CIDRs.
   */
  trust_proxy: z.union([
    z.literal(false),
    z.number().int().min(0).max(16),
    z.array(z.string().refine(isProxyAddress, { error: 'must be an IP address, a CIDR range (10.0.0.0/8) or loopback, linklocal, uniquelocal' })).min(1),
  ], { error: 'must be false, a hop count (1) or a list of proxy addresses/CIDRs ("10.0.0.1,10.1.0.0/16")' }).default(false),
  /** Protection of /metrics: a Bearer token (env METRICS_TOKEN) and/or a separate port (env METRICS_PORT). */
  metrics: z.strictObject({
    token: z.string().regex(/^[A-Za-z0-9\-._~+/]+=*$/, 'must be usable as a Bearer token (letters, digits and -._~+/ only)').optional(),
    port: z.number().int().min(1).max(65535).optional(),
  }).prefault({}),
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
    /**
     * Test Entra ID, the simulated work-account eID for acr_values=entraid, offered with TestID
     * unless a real Entra ID upstream is configured. False leaves entraid to configured eIDs only.
     */
    test_entra: z.boolean().default(true),
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
  /** Upstream OpenID providers offered as eIDs (spec §8). */
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
    /**
     * Allow an http issuer that is not on loopback (only outside production, for test upstreams);
     * http on 127.0.0.1, ::1 or localhost needs no flag outside production
     * (src/eid/upstream/upstream-issuer-rule.ts).
     */
    allow_insecure: z.boolean().default(false),
  })).default([]),
  rate_limits: z.strictObject({
    /** Failed client authentications allowed per client_id and address per window (then 429). */
    client_auth_failures: z.number().int().min(1).max(100_000).default(20),
    window_seconds: z.number().int().min(1).max(86_400).default(60),
    /** Authorization and PAR requests allowed per client address per minute (then 429 with Retry-After). */
    authorization_requests_per_minute: z.number().int().min(1).max(1_000_000).default(600),
    /**
     * Logins in progress (and admin logins) started within one flow lifetime: per browser, per
     * address and in total. The defaults keep a 512 MB instance's short-lived memory bounded.
     */
    login_flows_per_browser: z.number().int().min(1).max(1_000_000).default(50),
    login_flows_per_address: z.number().int().min(1).max(10_000_000).default(2_000),
    login_flows_total: z.number().int().min(1).max(100_000_000).default(20_000),
  }).prefault({}),
  /** Business certificates (virksomhetssertifikat) in client assertions' x5c: trusted CAs and CRLs (PEM or DER files). */
  client_certificates: z.strictObject({
    trusted_cas: z.array(z.string().min(1)).default([]),
    crls: z.array(z.string().min(1)).default([]),
  }).prefault({}),
  store: z.strictObject({
    /**
     * Where short-lived state (sessions, logins in progress, codes, PAR, replay caches) lives when
     * neither REDIS_URL nor DATABASE_URL is set: `memory` (fast; ends at a restart) or `sqlite`
     * (survives restarts; several disk commits per login).
     */
    ephemeral: z.enum(['memory', 'sqlite']).default('memory'),
    /** PostgreSQL for durable state (env DATABASE_URL). */
    database_url: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
    /** PostgreSQL schema (env DATABASE_SCHEMA). */
    database_schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a PostgreSQL schema name (lowercase letters, digits, _; at most 63)').optional(),
    /** Redis for short-lived state (env REDIS_URL). */
    redis_url: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
    /** Prefix of every Redis key (env REDIS_PREFIX). */
    redis_prefix: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 letters, digits or _.:-').optional(),
  }).prefault({}),
  /** The local Altinn (src/testworld/local-altinn.ts): on by default outside production, refused in production. */
  local_altinn: z.strictObject({
    enabled: z.boolean().optional(),
    /** Where it is served, under the issuer: `<issuer><base_path>/authorization/api/v1/authorize`, … */
    base_path: z.string().regex(/^\/[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/).default('/altinn'),
  }).prefault({}),
  logging: z.strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  }).prefault({}),
  /** Encryption of the private signing keys at rest (src/tokens/key-encryption.ts). */
  key_encryption: z.strictObject({
    /** base64 of 32 bytes (env KEY_ENCRYPTION_KEY). */
    key: kekSchema.optional(),
    /** A file holding the key (env KEY_ENCRYPTION_KEY_FILE). */
    key_file: z.string().min(1).optional(),
    /** The key `ansattporten keys rewrap` moves the keys to (env NEW_KEY_ENCRYPTION_KEY; CLI only). */
    new_key: kekSchema.optional(),
  }).prefault({}),
});

export type ConfigFile = z.infer<typeof ConfigFileSchema>;
/** The config file as written (defaults not yet applied). */
export type ConfigFileInput = z.input<typeof ConfigFileSchema>;

export interface Config extends Omit<ConfigFile, 'port' | 'issuer' | 'data_dir' | 'clients_file' | 'fixtures_file' | 'login_base_url' | 'admin' | 'node_env' | 'key_encryption'> {
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
  /** The local Altinn authorisation API (test world); never in production. */
  localAltinnEnabled: boolean;
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
  /** NEW_KEY_ENCRYPTION_KEY: the target of `ansattporten keys rewrap`. */
  newKeyEncryptionKey?: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DEFAULT_FIXTURES_FILE = resolve(import.meta.dirname, '../../fixtures/default.json');

function readConfigFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${path}: cannot read configuration: ${(e as Error).message}`);
  }
}

/** One issue as a message naming where the bad value came from: the environment variable, else the file's key. */
function describeIssue(issue: z.core.$ZodIssue, set: readonly EnvVar[], env: NodeJS.ProcessEnv, file: string | undefined): string {
  const v = envVarFor(set, issue.path);
  if (v) {
    const raw = env[v.name]!;
    const message = issue.code === 'invalid_type' && v.kind === 'int' && issue.expected !== 'object' ? 'must be a whole number' : issue.message;
    return `${v.name}: ${message}${v.secret ? '' : ` (got ${JSON.stringify(raw.length > 200 ? `${raw.slice(0, 200)}...` : raw)})`}`;
  }
  const where = issue.path.map(String).join('.') || '(root)';
  return file ? `${file}: ${where}: ${issue.message}` : `${where}: ${issue.message}`;
}

/**
 * The configuration file and `overrides` (tests, the CLI) with the environment laid over them,
 * validated by the one schema.
 */
function parseConfig(env: NodeJS.ProcessEnv, overrides: Partial<ConfigFileInput>): ConfigFile {
  const fromFile = env.CONFIG_FILE ? readConfigFile(env.CONFIG_FILE) : {};
  const base = fromFile !== null && typeof fromFile === 'object' && !Array.isArray(fromFile) ? { ...fromFile, ...overrides } : fromFile;
  const { layer, set } = envLayer(env);
  const parsed = ConfigFileSchema.safeParse(deepMerge(base, layer));
  if (!parsed.success) throw new ConfigError(describeIssue(parsed.error.issues[0]!, set, env, env.CONFIG_FILE || undefined));
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ConfigFileInput> = {}): Config {
  const merged = parseConfig(env, overrides);
  const production = merged.node_env === 'production';
  const port = merged.port ?? 7080;
  const issuer = normaliseBaseUrl(merged.issuer ?? `http://localhost:${port}`, 'ISSUER');
  const loginBaseUrl = normaliseBaseUrl(merged.login_base_url ?? issuer, 'login_base_url');
  if (merged.metrics.port !== undefined && merged.metrics.port === port) throw new ConfigError(`METRICS_PORT (metrics.port) must differ from PORT (${port})`);
  if (production) {
    if (!issuer.startsWith('https://')) throw new ConfigError(`production mode refuses an http issuer ("${issuer}"): set ISSUER to an https URL`);
    if (!loginBaseUrl.startsWith('https://')) throw new ConfigError('production mode refuses an http login_base_url');
    if (merged.demo.enabled) throw new ConfigError('production mode refuses the demo client (demo.enabled)');
    if (merged.local_altinn.enabled) throw new ConfigError('production mode refuses the local Altinn (local_altinn.enabled)');
  }
  for (const e of merged.eids) {
    const problem = upstreamIssuerProblem(e, production);
    if (problem !== undefined) throw new ConfigError(problem);
  }
  const admin = resolveAdminConfig(merged.admin, production);
  if (!admin.ok) throw new ConfigError(admin.error);
  if (production) {
    const problem = productionProblems(merged)[0];
    if (problem !== undefined) throw new ConfigError(problem);
  }
  const { node_env: _mode, key_encryption: kek, ...rest } = merged;
  return {
    ...rest,
    admin: admin.admin,
    production,
    port,
    issuer,
    loginBaseUrl,
    dataDir: resolve(merged.data_dir ?? './data'),
    clientsFile: merged.clients_file,
    fixturesFile: merged.fixtures_file ?? DEFAULT_FIXTURES_FILE,
    testidEnabled: merged.testid.enabled ?? !production,
    demoEnabled: merged.demo.enabled ?? !production,
    localAltinnEnabled: merged.local_altinn.enabled ?? !production,
    secureCookies: issuer.startsWith('https://'),
    trust_proxy: merged.trust_proxy === 0 ? false : merged.trust_proxy,
    // the connection URLs (which may carry passwords) only under their own names below
    store: { ephemeral: merged.store.ephemeral },
    databaseUrl: merged.store.database_url,
    redisUrl: merged.store.redis_url,
    databaseSchema: merged.store.database_schema,
    redisPrefix: merged.store.redis_prefix,
    keyEncryptionKey: kek.key,
    keyEncryptionKeyFile: kek.key_file,
    newKeyEncryptionKey: kek.new_key,
  };
}

export { ConfigFileSchema };
