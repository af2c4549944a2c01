import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../../core/clock.js';
import type { StoredClient } from '../../clients/client-types.js';
import type {
  AuditRecord, AuditStore, ClientStore, EmployerRuleStore, EphemeralStore, Grant, GrantStore, IssuedTokenRecords, KeyStore, RefreshTokenRecord, SigningKeyRecord, StoredEmployerRule, Stores,
} from '../ports.js';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { SqliteScopeStore } from './sqlite-scope-store.js';

type Db = Database.Database;

/** Opens (creating if needed) the SQLite database and applies the versioned migrations. */
export function openSqlite(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const apply = db.transaction((version: number, sql: string) => {
    db.exec(sql);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, Date.now());
  });
  for (const [i, sql] of SQLITE_MIGRATIONS.entries()) {
    const version = i + 1;
    if (!applied.has(version)) apply.immediate(version, sql);
  }
}

export class SqliteEphemeralStore implements EphemeralStore {
  private readonly sGet; private readonly sPut; private readonly sDel; private readonly sAdd; private readonly sPurge;
  private readonly takeTx;
  private lastPurge = 0;

  constructor(private readonly db: Db, private readonly clock: Clock) {
    this.sGet = db.prepare('SELECT value, expires_at FROM ephemeral WHERE ns = ? AND key = ?');
    this.sPut = db.prepare('INSERT INTO ephemeral (ns, key, value, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at');
    this.sDel = db.prepare('DELETE FROM ephemeral WHERE ns = ? AND key = ?');
    this.sAdd = db.prepare('INSERT INTO ephemeral (ns, key, value, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at WHERE ephemeral.expires_at <= ?');
    this.sPurge = db.prepare('DELETE FROM ephemeral WHERE expires_at <= ?');
    this.takeTx = db.transaction((ns: string, key: string, now: number) => {
      const row = this.sGet.get(ns, key) as { value: string; expires_at: number } | undefined;
      if (!row) return undefined;
      this.sDel.run(ns, key);
      return row.expires_at > now ? row.value : undefined;
    });
  }

  private purge(now: number): void {
    if (now - this.lastPurge < 60_000) return;
    this.lastPurge = now;
    this.sPurge.run(now);
  }

  async put(ns: string, key: string, value: unknown, ttlSeconds: number): Promise<void> {
    const now = this.clock.now();
    this.purge(now);
    this.sPut.run(ns, key, JSON.stringify(value), now + ttlSeconds * 1000);
  }

  async get<T>(ns: string, key: string): Promise<T | undefined> {
    const row = this.sGet.get(ns, key) as { value: string; expires_at: number } | undefined;
    if (!row || row.expires_at <= this.clock.now()) return undefined;
    return JSON.parse(row.value) as T;
  }

  async take<T>(ns: string, key: string): Promise<T | undefined> {
    const v = this.takeTx.immediate(ns, key, this.clock.now()) as string | undefined;
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }

  async count(ns: string): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM ephemeral WHERE ns = ? AND expires_at > ?').get(ns, this.clock.now()) as { n: number }).n;
  }

  async increment(ns: string, key: string, ttlSeconds: number): Promise<number> {
    const now = this.clock.now();
    const row = this.db.prepare(
      `INSERT INTO ephemeral (ns, key, value, expires_at) VALUES (?, ?, '1', ?)
       ON CONFLICT (ns, key) DO UPDATE SET
         value = CASE WHEN ephemeral.expires_at <= ? THEN '1' ELSE CAST(CAST(ephemeral.value AS INTEGER) + 1 AS TEXT) END,
         expires_at = CASE WHEN ephemeral.expires_at <= ? THEN excluded.expires_at ELSE ephemeral.expires_at END
       RETURNING value`,
    ).get(ns, key, now + ttlSeconds * 1000, now, now) as { value: string };
    return Number(row.value);
  }

  async add(ns: string, key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    const now = this.clock.now();
    return this.sAdd.run(ns, key, JSON.stringify(value), now + ttlSeconds * 1000, now).changes === 1;
  }

  async delete(ns: string, key: string): Promise<void> {
    this.sDel.run(ns, key);
  }
}

export class SqliteKeyStore implements KeyStore {
  constructor(private readonly db: Db) {}

