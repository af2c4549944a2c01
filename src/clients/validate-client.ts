/**
 * Validation of client registrations (admin API bodies and clients-file entries), spec §15.2,
 * §15.5, §17 and §18. Turns an untrusted object into a complete `Client` with defaults, or
 * returns every problem found, each naming its field (e.g. `redirect_uris[1]`).
 */
import { outboundUriErrors } from './outbound-uri-policy.js';
import { randomUUID, createPublicKey } from 'node:crypto';
import { isValidOrgno } from '../core/orgno.js';
import {
  CLIENT_DEFAULTS,
  type ApplicationType,
  type Client,
  type ClientJwk,
  type ClientJwks,
  type GrantType,
  type TokenEndpointAuthMethod,
} from './client-types.js';

export interface FieldError {
  field: string;
  message: string;
}

export type ValidateClientResult = { ok: true; client: Client } | { ok: false; errors: FieldError[] };

export interface ValidateClientOptions {
  /** Production rules: https only (loopback http only for native clients), no localhost otherwise. */
  production: boolean;
  /** The stored client when this is an update (PUT): keeps client_id, created and jwks, and integration_type may not change. */
  existing?: Client;
  /** Epoch milliseconds, for created / last_updated. */
  now: number;
}

export const MAX_CLIENT_KEYS = 5;
export const MIN_RSA_MODULUS_BITS = 2048;
export const CLIENT_KEY_ALGS = ['RS256', 'RS384', 'RS512'] as const;

const APPLICATION_TYPES: readonly ApplicationType[] = ['web', 'browser', 'native'];
const AUTH_METHODS_BY_TYPE: Record<ApplicationType, readonly TokenEndpointAuthMethod[]> = {
  web: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
  browser: ['none'],
  native: ['none'],
};
const ALL_AUTH_METHODS: readonly TokenEndpointAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];
const GRANT_TYPES: readonly GrantType[] = ['authorization_code', 'refresh_token'];

/** Fields a client object may carry. */
const CLIENT_FIELDS = new Set([
  'client_id',
  'client_name',
  'description',
  'client_uri',
  'client_orgno',
  'supplier_orgno',
  'integration_type',
  'application_type',
  'token_endpoint_auth_method',
  'grant_types',
  'scopes',
  'redirect_uris',
  'post_logout_redirect_uris',
  'frontchannel_logout_uri',
  'frontchannel_logout_session_required',
  'backchannel_logout_uri',
  'backchannel_logout_session_required', // set automatically; input ignored
  'sso_disabled', // always stored as true
  'code_challenge_method',
  'access_token_lifetime',
  'authorization_lifetime',
  'refresh_token_lifetime',
  'refresh_token_usage',
  'jwks',
  // server-managed; accepted so that a stored client can be sent back unchanged, but ignored
  'active',
  'created',
  'last_updated',
  // handled by the clients-file loader / secret rotation, never part of Client
  'client_secret',
]);

const JWK_PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const B64URL = /^[A-Za-z0-9_-]+$/;
const B64 = /^[A-Za-z0-9+/]+={0,2}$/;
const KID = /^[A-Za-z0-9._-]+$/;
/** RFC 6749 scope-token characters. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const CLIENT_ID = /^[\x21-\x7E]{1,255}$/;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

const q = (v: unknown) => JSON.stringify(v);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

interface UriRules {
  production: boolean;
  native: boolean;
}

/**
 * Check a redirect-style URI: absolute http(s) URL, no fragment, no credentials; in production
 * https only, except http loopback for native clients, and no localhost for non-native clients.
 * Returns the parsed URL, or undefined after pushing an error.
 */
