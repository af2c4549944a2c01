/** Registered clients in SQLite (one JSON document per client). */
import type Database from 'better-sqlite3';
import type { StoredClient } from '../../clients/client-types.js';
import type { ClientStore } from '../ports.js';

export class SqliteClientStore implements ClientStore {
  private readonly sGet;
  constructor(private readonly db: Database.Database) {
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
