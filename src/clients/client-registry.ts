import type { Clock } from '../core/clock.js';
import type { ClientStore } from '../store/ports.js';
import { SECRET_LIFETIME_MS, type Client, type StoredClient } from './client-types.js';
import { hashClientSecret } from './client-secret.js';

/**
 * The client registry: reads go to the store on every request, so a change made by one instance
 * (admin API, CLI) takes effect for the next request on every instance.
 */
export class ClientRegistry {
  constructor(private readonly store: ClientStore, private readonly clock: Clock) {}

  /** An active client, or undefined for unknown and deactivated ones. */
  async getActive(clientId: string): Promise<StoredClient | undefined> {
    if (!clientId || clientId.length > 200) return undefined;
    const c = await this.store.getClient(clientId);
    return c?.client.active ? c : undefined;
  }

  async get(clientId: string): Promise<StoredClient | undefined> {
    return this.store.getClient(clientId);
  }

  async list(opts?: { includeInactive?: boolean; orgno?: string }): Promise<StoredClient[]> {
    return this.store.listClients(opts);
  }

  /** Stores a client; a clear-text secret, when given, is hashed and gets a fresh 360-day expiry. */
  async put(client: Client, secret?: string): Promise<void> {
    const existing = await this.store.getClient(client.client_id);
    const stored: StoredClient = { client };
    const usesSecret = client.token_endpoint_auth_method === 'client_secret_basic' || client.token_endpoint_auth_method === 'client_secret_post';
    if (secret !== undefined) {
      stored.secret_hash = hashClientSecret(secret);
      stored.secret_expires_at = this.clock.now() + SECRET_LIFETIME_MS;
    } else if (existing?.secret_hash && usesSecret) {
      stored.secret_hash = existing.secret_hash;
      stored.secret_expires_at = existing.secret_expires_at;
    }
    if (!usesSecret) {
      delete stored.secret_hash;
      delete stored.secret_expires_at;
    }
    await this.store.putClient(stored);
  }
}