function checkRedirectStyleUri(value: unknown, field: string, rules: UriRules, errors: FieldError[]): URL | undefined {
  if (typeof value !== 'string') {
    errors.push({ field, message: `must be a string (got ${typeName(value)})` });
    return undefined;
  }
  const u = parseAbsoluteHttpUrl(value, field, errors);
  if (!u) return undefined;
  if (value.includes('#')) {
    errors.push({ field, message: `must not contain a fragment (${q(value)})` });
    return undefined;
  }
  if (rules.production) {
    const loopback = LOOPBACK_HOSTS.has(u.hostname);
    if (u.protocol === 'http:' && !(loopback && rules.native)) {
      errors.push({
        field,
        message: loopback
          ? `must use https in production; http on a loopback address is only allowed for native clients (${q(value)})`
          : `must use https in production (${q(value)})`,
      });
      return undefined;
    }
    if (loopback && !rules.native) {
      errors.push({ field, message: `localhost/loopback is only allowed for native clients in production (${q(value)})` });
      return undefined;
    }
  }
  return u;
}

function parseAbsoluteHttpUrl(value: string, field: string, errors: FieldError[]): URL | undefined {
  if (value === '' || /[\s\x00-\x1F\x7F]/.test(value)) {
    errors.push({ field, message: `must be an absolute URL (${q(value)})` });
    return undefined;
  }
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    errors.push({ field, message: `must be an absolute URL (${q(value)})` });
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    errors.push({ field, message: `must be an http or https URL (${q(value)})` });
    return undefined;
  }
  if (u.username !== '' || u.password !== '') {
    errors.push({ field, message: `must not contain user credentials (${q(value)})` });
    return undefined;
  }
  return u;
}