  async listSigningKeys(): Promise<SigningKeyRecord[]> {
    const rows = this.db.prepare('SELECT * FROM signing_keys ORDER BY created_at').all() as Record<string, any>[];
    return rows.map((r) => ({
      kid: r.kid, alg: r.alg, privateJwk: JSON.parse(r.private_jwk), publicJwk: JSON.parse(r.public_jwk),
      state: r.state, createdAt: r.created_at, activatedAt: r.activated_at ?? undefined, publishUntil: r.publish_until ?? undefined,
    }));
  }

  async insertSigningKey(k: SigningKeyRecord): Promise<void> {
    this.db.prepare('INSERT OR IGNORE INTO signing_keys (kid, alg, private_jwk, public_jwk, state, created_at, activated_at, publish_until) VALUES (?,?,?,?,?,?,?,?)')
      .run(k.kid, k.alg, JSON.stringify(k.privateJwk), JSON.stringify(k.publicJwk), k.state, k.createdAt, k.activatedAt ?? null, k.publishUntil ?? null);
  }

  async updateSigningKey(kid: string, p: Partial<Pick<SigningKeyRecord, 'state' | 'activatedAt' | 'publishUntil'>>): Promise<void> {
    const cur = this.db.prepare('SELECT state, activated_at, publish_until FROM signing_keys WHERE kid = ?').get(kid) as Record<string, any> | undefined;
    if (!cur) return;
    this.db.prepare('UPDATE signing_keys SET state = ?, activated_at = ?, publish_until = ? WHERE kid = ?')
      .run(p.state ?? cur.state, p.activatedAt ?? cur.activated_at, p.publishUntil ?? cur.publish_until, kid);
  }

  async deleteSigningKey(kid: string): Promise<void> {
    this.db.prepare('DELETE FROM signing_keys WHERE kid = ?').run(kid);
  }

  async getOrCreateSecret(name: string, create: () => string): Promise<string> {
    this.db.prepare('INSERT OR IGNORE INTO secrets (name, value) VALUES (?, ?)').run(name, create());
    return (this.db.prepare('SELECT value FROM secrets WHERE name = ?').get(name) as { value: string }).value;
  }
}

export class SqliteClientStore implements ClientStore {
  private readonly sGet;
  constructor(private readonly db: Db) {
    this.sGet = db.prepare('SELECT data FROM clients WHERE client_id = ?');
  }

  async getClient(clientId: string): Promise<StoredClient | undefined> {
    const row = this.sGet.get(clientId) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as StoredClient) : undefined;
  }

  async listClients(opts: { includeInactive?: boolean; orgno?: string } = {}): Promise<StoredClient[]> {
    const rows = this.db.prepare('SELECT data FROM clients ORDER BY client_id').all() as { data: string }[];
    return rows
      .map((r) => JSON.parse(r.data) as StoredClient)
      .filter((c) => (opts.includeInactive || c.client.active) && (!opts.orgno || c.client.client_orgno === opts.orgno));
  }

  async putClient(c: StoredClient): Promise<void> {
    this.db.prepare('INSERT INTO clients (client_id, data) VALUES (?, ?) ON CONFLICT (client_id) DO UPDATE SET data = excluded.data')
      .run(c.client.client_id, JSON.stringify(c));
  }
}

export class SqliteGrantStore implements GrantStore {
  private readonly sPutAt; private readonly sGetAt; private readonly sGetGrant; private readonly sInsGrant;
  private readonly sPutRt; private readonly sGetRt; private readonly sUseRt;

  constructor(private readonly db: Db) {
    this.sInsGrant = db.prepare('INSERT INTO grants (id, client_id, sid, scope, data, expires_at, revoked) VALUES (?,?,?,?,?,?,0)');
    this.sGetGrant = db.prepare('SELECT data, revoked FROM grants WHERE id = ?');
    this.sPutAt = db.prepare('INSERT OR REPLACE INTO access_tokens (jti, grant_id, expires_at) VALUES (?,?,?)');
    this.sGetAt = db.prepare('SELECT grant_id FROM access_tokens WHERE jti = ?');
    this.sPutRt = db.prepare('INSERT OR REPLACE INTO refresh_tokens (hash, grant_id, expires_at, used) VALUES (?,?,?,?)');
    this.sGetRt = db.prepare('SELECT grant_id, expires_at, used FROM refresh_tokens WHERE hash = ?');
    this.sUseRt = db.prepare('UPDATE refresh_tokens SET used = 1 WHERE hash = ? AND used = 0');
  }

