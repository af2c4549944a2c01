/** A client's public keys for private_key_jwt (spec §15.5). */
import { createPublicKey } from 'node:crypto';
import { isPlainObject, typeName } from '../../core/json-value.js';
import type { Client, ClientJwk, ClientJwks } from '../client-types.js';
import { q, type FieldError, type FieldReader } from './field-reader.js';

export const MAX_CLIENT_KEYS = 5;
const MIN_RSA_MODULUS_BITS = 2048;
const CLIENT_KEY_ALGS = ['RS256', 'RS384', 'RS512'] as const;

const JWK_PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const B64URL = /^[A-Za-z0-9_-]+$/;
const B64 = /^[A-Za-z0-9+/]+={0,2}$/;
const KID = /^[A-Za-z0-9._-]+$/;

/**
 * The jwks field: validated keys, or the stored set unchanged (with its times) when the keys are
 * the same as before or the field is absent.
 */
export function readJwks(r: FieldReader, existing: Client | undefined, nowIso: string): ClientJwks | undefined {
  let jwks: ClientJwks | undefined = existing?.jwks;
  const rawJwks = r.get('jwks');
  if (rawJwks !== undefined) {
    const keys = validateJwks(rawJwks, 'jwks', r.errors);
    if (keys) {
      jwks =
        existing?.jwks && JSON.stringify(existing.jwks.keys) === JSON.stringify(keys)
          ? existing.jwks
          : { keys, created: nowIso, last_updated: nowIso };
    }
  }
  return jwks;
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