export function validateClientInput(input: unknown, opts: ValidateClientOptions): ValidateClientResult {
  const errors: FieldError[] = [];
  if (!isPlainObject(input)) {
    return { ok: false, errors: [{ field: '', message: `must be a JSON object (got ${typeName(input)})` }] };
  }
  const existing = opts.existing;

  for (const k of Object.keys(input)) {
    if (!CLIENT_FIELDS.has(k)) errors.push({ field: k, message: 'unknown field' });
  }

  /** The value of a field, with JSON null treated as absent. */
  const get = (k: string): unknown => (input[k] === null ? undefined : input[k]);

  const optString = (k: string): string | undefined => {
    const v = get(k);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      errors.push({ field: k, message: `must be a string (got ${typeName(v)})` });
      return undefined;
    }
    return v;
  };
  const optBool = (k: string): boolean | undefined => {
    const v = get(k);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') {
      errors.push({ field: k, message: `must be a boolean (got ${typeName(v)})` });
      return undefined;
    }
    return v;
  };
  const optEnum = <T extends string>(k: string, allowed: readonly T[]): T | undefined | null => {
    const v = get(k);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      errors.push({ field: k, message: `must be one of ${allowed.map(q).join(', ')} (got ${q(v)})` });
      return null; // invalid
    }
    return v as T;
  };
  const optPosInt = (k: string, def: number): number | undefined => {
    const v = get(k);
    if (v === undefined) return def;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
      errors.push({ field: k, message: `must be a positive integer number of seconds (got ${q(v)})` });
      return undefined;
    }
    return v;
  };
  /** An array of strings; reports per-element type errors and duplicates; undefined if absent. */
  const optStringArray = (k: string): string[] | undefined | null => {
    const v = get(k);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      errors.push({ field: k, message: `must be an array (got ${typeName(v)})` });
      return null;
    }
    const seen = new Map<string, number>();
    let bad = false;
    v.forEach((item: unknown, i) => {
      if (typeof item !== 'string') {
        errors.push({ field: `${k}[${i}]`, message: `must be a string (got ${typeName(item)})` });
        bad = true;
        return;
      }
      const prev = seen.get(item);
      if (prev !== undefined) {
        errors.push({ field: `${k}[${i}]`, message: `duplicate of ${k}[${prev}] (${q(item)})` });
        bad = true;
      } else seen.set(item, i);
    });
    return bad ? null : (v as string[]);
  };

  // --- identity -------------------------------------------------------------------------------
  let clientId: string | undefined;
  const rawClientId = get('client_id');
  if (rawClientId !== undefined) {
    if (typeof rawClientId !== 'string' || !CLIENT_ID.test(rawClientId)) {
      errors.push({ field: 'client_id', message: `must be 1–255 printable ASCII characters without spaces (got ${q(rawClientId)})` });
    } else if (existing && rawClientId !== existing.client_id) {
      errors.push({ field: 'client_id', message: `cannot be changed (is ${q(existing.client_id)})` });
    } else clientId = rawClientId;
  } else clientId = existing?.client_id ?? randomUUID();

  const rawIntegration = get('integration_type');
  if (rawIntegration !== undefined && rawIntegration !== 'ansattporten') {
    errors.push({ field: 'integration_type', message: `must be "ansattporten" (got ${q(rawIntegration)})` });
  } else if (existing && (existing.integration_type as string) !== CLIENT_DEFAULTS.integration_type) {
    errors.push({ field: 'integration_type', message: `cannot be changed (is ${q(existing.integration_type)})` });
  }

  const clientName = optString('client_name');
  if (get('client_name') === undefined) errors.push({ field: 'client_name', message: 'is required' });
  else if (clientName !== undefined && clientName.trim() === '') errors.push({ field: 'client_name', message: 'must not be empty' });

  const description = optString('description') ?? '';

  let clientUri: string | undefined;
  const rawClientUri = optString('client_uri');
  if (rawClientUri !== undefined && parseAbsoluteHttpUrl(rawClientUri, 'client_uri', errors)) clientUri = rawClientUri;

  const orgnoField = (k: string): string | undefined => {
    const v = optString(k);
    if (v === undefined) return undefined;
    if (!/^[0-9]{9}$/.test(v)) errors.push({ field: k, message: `must be a 9-digit organisation number (got ${q(v)})` });
    else if (!isValidOrgno(v)) errors.push({ field: k, message: `check digit mismatch (${q(v)})` });
    else return v;
    return undefined;
  };
  if (get('client_orgno') === undefined) errors.push({ field: 'client_orgno', message: 'is required' });
  const clientOrgno = orgnoField('client_orgno');
  const supplierOrgno = orgnoField('supplier_orgno');

  // --- application type and authentication --------------------------------------------------
  const appTypeIn = optEnum('application_type', APPLICATION_TYPES);
  const appType: ApplicationType | undefined = appTypeIn === null ? undefined : (appTypeIn ?? CLIENT_DEFAULTS.application_type);
  const isPublicType = appType === 'browser' || appType === 'native';

  const authIn = optEnum('token_endpoint_auth_method', ALL_AUTH_METHODS);
  let authMethod: TokenEndpointAuthMethod | undefined;
  if (authIn === undefined) authMethod = isPublicType ? 'none' : CLIENT_DEFAULTS.token_endpoint_auth_method;
  else if (authIn !== null) {
    authMethod = authIn;
    if (appType && !AUTH_METHODS_BY_TYPE[appType].includes(authIn)) {
      errors.push({
        field: 'token_endpoint_auth_method',
        message: `${q(authIn)} is not allowed for application_type ${q(appType)}; use ${AUTH_METHODS_BY_TYPE[appType].map(q).join(', ')}`,
      });
    }
  }

  const grantsIn = optStringArray('grant_types');
  let grantTypes: GrantType[] | undefined = grantsIn === undefined ? [...CLIENT_DEFAULTS.grant_types] : undefined;
  if (grantsIn) {
    let ok = true;
    grantsIn.forEach((g, i) => {
      if (!(GRANT_TYPES as readonly string[]).includes(g)) {
        errors.push({ field: `grant_types[${i}]`, message: `must be one of ${GRANT_TYPES.map(q).join(', ')} (got ${q(g)})` });
        ok = false;
      }
    });
    if (!grantsIn.includes('authorization_code')) {
      errors.push({ field: 'grant_types', message: 'must contain "authorization_code"' });
      ok = false;
    }
    if (ok) grantTypes = grantsIn as GrantType[];
  }

  const scopesIn = optStringArray('scopes');
  let scopes: string[] | undefined = scopesIn === undefined ? [...CLIENT_DEFAULTS.scopes] : undefined;
  if (scopesIn) {
    let ok = true;
    scopesIn.forEach((s, i) => {
      if (!SCOPE_TOKEN.test(s)) {
        errors.push({ field: `scopes[${i}]`, message: `must be a scope name without spaces (got ${q(s)})` });
        ok = false;
      }
    });
    if (!scopesIn.includes('openid')) {
      errors.push({ field: 'scopes', message: 'must contain "openid"' });
      ok = false;
    }
    if (ok) scopes = scopesIn;
  }

  // --- URIs --------------------------------------------------------------------------------
  const uriRules: UriRules = { production: opts.production, native: appType === 'native' };
  const redirectHosts = new Set<string>();
  const redirectIn = optStringArray('redirect_uris');
  if (get('redirect_uris') === undefined) errors.push({ field: 'redirect_uris', message: 'is required' });
  else if (redirectIn && redirectIn.length === 0) errors.push({ field: 'redirect_uris', message: 'must not be empty' });
  let redirectUris: string[] | undefined;
  if (redirectIn && redirectIn.length > 0) {
    let ok = true;
    redirectIn.forEach((uri, i) => {
      const u = checkRedirectStyleUri(uri, `redirect_uris[${i}]`, uriRules, errors);
      if (u) redirectHosts.add(u.hostname);
      else ok = false;
    });
    if (ok) redirectUris = redirectIn;
  }

  const postLogoutIn = optStringArray('post_logout_redirect_uris');
  let postLogoutUris: string[] | undefined = postLogoutIn === undefined ? [...CLIENT_DEFAULTS.post_logout_redirect_uris] : undefined;
  if (postLogoutIn) {
    let ok = true;
    postLogoutIn.forEach((uri, i) => {
      if (!checkRedirectStyleUri(uri, `post_logout_redirect_uris[${i}]`, uriRules, errors)) ok = false;
    });
    if (ok) postLogoutUris = postLogoutIn;
  }

  const logoutUri = (k: 'frontchannel_logout_uri' | 'backchannel_logout_uri'): string | undefined => {
    const v = get(k);
    if (v === undefined) return undefined;
    const u = checkRedirectStyleUri(v, k, uriRules, errors);
    if (!u) return undefined;
    if (redirectHosts.size > 0 && !redirectHosts.has(u.hostname)) {
      errors.push({ field: k, message: `host ${q(u.hostname)} must be the host of one of the redirect_uris (${[...redirectHosts].map(q).join(', ')})` });
      return undefined;
    }
    return v as string;
  };
  const fcl = logoutUri('frontchannel_logout_uri');
  const bcl = logoutUri('backchannel_logout_uri');
  const fclSessionRequired = optBool('frontchannel_logout_session_required') ?? CLIENT_DEFAULTS.frontchannel_logout_session_required;
  optBool('backchannel_logout_session_required'); // type-checked, value derived from backchannel_logout_uri
  optBool('sso_disabled'); // type-checked, always stored as true

  // --- PKCE, lifetimes, refresh tokens ------------------------------------------------------
  const pkceIn = optEnum('code_challenge_method', ['S256', 'none'] as const);
  const pkce = pkceIn === null ? undefined : (pkceIn ?? CLIENT_DEFAULTS.code_challenge_method);
  if (pkce === 'none' && isPublicType) {
    errors.push({ field: 'code_challenge_method', message: `must be "S256" for ${appType} clients (PKCE is mandatory for public clients)` });
  }

  const accessLifetime = optPosInt('access_token_lifetime', CLIENT_DEFAULTS.access_token_lifetime);
  const authzLifetime = optPosInt('authorization_lifetime', CLIENT_DEFAULTS.authorization_lifetime);
  const refreshLifetime = optPosInt('refresh_token_lifetime', CLIENT_DEFAULTS.refresh_token_lifetime);
  if (accessLifetime !== undefined && authzLifetime !== undefined && accessLifetime > authzLifetime) {
    errors.push({ field: 'access_token_lifetime', message: `must not exceed authorization_lifetime (${accessLifetime} > ${authzLifetime})` });
  }
  if (refreshLifetime !== undefined && authzLifetime !== undefined && refreshLifetime > authzLifetime) {
    errors.push({ field: 'refresh_token_lifetime', message: `must not exceed authorization_lifetime (${refreshLifetime} > ${authzLifetime})` });
  }

  const rtUsageIn = optEnum('refresh_token_usage', ['ONETIME', 'REUSE'] as const);
  const rtUsage = rtUsageIn === null ? undefined : (rtUsageIn ?? CLIENT_DEFAULTS.refresh_token_usage);

  // --- keys --------------------------------------------------------------------------------
  const nowIso = new Date(opts.now).toISOString();
  let jwks: ClientJwks | undefined = existing?.jwks;
  const rawJwks = get('jwks');
  if (rawJwks !== undefined) {
    const keys = validateJwks(rawJwks, 'jwks', errors);
    if (keys) {
      jwks =
        existing?.jwks && sameJson(existing.jwks.keys, keys)
          ? existing.jwks
          : { keys, created: nowIso, last_updated: nowIso };
    }
  }

  errors.push(...outboundUriErrors(input, opts.production));
  if (errors.length > 0) return { ok: false, errors };

  // All of these are defined when there are no errors; the checks narrow the types.
  if (
    clientId === undefined ||
    clientName === undefined ||
    clientOrgno === undefined ||
    appType === undefined ||
    authMethod === undefined ||
    grantTypes === undefined ||
    scopes === undefined ||
    redirectUris === undefined ||
    postLogoutUris === undefined ||
    pkce === undefined ||
    accessLifetime === undefined ||
    authzLifetime === undefined ||
    refreshLifetime === undefined ||
    rtUsage === undefined
  ) {
    return { ok: false, errors: [{ field: '', message: 'internal error: incomplete client' }] };
  }

  const client: Client = {
    client_id: clientId,
    client_name: clientName,
    description,
    ...(clientUri !== undefined ? { client_uri: clientUri } : {}),
    client_orgno: clientOrgno,
    ...(supplierOrgno !== undefined ? { supplier_orgno: supplierOrgno } : {}),
    integration_type: 'ansattporten',
    application_type: appType,
    token_endpoint_auth_method: authMethod,
    grant_types: [...grantTypes],
    scopes: [...scopes],
    redirect_uris: [...redirectUris],
    post_logout_redirect_uris: [...postLogoutUris],
    ...(fcl !== undefined ? { frontchannel_logout_uri: fcl } : {}),
    frontchannel_logout_session_required: fclSessionRequired,
    ...(bcl !== undefined ? { backchannel_logout_uri: bcl } : {}),
    backchannel_logout_session_required: bcl !== undefined,
    sso_disabled: true,
    code_challenge_method: pkce,
    access_token_lifetime: accessLifetime,
    authorization_lifetime: authzLifetime,
    refresh_token_lifetime: refreshLifetime,
    refresh_token_usage: rtUsage,
    ...(jwks !== undefined ? { jwks } : {}),
    active: existing?.active ?? true,
    created: existing?.created ?? nowIso,
    last_updated: nowIso,
  };
  return { ok: true, client };
}

