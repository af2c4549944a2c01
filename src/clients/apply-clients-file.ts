/**
 * Applying the clients file (CLIENTS_FILE) at start without undoing an administrator: an entry is
 * written to the registry only when it is new or changed since it was last applied. A client an
 * administrator deactivated, edited or gave a new secret through the admin API keeps that state
 * across restarts with the same file; editing the entry in the file applies it again.
 *
 * "Last applied" is a SHA-256 of the entry's validated form (client model and clear-text secret),
 * kept as a named secret in the key store (`clients-file:<client_id>:<hash>`): creating that name
 * is atomic in every store, so of several instances starting at once exactly one applies a changed
 * entry. Every write is recorded in the audit log with the actor "clients-file".
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { AuditStore, KeyStore } from '../store/ports.js';
import type { ClientRegistry } from './client-registry.js';
import type { StoredClient } from './client-types.js';
import type { parseClientsFile } from './load-clients-file.js';

/** One validated entry of the clients file. */
export type LoadedClient = ReturnType<typeof parseClientsFile>[number];

export const CLIENTS_FILE_ACTOR = 'clients-file';

export interface ApplyClientsFileDeps {
  registry: ClientRegistry;
  keys: Pick<KeyStore, 'getOrCreateSecret'>;
  audit?: AuditStore;
  clock: Clock;
}

export interface ApplyResult {
  applied: string[];
  unchanged: string[];
}

/** JSON with object keys sorted, so equal entries hash equally whatever the key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The hash of an entry; the timestamps validation stamps on (`created`, `last_updated`) are left out. */
export function entryHash(entry: LoadedClient): string {
  const { created: _c, last_updated: _u, ...client } = entry.client;
  return createHash('sha256').update(canonical({ client, client_secret: entry.client_secret ?? null })).digest('base64url');
}

/** The audit form of a client, as the admin API records it: the model and the secret's expiry, never a secret. */
function auditView(stored: StoredClient | undefined): unknown {
  if (!stored) return undefined;
  return { ...stored.client, ...(stored.secret_expires_at !== undefined ? { client_secret_expires_at: Math.floor(stored.secret_expires_at / 1000) } : {}) };
}

export async function applyClientsFile(entries: readonly LoadedClient[], d: ApplyClientsFileDeps): Promise<ApplyResult> {
  const result: ApplyResult = { applied: [], unchanged: [] };
  for (const entry of entries) {
    const id = entry.client.client_id;
    const before = await d.registry.get(id);
    const marker = randomBytes(16).toString('base64url');
    const recorded = await d.keys.getOrCreateSecret(`clients-file:${id}:${entryHash(entry)}`, () => marker);
    // Applied before (the name existed) and the client is still there: the store wins. A client
    // that is missing (a start that failed between recording and writing) is written again.
    if (recorded !== marker && before !== undefined) {
      result.unchanged.push(id);
      continue;
    }
    await d.registry.put(before ? { ...entry.client, created: before.client.created } : entry.client, entry.client_secret);
    const after = await d.registry.get(id);
    result.applied.push(id);
    await d.audit?.append({
      at: d.clock.now(), actor: CLIENTS_FILE_ACTOR, action: before ? 'client.update' : 'client.create', // the admin API's action names
      target: id, before: auditView(before), after: auditView(after),
    });
  }
  return result;
}
