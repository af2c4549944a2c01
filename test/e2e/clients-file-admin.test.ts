/**
 * The clients file never undoes an administrator: a client deactivated or given a new secret
 * through the admin API keeps that state after a restart with the same CLIENTS_FILE; an entry
 * edited in the file is applied again; every write the file makes is audited as "clients-file".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, api, tokenProbe } from '../admin/admin-helpers.js';
import { secretOf, startServer, webClient, type TestServer } from './harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ap-clients-file-'));
let server: TestServer | undefined;
const start = (clients: unknown[]) => startServer({ clients, dataDir, keepData: true, env: { ADMIN_TOKEN } });

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const FILE = [webClient('kept'), webClient('rotated'), webClient('edited')];

describe('clients file and the admin API across restarts', () => {
  it('a deactivated client stays deactivated and a rotated secret stays, until the file entry changes', async () => {
    server = await start(FILE);
    expect(await tokenProbe(server, 'kept', { secret: secretOf('kept') })).toBe('invalid_grant');
    expect((await api(server, 'DELETE', '/clients/kept')).status).toBe(204);
    const rotated = await api(server, 'POST', '/clients/rotated/secret');
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.client_secret as string;
    await server.close();

    // restart with the very same file: the attack would be an operator's old file undoing the admin
    server = await start(FILE);
    expect(await tokenProbe(server, 'kept', { secret: secretOf('kept') })).toBe('invalid_client');
    expect((await api(server, 'GET', '/clients/kept?inactive=true')).body).toMatchObject({ active: false });
    expect(await tokenProbe(server, 'rotated', { secret: secretOf('rotated') })).toBe('invalid_client');
    expect(await tokenProbe(server, 'rotated', { secret: newSecret })).toBe('invalid_grant');
    await server.close();

    // an entry edited in the file is applied again; the unchanged ones are not
    server = await start([FILE[0], FILE[1], { ...FILE[2], client_name: 'Edited in the file' }, webClient('added')]);
    expect((await api(server, 'GET', '/clients/edited')).body.client_name).toBe('Edited in the file');
    expect(await tokenProbe(server, 'added', { secret: secretOf('added') })).toBe('invalid_grant');
    expect(await tokenProbe(server, 'kept', { secret: secretOf('kept') })).toBe('invalid_client');
    expect(await tokenProbe(server, 'rotated', { secret: newSecret })).toBe('invalid_grant');

    const audit = (await api(server, 'GET', '/audit?limit=200')).body as { actor: string; action: string; target: string; before?: unknown; after?: any }[];
    const fromFile = audit.filter((e) => e.actor === 'clients-file').reverse().map((e) => `${e.action} ${e.target}`);
    expect(fromFile).toEqual([
      'client.create kept', 'client.create rotated', 'client.create edited',
      'client.update edited', 'client.create added',
    ]);
    const edit = audit.find((e) => e.actor === 'clients-file' && e.action === 'client.update')!;
    expect(edit.after.client_name).toBe('Edited in the file');
    expect(JSON.stringify(audit)).not.toContain(secretOf('edited'));
  });
});