/**
 * Validate a client key set (`{keys: [...]}`, spec §15.5): at most 5 RSA signing keys with
 * `kty`, `alg` (RS256/RS384/RS512), `use: "sig"`, `kid` (`[A-Za-z0-9._-]`, unique in the set),
 * `e`, `n` (a public key of at least 2048 bits), no private key material.
 * Returns the keys, or undefined after pushing errors (field names start with `prefix`).
 */
export function validateJwks(value: unknown, prefix: string, errors: FieldError[]): ClientJwk[] | undefined {
  if (!isPlainObject(value)) {
    errors.push({ field: prefix, message: `must be an object {"keys": [...]} (got ${typeName(value)})` });
    return undefined;
  }
  const before = errors.length;
  for (const k of Object.keys(value)) {
    if (k !== 'keys' && k !== 'created' && k !== 'last_updated') errors.push({ field: `${prefix}.${k}`, message: 'unknown field' });
  }
  const keys = value.keys;
  if (keys === undefined) {
    errors.push({ field: `${prefix}.keys`, message: 'is required' });
    return undefined;
  }
  if (!Array.isArray(keys)) {
    errors.push({ field: `${prefix}.keys`, message: `must be an array (got ${typeName(keys)})` });
    return undefined;
  }
  if (keys.length > MAX_CLIENT_KEYS) {
    errors.push({ field: `${prefix}.keys`, message: `must contain at most ${MAX_CLIENT_KEYS} keys (got ${keys.length})` });
  }
  const kids = new Map<string, number>();
  keys.forEach((key: unknown, i) => {
    const at = `${prefix}.keys[${i}]`;
    if (!isPlainObject(key)) {
      errors.push({ field: at, message: `must be an object (got ${typeName(key)})` });
      return;
    }
    const keyErrors = errors.length;
    if (key.kty !== 'RSA') errors.push({ field: `${at}.kty`, message: key.kty === undefined ? 'is required' : `must be "RSA" (got ${q(key.kty)})` });
    if (key.alg === undefined) errors.push({ field: `${at}.alg`, message: 'is required' });
    else if (typeof key.alg !== 'string' || !(CLIENT_KEY_ALGS as readonly string[]).includes(key.alg)) {
      errors.push({ field: `${at}.alg`, message: `must be one of ${CLIENT_KEY_ALGS.map(q).join(', ')} (got ${q(key.alg)})` });
    }
    if (key.use === undefined) errors.push({ field: `${at}.use`, message: 'is required' });
    else if (key.use !== 'sig') errors.push({ field: `${at}.use`, message: `must be "sig" (got ${q(key.use)})` });
    if (key.kid === undefined) errors.push({ field: `${at}.kid`, message: 'is required' });
    else if (typeof key.kid !== 'string' || !KID.test(key.kid) || key.kid.length > 255) {
      errors.push({ field: `${at}.kid`, message: `must consist of letters, digits, ".", "_" and "-" (got ${q(key.kid)})` });
    } else {
      const prev = kids.get(key.kid);
      if (prev !== undefined) errors.push({ field: `${at}.kid`, message: `duplicate kid ${q(key.kid)} (also ${prefix}.keys[${prev}])` });
      else kids.set(key.kid, i);
    }
    for (const m of ['e', 'n'] as const) {
      const v = key[m];
      if (v === undefined) errors.push({ field: `${at}.${m}`, message: 'is required' });
      else if (typeof v !== 'string' || !B64URL.test(v)) errors.push({ field: `${at}.${m}`, message: 'must be a base64url string' });
    }
    for (const m of JWK_PRIVATE_MEMBERS) {
      if (m in key) errors.push({ field: `${at}.${m}`, message: 'must not be present: a client key must be a public key' });
    }
    if (key.x5c !== undefined) {
      if (!Array.isArray(key.x5c) || key.x5c.length === 0) errors.push({ field: `${at}.x5c`, message: 'must be a non-empty array of base64 certificates' });
      else
        key.x5c.forEach((c: unknown, j) => {
          if (typeof c !== 'string' || !B64.test(c)) errors.push({ field: `${at}.x5c[${j}]`, message: 'must be a base64 (not base64url) DER certificate' });
        });
    }
    if (errors.length === keyErrors) {
      // structurally fine: check that it really is an RSA public key of sufficient size
      try {
        const pk = createPublicKey({ key: { kty: 'RSA', n: key.n as string, e: key.e as string }, format: 'jwk' });
        const bits = pk.asymmetricKeyDetails?.modulusLength ?? 0;
        if (bits < MIN_RSA_MODULUS_BITS) errors.push({ field: `${at}.n`, message: `RSA modulus must be at least ${MIN_RSA_MODULUS_BITS} bits (got ${bits})` });
        const eHex = Buffer.from(key.e as string, 'base64url').toString('hex');
        const exponent = eHex === '' ? 0n : BigInt(`0x${eHex}`);
        if (exponent < 3n || exponent % 2n === 0n) errors.push({ field: `${at}.e`, message: 'must be an odd RSA public exponent of at least 3' });
      } catch {
        errors.push({ field: at, message: 'is not a valid RSA public key' });
      }
    }
  });
  if (errors.length > before) return undefined;
  return (keys as ClientJwk[]).map((k) => ({ ...k }));
}
