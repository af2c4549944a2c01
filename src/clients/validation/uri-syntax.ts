/** Syntax and transport rules shared by every URI a client registers (spec §15.2, RFC 8252 §8.3). */
import { typeName } from '../../core/json-value.js';
import { isLoopbackIpHost } from '../loopback-redirect.js';
import { q, type FieldError } from './field-reader.js';

/** Hosts allowed over http in production, for native clients only (RFC 8252 §7.3, §8.3). */
const isLoopbackHost = (hostname: string): boolean => isLoopbackIpHost(hostname) || hostname === 'localhost';

export interface UriRules {
  production: boolean;
  native: boolean;
}

/** An absolute http(s) URL without user credentials; or undefined after pushing an error. */
export function parseAbsoluteHttpUrl(value: string, field: string, errors: FieldError[]): URL | undefined {
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

/**
 * Check a redirect-style URI: absolute http(s) URL, no fragment, no credentials; in production
 * https only, except http loopback for native clients, and no localhost for non-native clients.
 * Returns the parsed URL, or undefined after pushing an error.
 */
export function checkRedirectStyleUri(value: unknown, field: string, rules: UriRules, errors: FieldError[]): URL | undefined {
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
    const loopback = isLoopbackHost(u.hostname);
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