  private readonly createTx = (g: Grant, t?: IssuedTokenRecords) => {
    this.sInsGrant.run(g.id, g.clientId, g.sid, g.scope, JSON.stringify(g), g.expiresAt);
    if (t) this.writeTokens(t);
  };

  private writeTokens(t: IssuedTokenRecords): void {
    if (t.accessToken) this.sPutAt.run(t.accessToken.jti, t.accessToken.grantId, t.accessToken.expiresAt);
    if (t.refreshToken) {
      const r = t.refreshToken.rec;
      this.sPutRt.run(t.refreshToken.hash, r.grantId, r.expiresAt, r.used ? 1 : 0);
    }
  }

  async createGrant(g: Grant, tokens?: IssuedTokenRecords): Promise<void> {
    this.db.transaction(this.createTx)(g, tokens);
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

export class SqliteAuditStore implements AuditStore {
  private readonly sIns; private readonly sList;
  constructor(db: Db, private readonly clock: Clock) {
    this.sIns = db.prepare('INSERT INTO audit_log (at, actor, action, target, before, after) VALUES (?,?,?,?,?,?)');
    this.sList = db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?');
  }

  async append(e: Omit<AuditRecord, 'id' | 'at'> & { at?: number }): Promise<void> {
    this.sIns.run(e.at ?? this.clock.now(), e.actor, e.action, e.target, toJsonOrNull(e.before), toJsonOrNull(e.after));
  }

  async list(opts: { limit?: number } = {}): Promise<AuditRecord[]> {
    const rows = this.sList.all(opts.limit ?? 100) as Record<string, any>[];
    return rows.map((r) => {
      const rec: AuditRecord = { id: r.id, at: r.at, actor: r.actor, action: r.action, target: r.target };
      if (r.before !== null) rec.before = JSON.parse(r.before);
      if (r.after !== null) rec.after = JSON.parse(r.after);
      return rec;
    });
  }
}

// --- employer rules (issue 7) -----------------------------------------------------------------
export class SqliteEmployerRuleStore implements EmployerRuleStore {
  private readonly sAll; private readonly sByOrg; private readonly sGet; private readonly sPut; private readonly sDel;
  constructor(db: Db) {
    this.sAll = db.prepare('SELECT data FROM employer_rules ORDER BY orgno, created, id');
    this.sByOrg = db.prepare('SELECT data FROM employer_rules WHERE orgno = ? ORDER BY created, id');
    this.sGet = db.prepare('SELECT data FROM employer_rules WHERE id = ?');
    this.sPut = db.prepare('INSERT INTO employer_rules (id, orgno, created, data) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET orgno = excluded.orgno, created = excluded.created, data = excluded.data');
    this.sDel = db.prepare('DELETE FROM employer_rules WHERE id = ?');
  }

  async list(opts: { orgno?: string } = {}): Promise<StoredEmployerRule[]> {
    const rows = (opts.orgno !== undefined ? this.sByOrg.all(opts.orgno) : this.sAll.all()) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as StoredEmployerRule);
  }

  async get(id: string): Promise<StoredEmployerRule | undefined> {
    const row = this.sGet.get(id) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as StoredEmployerRule) : undefined;
  }

  async put(rule: StoredEmployerRule): Promise<void> {
    this.sPut.run(rule.id, rule.orgno, rule.created, JSON.stringify(rule));
  }

  async delete(id: string): Promise<boolean> {
    return this.sDel.run(id).changes === 1;
  }
}
// --- end employer rules ---------------------------------------------------------------------

/** undefined and null are both stored as SQL NULL (and read back as absent). */
function toJsonOrNull(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

export function createSqliteStores(path: string, clock: Clock): Stores & { db: Db; employerRules: EmployerRuleStore } {
  const db = openSqlite(path);
  const grants = new SqliteGrantStore(db);
  const timer = setInterval(() => grants.purgeExpired(clock.now()), 10 * 60_000);
  timer.unref();
  return {
    db,
    ephemeral: new SqliteEphemeralStore(db, clock),
    keys: new SqliteKeyStore(db),
    clients: new SqliteClientStore(db),
    grants,
    audit: new SqliteAuditStore(db, clock),
    employerRules: new SqliteEmployerRuleStore(db),
    scopes: new SqliteScopeStore(db),
    async ping() { db.prepare('SELECT 1').get(); },
    async close() { clearInterval(timer); db.close(); },
  };
}
