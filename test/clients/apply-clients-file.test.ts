import { describe, expect, it } from 'vitest';
import { applyClientsFile, entryHash } from '../../src/clients/apply-clients-file.js';
import { ClientRegistry } from '../../src/clients/client-registry.js';
import type { StoredClient } from '../../src/clients/client-types.js';
import { parseClientsFile } from '../../src/clients/load-clients-file.js';
import type { AuditRecord, ClientStore } from '../../src/store/ports.js';

const NOW = Date.UTC(2026, 0, 1);
const clock = { now: () => NOW };
const entry = (id: string, extra: Record<string, unknown> = {}) =>
  parseClientsFile([{ client_id: id, client_name: `C ${id}`, client_orgno: '991825827', redirect_uris: [`https://${id}.example.no/cb`], client_secret: 'x'.repeat(32), ...extra }], 'f', { production: false, now: NOW })[0]!;

function setup() {
  const clients = new Map<string, StoredClient>();
  const store: ClientStore = {
    getClient: async (id) => structuredClone(clients.get(id)),
    listClients: async () => [...clients.values()],
    putClient: async (c) => void clients.set(c.client.client_id, structuredClone(c)),
  };
  const secrets = new Map<string, string>();
  const keys = { getOrCreateSecret: async (name: string, create: () => string) => { if (!secrets.has(name)) secrets.set(name, create()); return secrets.get(name)!; } };
  const audit: AuditRecord[] = [];
  const deps = {
    registry: new ClientRegistry(store, clock), keys, clock,
    audit: { append: async (e: Omit<AuditRecord, 'id' | 'at'> & { at?: number }) => void audit.push({ id: audit.length + 1, at: e.at ?? NOW, ...e }), list: async () => audit },
  };
  return { clients, secrets, audit, deps };
}

describe('applyClientsFile', () => {
  it('applies new entries once, audited as clients-file; an unchanged entry does not overwrite the store', async () => {
    const { clients, audit, deps } = setup();
    expect(await applyClientsFile([entry('a')], deps)).toEqual({ applied: ['a'], unchanged: [] });
    clients.get('a')!.client.active = false; // an administrator deactivates it
    expect(await applyClientsFile([entry('a')], deps)).toEqual({ applied: [], unchanged: ['a'] });
    expect(clients.get('a')!.client.active).toBe(false);
    expect(audit.map((e) => [e.actor, e.action, e.target])).toEqual([['clients-file', 'client.create', 'a']]);
    expect(JSON.stringify(audit)).not.toContain('x'.repeat(32));
  });

  it('a changed entry is applied again (update, keeping the created time)', async () => {
    const { clients, audit, deps } = setup();
    await applyClientsFile([entry('a')], deps);
    const created = clients.get('a')!.client.created;
    const later = { ...deps, clock: { now: () => NOW + 1000 } };
    expect((await applyClientsFile([entry('a', { client_name: 'New name' })], later)).applied).toEqual(['a']);
    expect(clients.get('a')!.client).toMatchObject({ client_name: 'New name', created });
    expect(audit.at(-1)).toMatchObject({ action: 'client.update', before: { client_name: 'C a' }, after: { client_name: 'New name' } });
    // and back to the earlier content: that version was applied before, the store wins
    expect((await applyClientsFile([entry('a')], deps)).unchanged).toEqual(['a']);
  });

  it('a client missing from the store is written even if its entry was recorded', async () => {
    const { clients, deps } = setup();
    await applyClientsFile([entry('a')], deps);
    clients.delete('a');
    expect((await applyClientsFile([entry('a')], deps)).applied).toEqual(['a']);
  });

  it('two instances starting at once: one applies', async () => {
    const { audit, deps } = setup();
    await applyClientsFile([entry('a')], deps);
    const [x, y] = await Promise.all([applyClientsFile([entry('a', { client_name: 'N' })], deps), applyClientsFile([entry('a', { client_name: 'N' })], deps)]);
    expect(x.applied.length + y.applied.length).toBe(1);
    expect(audit.filter((e) => e.action === 'client.update')).toHaveLength(1);
  });

  it('the hash ignores key order and timestamps, and changes with the secret', () => {
    const a = entry('a');
    const b = entry('a');
    b.client = Object.fromEntries(Object.entries({ ...b.client, created: 'x', last_updated: 'y' }).reverse()) as unknown as typeof b.client;
    expect(entryHash(a)).toBe(entryHash(b));
    expect(entryHash(entry('a', { client_secret: 'y'.repeat(32) }))).not.toBe(entryHash(a));
  });
});
