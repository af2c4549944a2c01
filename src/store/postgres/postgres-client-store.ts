/** Registered clients in PostgreSQL (one jsonb document per client). */
import type { StoredClient } from '../../clients/client-types.js';
import type { ClientStore } from '../ports.js';
import type { PgPool } from './postgres-database.js';

export class PostgresClientStore implements ClientStore {
  constructor(private readonly pool: PgPool) {}

  async getClient(clientId: string): Promise<StoredClient | undefined> {
    // Named, so each connection parses and plans it once (a prepared statement): the queries of
    // every login are, which halves PostgreSQL's CPU for them (README, Benchmarks).
    const { rows } = await this.pool.query<{ data: StoredClient }>({ name: 'clients-get', text: 'SELECT data FROM clients WHERE client_id = $1', values: [clientId] });
    return rows[0]?.data;
  }

  /** Ordered by client_id bytewise (COLLATE "C"), like SQLite, whatever the database's collation. */
  async listClients(opts: { includeInactive?: boolean; orgno?: string } = {}): Promise<StoredClient[]> {
    const { rows } = await this.pool.query<{ data: StoredClient }>(
      `SELECT data FROM clients
       WHERE ($1::boolean OR data->'client'->'active' = 'true'::jsonb)
         AND ($2::text IS NULL OR data->'client'->>'client_orgno' = $2)
       ORDER BY client_id COLLATE "C"`,
      [opts.includeInactive === true, opts.orgno || null],
    );
    return rows.map((r) => r.data);
  }

  async putClient(c: StoredClient): Promise<void> {
    await this.pool.query(
      'INSERT INTO clients (client_id, data) VALUES ($1, $2) ON CONFLICT (client_id) DO UPDATE SET data = excluded.data',
      [c.client.client_id, JSON.stringify(c)],
    );
  }
}
