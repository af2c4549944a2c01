/**
 * How the client authenticates and what it may ask for (spec §15.2, §17): application_type,
 * token_endpoint_auth_method, grant_types, scopes and code_challenge_method.
 */
import { CLIENT_DEFAULTS, type ApplicationType, type GrantType, type TokenEndpointAuthMethod } from '../client-types.js';
import { q, type FieldReader } from './field-reader.js';

const APPLICATION_TYPES: readonly ApplicationType[] = ['web', 'browser', 'native'];
const AUTH_METHODS_BY_TYPE: Record<ApplicationType, readonly TokenEndpointAuthMethod[]> = {
  web: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
  browser: ['none'],
  native: ['none'],
};
const ALL_AUTH_METHODS: readonly TokenEndpointAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];
const GRANT_TYPES: readonly GrantType[] = ['authorization_code', 'refresh_token'];
/** RFC 6749 §3.3 scope-token characters. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

interface AuthFields {
  appType: ApplicationType | undefined;
  authMethod: TokenEndpointAuthMethod | undefined;
}

/** application_type (default web) and a token_endpoint_auth_method allowed for it (public types: none). */
export function readAuthMethod(r: FieldReader): AuthFields {
  const appTypeIn = r.optEnum('application_type', APPLICATION_TYPES);
  const appType: ApplicationType | undefined = appTypeIn === null ? undefined : (appTypeIn ?? CLIENT_DEFAULTS.application_type);

  const authIn = r.optEnum('token_endpoint_auth_method', ALL_AUTH_METHODS);
  let authMethod: TokenEndpointAuthMethod | undefined;
  if (authIn === undefined) authMethod = isPublicType(appType) ? 'none' : CLIENT_DEFAULTS.token_endpoint_auth_method;
  else if (authIn !== null) {
    authMethod = authIn;
    if (appType && !AUTH_METHODS_BY_TYPE[appType].includes(authIn)) {
      r.errors.push({
        field: 'token_endpoint_auth_method',
        message: `${q(authIn)} is not allowed for application_type ${q(appType)}; use ${AUTH_METHODS_BY_TYPE[appType].map(q).join(', ')}`,
      });
    }
  }
  return { appType, authMethod };
}

/** browser and native clients cannot keep a secret. */
function isPublicType(appType: ApplicationType | undefined): boolean {
  return appType === 'browser' || appType === 'native';
}

/**
 * A list of names: the default when absent; otherwise each element must pass `problem` (which
 * returns the message for a bad one) and `required` must be among them.
 */
function readNameList(r: FieldReader, field: string, def: readonly string[], problem: (s: string) => string | undefined, required: string): string[] | undefined {
  const list = r.optStringArray(field);
  if (list === undefined) return [...def];
  if (!list) return undefined;
  let ok = true;
  list.forEach((s, i) => {
    const message = problem(s);
    if (message !== undefined) {
      r.errors.push({ field: `${field}[${i}]`, message });
      ok = false;
    }
  });
  if (!list.includes(required)) {
    r.errors.push({ field, message: `must contain ${q(required)}` });
    ok = false;
  }
  return ok ? list : undefined;
}

/** grant_types: known values only, and authorization_code always among them. */
export function readGrantTypes(r: FieldReader): GrantType[] | undefined {
  const known = (g: string) => (GRANT_TYPES as readonly string[]).includes(g);
  return readNameList(r, 'grant_types', CLIENT_DEFAULTS.grant_types, (g) => (known(g) ? undefined : `must be one of ${GRANT_TYPES.map(q).join(', ')} (got ${q(g)})`), 'authorization_code') as
    GrantType[] | undefined;
}

/** scopes: RFC 6749 §3.3 scope tokens, openid always among them. */
export function readScopes(r: FieldReader): string[] | undefined {
  return readNameList(r, 'scopes', CLIENT_DEFAULTS.scopes, (s) => (SCOPE_TOKEN.test(s) ? undefined : `must be a scope name without spaces (got ${q(s)})`), 'openid');
}

/** code_challenge_method: S256 (default) or none; public clients must use PKCE (RFC 8252 §8.1). */
export function readPkce(r: FieldReader, appType: ApplicationType | undefined): 'S256' | 'none' | undefined {
  const pkceIn = r.optEnum('code_challenge_method', ['S256', 'none'] as const);
  const pkce = pkceIn === null ? undefined : (pkceIn ?? CLIENT_DEFAULTS.code_challenge_method);
  if (pkce === 'none' && isPublicType(appType)) {
    r.errors.push({ field: 'code_challenge_method', message: `must be "S256" for ${appType} clients (PKCE is mandatory for public clients)` });
  }
  return pkce;
}
