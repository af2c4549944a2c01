/**
 * Configuration of the admin API and the self-service pages (spec §15.3): the `admin` section of
 * the configuration, which the environment variables ADMIN_TOKEN, ADMIN_TRUSTED_ISSUER,
 * ADMIN_TRUSTED_JWKS_URI and ADMIN_TRUSTED_AUDIENCE set (src/config/env-vars.ts; environment
 * winning over the file). Production mode refuses unsafe settings at start.
 */
import { z } from 'zod';
import { weakSecretReason } from '../core/secret-entropy.js';

const PATH = /^(\/[A-Za-z0-9._~-]+)+$/;

export const AdminConfigFileSchema = z.strictObject({
  /** The admin API and pages. Default: on outside production; in production only when ADMIN_TOKEN or a trusted issuer is set. */
  enabled: z.boolean().optional(),
  /** Base path of the admin API (Digdir's API lives at the root of its own host). */
  base_path: z.string().regex(PATH, 'must be an absolute path without a trailing slash').default('/admin/api'),
  /** Path of the self-service pages. */
  pages_path: z.string().regex(PATH, 'must be an absolute path without a trailing slash').default('/admin'),
  /** The self-service pages (they need the admin API to be enabled). */
  pages_enabled: z.boolean().default(true),
  /** The static admin token; normally from env ADMIN_TOKEN (keep it out of files under version control). */
  token: z.string().regex(/^[A-Za-z0-9\-._~+/]+=*$/, 'must be usable as a Bearer token (letters, digits and -._~+/ only)').optional(),
  /** Issuer of trusted JWT access tokens (like Maskinporten for Digdir's API); env ADMIN_TRUSTED_ISSUER wins. */
  trusted_issuer: z.string().optional(),
  /** JWKS of the trusted issuer; env ADMIN_TRUSTED_JWKS_URI wins. */
  trusted_jwks_uri: z.string().optional(),
  /** Trusted JWTs must carry this audience (env ADMIN_TRUSTED_AUDIENCE); required in production with a trusted issuer. */
  trusted_audience: z.string().optional(),
  /** Lifetime of a self-service page login (never longer than the pasted token lives). */
  session_minutes: z.number().int().min(1).max(24 * 60).default(30),
});

type AdminConfigFile = z.infer<typeof AdminConfigFileSchema>;

export interface AdminConfig {
  enabled: boolean;
  basePath: string;
  pagesPath: string;
  pagesEnabled: boolean;
  /** The static admin token (env ADMIN_TOKEN); full access to every organisation's clients. */
  token?: string;
  trustedIssuer?: string;
  trustedJwksUri?: string;
  trustedAudience?: string;
  sessionMinutes: number;
}

const MIN_ADMIN_TOKEN_LENGTH = 32;

/** The example value shown in the documentation; refused in production mode. */
export const DOCUMENTED_EXAMPLE_ADMIN_TOKEN = 'change-me-to-a-long-random-admin-token';

const EXAMPLE_TOKENS = new Set([
  DOCUMENTED_EXAMPLE_ADMIN_TOKEN,
  'changeme', 'change-me', 'change_me', 'admin', 'admin-token', 'secret', 'password', 'token', 'test', 'ansattporten',
  'dev-admin-token', 'local-admin-token',
]);

/** Whether a token is (or obviously derives from) a documented example value. */
function isExampleAdminToken(token: string): boolean {
  const t = token.trim().toLowerCase();
  return EXAMPLE_TOKENS.has(t) || /change[-_ ]?me|example|placeholder|your[-_ ]?token/.test(t);
}

function absoluteHttpUrl(value: string, name: string, production: boolean): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`${name} must be an absolute URL, got "${value}"`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`${name} must be an http(s) URL`);
  if (production && u.protocol !== 'https:') throw new Error(`production mode refuses an http ${name} ("${value}")`);
  return value;
}

/**
 * Resolves the admin configuration; returns an error message for a configuration that must not
 * start (the caller turns it into a ConfigError).
 */
export function resolveAdminConfig(
  file: Partial<AdminConfigFile> | undefined, production: boolean,
): { ok: true; admin: AdminConfig } | { ok: false; error: string } {
  const f = file ?? {};
  try {
    const token = f.token || undefined;
    const trustedIssuer = f.trusted_issuer || undefined;
    const trustedJwksUri = f.trusted_jwks_uri || undefined;
    const trustedAudience = f.trusted_audience || undefined;
    if (trustedIssuer && !trustedJwksUri) throw new Error('ADMIN_TRUSTED_ISSUER needs ADMIN_TRUSTED_JWKS_URI (the JWKS of the trusted issuer)');
    if (trustedJwksUri && !trustedIssuer) throw new Error('ADMIN_TRUSTED_JWKS_URI needs ADMIN_TRUSTED_ISSUER');
    if (trustedJwksUri) absoluteHttpUrl(trustedJwksUri, 'ADMIN_TRUSTED_JWKS_URI', production);
    const enabled = f.enabled ?? (!production || token !== undefined || trustedIssuer !== undefined);
    if (production && enabled) {
      if (token === undefined && trustedIssuer === undefined) {
        throw new Error('production mode refuses the admin API without credentials: set ADMIN_TOKEN (32+ random characters) or ADMIN_TRUSTED_ISSUER and ADMIN_TRUSTED_JWKS_URI, or set admin.enabled to false');
      }
      if (token !== undefined && token.length < MIN_ADMIN_TOKEN_LENGTH) {
        throw new Error(`production mode refuses an ADMIN_TOKEN shorter than ${MIN_ADMIN_TOKEN_LENGTH} characters`);
      }
      if (token !== undefined && isExampleAdminToken(token)) {
        throw new Error('production mode refuses the documented example ADMIN_TOKEN: generate one, e.g. `openssl rand -base64 36`');
      }
      const weak = token !== undefined ? weakSecretReason(token) : undefined;
      if (weak !== undefined) throw new Error(`production mode refuses this ADMIN_TOKEN: it ${weak}`);
      if (trustedIssuer !== undefined && trustedAudience === undefined) {
        throw new Error('production mode refuses ADMIN_TRUSTED_ISSUER without ADMIN_TRUSTED_AUDIENCE (admin.trusted_audience): a token the trusted issuer made for another API would be accepted');
      }
    }
    const basePath = f.base_path ?? '/admin/api';
    const pagesPath = f.pages_path ?? '/admin';
    if (!PATH.test(basePath)) throw new Error(`admin.base_path must be an absolute path without a trailing slash, got "${basePath}"`);
    if (!PATH.test(pagesPath)) throw new Error(`admin.pages_path must be an absolute path without a trailing slash, got "${pagesPath}"`);
    return {
      ok: true,
      admin: {
        enabled,
        basePath,
        pagesPath,
        pagesEnabled: f.pages_enabled ?? true,
        ...(token !== undefined ? { token } : {}),
        ...(trustedIssuer !== undefined ? { trustedIssuer } : {}),
        ...(trustedJwksUri !== undefined ? { trustedJwksUri } : {}),
        ...(trustedAudience !== undefined ? { trustedAudience } : {}),
        sessionMinutes: f.session_minutes ?? 30,
      },
    };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
