/** Grants and the token records hanging off them in SQLite; each multi-row write is one transaction. */
import type Database from 'better-sqlite3';
import type { Grant, GrantStore, IssuedTokenRecords, RefreshTokenRecord } from '../ports.js';

export class SqliteGrantStore implements GrantStore {
  private readonly sPutAt; private readonly sGetAt; private readonly sGetGrant; private readonly sInsGrant;
  private readonly sPutRt; private readonly sGetRt; private readonly sUseRt;
  /** One transaction function, made once (better-sqlite3's db.transaction wraps a function anew on every call). */
  private readonly createTx: (g: Grant, t?: IssuedTokenRecords) => void;

  constructor(private readonly db: Database.Database) {
    this.sInsGrant = db.prepare('INSERT INTO grants (id, client_id, sid, scope, data, expires_at, revoked) VALUES (?,?,?,?,?,?,0)');
    this.sGetGrant = db.prepare('SELECT data, revoked FROM grants WHERE id = ?');
    this.sPutAt = db.prepare('INSERT OR REPLACE INTO access_tokens (jti, grant_id, expires_at) VALUES (?,?,?)');
    this.sGetAt = db.prepare('SELECT grant_id FROM access_tokens WHERE jti = ?');
    this.sPutRt = db.prepare('INSERT OR REPLACE INTO refresh_tokens (hash, grant_id, expires_at, used) VALUES (?,?,?,?)');
    this.sGetRt = db.prepare('SELECT grant_id, expires_at, used FROM refresh_tokens WHERE hash = ?');
    this.sUseRt = db.prepare('UPDATE refresh_tokens SET used = 1 WHERE hash = ? AND used = 0');
    this.createTx = db.transaction((g: Grant, t?: IssuedTokenRecords) => {
      this.sInsGrant.run(g.id, g.clientId, g.sid, g.scope, JSON.stringify(g), g.expiresAt);
      if (t) this.writeTokens(t);
    });
  }

  private writeTokens(t: IssuedTokenRecords): void {
    if (t.accessToken) this.sPutAt.run(t.accessToken.jti, t.accessToken.grantId, t.accessToken.expiresAt);
    if (t.refreshToken) {
      const r = t.refreshToken.rec;
      this.sPutRt.run(t.refreshToken.hash, r.grantId, r.expiresAt, r.used ? 1 : 0);
    }
  }

  async createGrant(g: Grant, tokens?: IssuedTokenRecords): Promise<void> {
    this.createTx(g, tokens);
  }

  async saveTokens(tokens: IssuedTokenRecords): Promise<void> {
    this.db.transaction((t: IssuedTokenRecords) => this.writeTokens(t))(tokens);
  }

  async getGrant(id: string): Promise<Grant | undefined> {
    const row = this.sGetGrant.get(id) as { data: string; revoked: number } | undefined;
    if (!row) return undefined;
    const g = JSON.parse(row.data) as Grant;
    g.revoked = row.revoked === 1;
    return g;
  }

  async revokeGrant(id: string): Promise<void> {
    this.db.prepare('UPDATE grants SET revoked = 1 WHERE id = ?').run(id);
  }

  async revokeGrantsForLogout(sid: string): Promise<string[]> {
    const rows = this.db.prepare('SELECT id, scope FROM grants WHERE sid = ? AND revoked = 0').all(sid) as { id: string; scope: string }[];
    const ids = rows.filter((r) => r.scope.split(' ').every((s) => s === 'openid' || s === 'profile')).map((r) => r.id);
    const stmt = this.db.prepare('UPDATE grants SET revoked = 1 WHERE id = ?');
    this.db.transaction(() => { for (const id of ids) stmt.run(id); })();
    return ids;
  }

  async putRefreshToken(hash: string, r: RefreshTokenRecord): Promise<void> {
    this.sPutRt.run(hash, r.grantId, r.expiresAt, r.used ? 1 : 0);
  }

  async getRefreshToken(hash: string): Promise<RefreshTokenRecord | undefined> {
    const row = this.sGetRt.get(hash) as { grant_id: string; expires_at: number; used: number } | undefined;
    return row ? { grantId: row.grant_id, expiresAt: row.expires_at, used: row.used === 1 } : undefined;
  }

  async markRefreshTokenUsed(hash: string): Promise<boolean> {
    return this.sUseRt.run(hash).changes === 1;
  }

  async touchRefreshToken(hash: string, expiresAt: number): Promise<void> {
    this.db.prepare('UPDATE refresh_tokens SET expires_at = ? WHERE hash = ?').run(expiresAt, hash);
  }

  async putAccessToken(jti: string, grantId: string, expiresAt: number): Promise<void> {
    this.sPutAt.run(jti, grantId, expiresAt);
  }

  async getAccessTokenGrant(jti: string): Promise<string | undefined> {
    return (this.sGetAt.get(jti) as { grant_id: string } | undefined)?.grant_id;
  }

  /** Drops expired rows; called periodically. */
  purgeExpired(now: number): void {
    this.db.prepare('DELETE FROM access_tokens WHERE expires_at <= ?').run(now);
    this.db.prepare('DELETE FROM refresh_tokens WHERE grant_id IN (SELECT id FROM grants WHERE expires_at <= ?)').run(now);
    this.db.prepare('DELETE FROM grants WHERE expires_at <= ?').run(now);
  }
}
