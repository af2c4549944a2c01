/**
 * The environment variables, each a spelling of one key of the configuration schema
 * (src/config/config.ts). loadConfig lays them over the configuration file and validates the
 * result with that one schema, so an environment variable is refused exactly like the same key
 * in the file, and the error names the variable.
 *
 * An empty value counts as unset. Numbers are converted from text; other values are passed as text
 * and judged by the schema.
 */

export type EnvKind = 'string' | 'int' | 'trust_proxy';

export interface EnvVar {
  name: string;
  /** The key of the configuration schema it sets. */
  path: readonly string[];
  kind: EnvKind;
  /** Never echo the value in an error message. */
  secret?: boolean;
}

export const ENV_VARS: readonly EnvVar[] = [
  { name: 'NODE_ENV', path: ['node_env'], kind: 'string' },
  { name: 'PORT', path: ['port'], kind: 'int' },
  { name: 'HOST', path: ['host'], kind: 'string' },
  { name: 'ISSUER', path: ['issuer'], kind: 'string' },
  { name: 'DATA_DIR', path: ['data_dir'], kind: 'string' },
  { name: 'CLIENTS_FILE', path: ['clients_file'], kind: 'string' },
  { name: 'FIXTURES_FILE', path: ['fixtures_file'], kind: 'string' },
  { name: 'LOG_LEVEL', path: ['logging', 'level'], kind: 'string' },
  { name: 'EPHEMERAL_STORE', path: ['store', 'ephemeral'], kind: 'string' },
  { name: 'DATABASE_URL', path: ['store', 'database_url'], kind: 'string', secret: true },
  { name: 'DATABASE_SCHEMA', path: ['store', 'database_schema'], kind: 'string' },
  { name: 'REDIS_URL', path: ['store', 'redis_url'], kind: 'string', secret: true },
  { name: 'REDIS_PREFIX', path: ['store', 'redis_prefix'], kind: 'string' },
  { name: 'ADMIN_TOKEN', path: ['admin', 'token'], kind: 'string', secret: true },
  { name: 'ADMIN_TRUSTED_ISSUER', path: ['admin', 'trusted_issuer'], kind: 'string' },
  { name: 'ADMIN_TRUSTED_JWKS_URI', path: ['admin', 'trusted_jwks_uri'], kind: 'string' },
  { name: 'ADMIN_TRUSTED_AUDIENCE', path: ['admin', 'trusted_audience'], kind: 'string' },
  { name: 'TRUST_PROXY', path: ['trust_proxy'], kind: 'trust_proxy' },
  { name: 'METRICS_TOKEN', path: ['metrics', 'token'], kind: 'string', secret: true },
  { name: 'METRICS_PORT', path: ['metrics', 'port'], kind: 'int' },
  { name: 'KEY_ENCRYPTION_KEY', path: ['key_encryption', 'key'], kind: 'string', secret: true },
  { name: 'KEY_ENCRYPTION_KEY_FILE', path: ['key_encryption', 'key_file'], kind: 'string' },
  { name: 'NEW_KEY_ENCRYPTION_KEY', path: ['key_encryption', 'new_key'], kind: 'string', secret: true },
];

/** TRUST_PROXY text → the config file's form: off/false → false, digits → hop count, else a comma-separated list. */
function trustProxyValue(raw: string): unknown {
  const v = raw.trim();
  if (/^(false|off|no|none)$/i.test(v)) return false;
  if (/^[0-9]+$/.test(v)) return Number(v);
  if (/^(true|on|yes)$/i.test(v)) return v; // refused by the schema: trusting every sender is the spoofing hole
  return v.split(',').map((s) => s.trim());
}

function convert(kind: EnvKind, raw: string): unknown {
  if (kind === 'int') return /^\s*-?[0-9]+(\.[0-9]+)?\s*$/.test(raw) ? Number(raw) : raw;
  if (kind === 'trust_proxy') return trustProxyValue(raw);
  return raw;
}

export interface EnvLayer {
  /** A partial configuration object in the file's shape. */
  layer: Record<string, unknown>;
  /** The variables that were set. */
  set: EnvVar[];
}

export function envLayer(env: NodeJS.ProcessEnv): EnvLayer {
  const layer: Record<string, unknown> = {};
  const set: EnvVar[] = [];
  for (const v of ENV_VARS) {
    const raw = env[v.name];
    if (raw === undefined || raw === '') continue;
    set.push(v);
    let node = layer;
    for (const k of v.path.slice(0, -1)) {
      node[k] ??= {};
      node = node[k] as Record<string, unknown>;
    }
    node[v.path[v.path.length - 1]!] = convert(v.kind, raw);
  }
  return { layer, set };
}

/** The variable that set the key at `path` (or a key inside it), if one did. */
export function envVarFor(set: readonly EnvVar[], path: readonly PropertyKey[]): EnvVar | undefined {
  return set.find((v) => v.path.every((k, i) => path[i] === k));
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `over` laid onto `base`: objects merged key by key, anything else (arrays too) replaced. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}
