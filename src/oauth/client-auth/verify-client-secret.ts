import type { StoredClient } from '../../clients/client-types.js';
import { verifyClientSecret } from '../../clients/client-secret.js';
import { invalidClient } from './client-auth-types.js';

/** client_secret_basic and client_secret_post: constant-time check of the hashed secret and its expiry. */
export function checkClientSecret(stored: StoredClient, secret: string | undefined, now: number): void {
  if (!stored.secret_hash || secret === undefined || secret.length > 512) throw invalidClient('client authentication failed');
  if (!verifyClientSecret(secret, stored.secret_hash)) throw invalidClient('client authentication failed');
  if (stored.secret_expires_at !== undefined && stored.secret_expires_at <= now) throw invalidClient('the client secret has expired');
}
