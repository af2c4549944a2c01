/** Signing keys and deployment secrets in PostgreSQL. */
import type { KeyStore, SigningKeyRecord } from '../ports.js';
import { num, optNum, type PgPool } from './postgres-database.js';

export class PostgresKeyStore implements KeyStore {
  constructor(private readonly pool: PgPool) {}

  async listSigningKeys(): Promise<SigningKeyRecord[]> {
  // biome-ignore lint/suspicious/noExplicitAny: a database row, shaped by the SQL that selects it
    const { rows } = await this.pool.query<Record<string, any>>('SELECT * FROM signing_keys ORDER BY created_at, kid COLLATE "C"');
    return rows.map((r) => ({
      kid: r.kid, alg: r.alg, privateJwk: r.private_jwk, publicJwk: r.public_jwk,
      state: r.state, createdAt: num(r.created_at), activatedAt: optNum(r.activated_at), publishUntil: optNum(r.publish_until),
    }));
  }

  async insertSigningKey(k: SigningKeyRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO signing_keys (kid, alg, private_jwk, public_jwk, state, created_at, activated_at, publish_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (kid) DO NOTHING`,
      [k.kid, k.alg, JSON.stringify(k.privateJwk), JSON.stringify(k.publicJwk), k.state, k.createdAt, k.activatedAt ?? null, k.publishUntil ?? null],
    );
  }

  /** Fields absent from the patch keep their value (as in the SQLite store). */
  async updateSigningKey(kid: string, p: Partial<Pick<SigningKeyRecord, 'state' | 'activatedAt' | 'publishUntil'>>): Promise<void> {
    await this.pool.query(
      `UPDATE signing_keys SET state = COALESCE($2, state), activated_at = COALESCE($3, activated_at),
         publish_until = COALESCE($4, publish_until) WHERE kid = $1`,
      [kid, p.state ?? null, p.activatedAt ?? null, p.publishUntil ?? null],
    );
  }

  async deleteSigningKey(kid: string): Promise<void> {
    await this.pool.query('DELETE FROM signing_keys WHERE kid = $1', [kid]);
  }

  /**
   * Two statements on purpose: a single `WITH ins AS (INSERT … ON CONFLICT DO NOTHING) SELECT …`
   * reads with the statement's snapshot and can miss the row a concurrent first caller just committed.
   * The INSERT waits for that caller's commit, so the following SELECT sees the winner's value.
   */
  async getOrCreateSecret(name: string, create: () => string): Promise<string> {
    await this.pool.query('INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, create()]);
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM secrets WHERE name = $1', [name]);
    return rows[0]!.value;
  }
}
