/** Grants and the token records hanging off them in PostgreSQL; each write is one statement (one commit). */
import type { Grant, GrantStore, IssuedTokenRecords, RefreshTokenRecord } from '../ports.js';
import { maintenanceQuery, num, type PgPool } from './postgres-database.js';

/** A scope string made only of openid/profile, single-space separated (same test as `split(' ').every(...)`). */
const LOGOUT_ONLY_SCOPE = '^(openid|profile)( (openid|profile))*$';

export class PostgresGrantStore implements GrantStore {
  constructor(private readonly pool: PgPool) {}

  async createGrant(g: Grant, tokens?: IssuedTokenRecords): Promise<void> {
    // One statement (one round trip, one commit): the grant and the token records it comes with.
    const at = tokens?.accessToken;
    const rt = tokens?.refreshToken;
    await this.pool.query({
      name: 'grants-create',
      text: `WITH g AS (INSERT INTO grants (id, client_id, sid, scope, data, expires_at, revoked) VALUES ($1, $2, $3, $4, $5, $6, false) RETURNING id),
       a AS (INSERT INTO access_tokens (jti, grant_id, expires_at) SELECT $7::text, id, $8::bigint FROM g WHERE $7::text IS NOT NULL RETURNING 1),
       r AS (INSERT INTO refresh_tokens (hash, grant_id, expires_at, used) SELECT $9::text, id, $10::bigint, false FROM g WHERE $9::text IS NOT NULL RETURNING 1)
       SELECT 1`,
      values: [g.id, g.clientId, g.sid, g.scope, JSON.stringify(g), g.expiresAt, at?.jti ?? null, at?.expiresAt ?? null, rt?.hash ?? null, rt?.rec.expiresAt ?? null],
    });
  }

  async saveTokens(t: IssuedTokenRecords): Promise<void> {
    const at = t.accessToken;
    const rt = t.refreshToken;
    await this.pool.query(
      `WITH a AS (INSERT INTO access_tokens (jti, grant_id, expires_at) SELECT $1::text, $2::text, $3::bigint WHERE $1::text IS NOT NULL
                  ON CONFLICT (jti) DO UPDATE SET grant_id = excluded.grant_id, expires_at = excluded.expires_at RETURNING 1),
       r AS (INSERT INTO refresh_tokens (hash, grant_id, expires_at, used) SELECT $4::text, $5::text, $6::bigint, $7::boolean WHERE $4::text IS NOT NULL
                  ON CONFLICT (hash) DO UPDATE SET grant_id = excluded.grant_id, expires_at = excluded.expires_at, used = excluded.used RETURNING 1)
       SELECT 1`,
      [at?.jti ?? null, at?.grantId ?? null, at?.expiresAt ?? null, rt?.hash ?? null, rt?.rec.grantId ?? null, rt?.rec.expiresAt ?? null, rt?.rec.used ?? false],
    );
  }

  async getGrant(id: string): Promise<Grant | undefined> {
    const { rows } = await this.pool.query<{ data: Grant; revoked: boolean }>('SELECT data, revoked FROM grants WHERE id = $1', [id]);
    const row = rows[0];
    if (!row) return undefined;
    return { ...row.data, revoked: row.revoked };
  }

  async revokeGrant(id: string): Promise<void> {
    await this.pool.query('UPDATE grants SET revoked = true WHERE id = $1', [id]);
  }

  /** One UPDATE … RETURNING: concurrent logouts of the same session report each grant once. */
  async revokeGrantsForLogout(sid: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      'UPDATE grants SET revoked = true WHERE sid = $1 AND NOT revoked AND scope ~ $2 RETURNING id', [sid, LOGOUT_ONLY_SCOPE]);
    return rows.map((r) => r.id);
  }

  async putRefreshToken(hash: string, r: RefreshTokenRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO refresh_tokens (hash, grant_id, expires_at, used) VALUES ($1, $2, $3, $4)
       ON CONFLICT (hash) DO UPDATE SET grant_id = excluded.grant_id, expires_at = excluded.expires_at, used = excluded.used`,
      [hash, r.grantId, r.expiresAt, r.used],
    );
  }

  async getRefreshToken(hash: string): Promise<RefreshTokenRecord | undefined> {
    const { rows } = await this.pool.query<{ grant_id: string; expires_at: string; used: boolean }>(
      'SELECT grant_id, expires_at, used FROM refresh_tokens WHERE hash = $1', [hash]);
    const row = rows[0];
    return row ? { grantId: row.grant_id, expiresAt: num(row.expires_at), used: row.used } : undefined;
  }

  async markRefreshTokenUsed(hash: string): Promise<boolean> {
    const res = await this.pool.query('UPDATE refresh_tokens SET used = true WHERE hash = $1 AND NOT used', [hash]);
    return res.rowCount === 1;
  }

  async touchRefreshToken(hash: string, expiresAt: number): Promise<void> {
    await this.pool.query('UPDATE refresh_tokens SET expires_at = $2 WHERE hash = $1', [hash, expiresAt]);
  }

  async putAccessToken(jti: string, grantId: string, expiresAt: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO access_tokens (jti, grant_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (jti) DO UPDATE SET grant_id = excluded.grant_id, expires_at = excluded.expires_at`,
      [jti, grantId, expiresAt],
    );
  }

  async getAccessTokenGrant(jti: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ grant_id: string }>('SELECT grant_id FROM access_tokens WHERE jti = $1', [jti]);
    return rows[0]?.grant_id;
  }

  /** Drops expired rows; called periodically. */
  async purgeExpired(now: number): Promise<void> {
    await this.pool.query(maintenanceQuery('DELETE FROM access_tokens WHERE expires_at <= $1', [now]));
    await this.pool.query(maintenanceQuery('DELETE FROM refresh_tokens WHERE grant_id IN (SELECT id FROM grants WHERE expires_at <= $1)', [now]));
    await this.pool.query(maintenanceQuery('DELETE FROM grants WHERE expires_at <= $1', [now]));
  }
}
