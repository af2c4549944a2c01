/**
 * Who may call the admin API (spec §15.3): Bearer tokens only.
 *  - the static admin token from ADMIN_TOKEN: every scope, every organisation (local use, CLI-like);
 *  - JWT access tokens of a trusted issuer (Maskinporten for Digdir's API), verified with the keys
 *    at ADMIN_TRUSTED_JWKS_URI, for the audience ADMIN_TRUSTED_AUDIENCE when set, carrying `idporten:dcr.*` scopes in a space-separated `scope` claim
 *    and a `consumer` claim `{authority, ID: "0192:<orgno>"}`; such a caller only sees and changes
 *    the clients of that organisation.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, customFetch, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { FetchLike } from '../net/safe-fetch.js';
import type { Clock } from '../core/clock.js';
import type { AdminConfig } from './admin-config.js';

export const SCOPE_READ = 'idporten:dcr.read';
export const SCOPE_WRITE = 'idporten:dcr.write';
export const SCOPE_MODIFY = 'idporten:dcr.modify';
const ADMIN_SCOPES = [SCOPE_READ, SCOPE_WRITE, SCOPE_MODIFY] as const;
export type AdminScope = (typeof ADMIN_SCOPES)[number];

const TRUSTED_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384'];
const CLOCK_TOLERANCE_S = 30;

export interface AdminPrincipal {
  /** Recorded as "who" in the audit log. */
  actor: string;
  kind: 'static' | 'jwt' | 'cli';
  /** The caller's organisation; undefined = every organisation (static token, CLI). */
  orgno?: string;
  scopes: readonly string[];
  /** When the credential stops being valid (ms); undefined = no expiry. */
  expiresAt?: number;
}

type AdminAuthResult =
  | { ok: true; principal: AdminPrincipal }
  | { ok: false; error: 'missing' | 'invalid_token'; description: string };

export function hasScope(p: AdminPrincipal, scope: AdminScope): boolean {
  return p.scopes.includes(scope);
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Hash of a static admin token, kept in page sessions to notice a changed ADMIN_TOKEN. */
export function adminTokenFingerprint(token: string): string {
  return sha256(`ansattporten-admin\0${token}`).toString('base64url');
}

export class AdminAuthenticator {
  private readonly tokenDigest?: Buffer;
  private readonly jwks?: JWTVerifyGetKey;

  constructor(private readonly cfg: AdminConfig, private readonly clock: Clock, net: { fetch?: FetchLike } = {}) {
    if (cfg.token) this.tokenDigest = sha256(cfg.token);
    // production: the JWKS URI may only reach public addresses (src/net/safe-fetch.ts)
    if (cfg.trustedIssuer && cfg.trustedJwksUri) this.jwks = createRemoteJWKSet(new URL(cfg.trustedJwksUri), { timeoutDuration: 5000, ...(net.fetch ? { [customFetch]: net.fetch } : {}) });
  }

  /** The fingerprint of the configured static token (undefined when none). */
  staticFingerprint(): string | undefined {
    return this.cfg.token ? adminTokenFingerprint(this.cfg.token) : undefined;
  }

  /** Checks an `Authorization` header value. */
  async authenticateHeader(header: string | undefined): Promise<AdminAuthResult> {
    // Bearer only: any other scheme counts as no token at all.
    if (!header || !/^Bearer(?: |$)/i.test(header)) return { ok: false, error: 'missing', description: 'a Bearer token is required' };
    const m = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)[ ]*$/i.exec(header);
    if (!m) return { ok: false, error: 'invalid_token', description: 'the Authorization header must be "Bearer <token>"' };
    return this.authenticateToken(m[1]!);
  }

  /** Checks a bare token (from the header or the login form of the pages). */
  async authenticateToken(token: string): Promise<AdminAuthResult> {
    if (token.length === 0 || token.length > 16_384) return { ok: false, error: 'invalid_token', description: 'the token is invalid' };
    if (this.tokenDigest) {
      // Compare digests: constant time, and no leak of the configured token's length.
      if (timingSafeEqual(sha256(token), this.tokenDigest)) {
        return { ok: true, principal: { actor: 'admin-token', kind: 'static', scopes: [...ADMIN_SCOPES] } };
      }
    }
    if (this.jwks && token.split('.').length === 3) return this.verifyJwt(token);
    return { ok: false, error: 'invalid_token', description: 'the token is invalid' };
  }

  private async verifyJwt(token: string): Promise<AdminAuthResult> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.jwks!, {
        issuer: this.cfg.trustedIssuer!,
        // ADMIN_TRUSTED_AUDIENCE: the token must be meant for this API (RFC 7519 §4.1.3, RFC 9068 §4);
        // production mode refuses a trusted issuer without it (src/admin/admin-config.ts).
        ...(this.cfg.trustedAudience ? { audience: this.cfg.trustedAudience } : {}),
        algorithms: TRUSTED_ALGS,
        currentDate: new Date(this.clock.now()),
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp'],
      }));
    } catch {
      return { ok: false, error: 'invalid_token', description: 'the token is invalid, expired or not from the trusted issuer' };
    }
    const consumer = payload.consumer as { ID?: unknown } | undefined;
    const id = consumer && typeof consumer === 'object' ? consumer.ID : undefined;
    const orgMatch = typeof id === 'string' ? /^0192:([0-9]{9})$/.exec(id) : null;
    if (!orgMatch) return { ok: false, error: 'invalid_token', description: 'the token carries no consumer organisation ({"ID": "0192:<orgno>"})' };
    const orgno = orgMatch[1]!;
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter((s) => s !== '') : [];
    const who = typeof payload.client_id === 'string' ? payload.client_id : typeof payload.sub === 'string' ? payload.sub : 'unknown';
    return {
      ok: true,
      principal: {
        actor: `org:${orgno}/${who}`,
        kind: 'jwt',
        orgno,
        scopes,
        expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined,
      },
    };
  }
}
