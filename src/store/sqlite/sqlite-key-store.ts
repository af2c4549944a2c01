/** Signing keys and deployment secrets in SQLite. */
import type Database from 'better-sqlite3';
import type { KeyStore, SigningKeyRecord } from '../ports.js';

export class SqliteKeyStore implements KeyStore {
  constructor(private readonly db: Database.Database) {}

  async listSigningKeys(): Promise<SigningKeyRecord[]> {
  // biome-ignore lint/suspicious/noExplicitAny: a database row, shaped by the SQL that selects it
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
  // biome-ignore lint/suspicious/noExplicitAny: a database row, shaped by the SQL that selects it
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
