import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../e2e/harness.js';
import { clientBody, tokenProbe } from './admin-helpers.js';
import { runCli, type Run } from './run-cli.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('ansattporten CLI', () => {
  let dataDir: string;
  let work: string;

  const cli = (args: string[], o: { input?: string; env?: Record<string, string> } = {}): Promise<Run> => runCli(args, { dataDir, ...o });

  const file = (name: string, content: unknown) => {
    const p = join(work, name);
    writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
    return p;
  };

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ap-cli-data-'));
    work = mkdtempSync(join(tmpdir(), 'ap-cli-work-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('prints usage: --help exits 0; no command, unknown commands and options exit 2', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('clients list');
    expect(help.stdout).toContain('keys rotate');
    expect((await cli([])).code).toBe(2);
    const unknown = await cli(['clients', 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command');
    expect((await cli(['clients', 'list', '--bogus'])).code).toBe(2);
    expect((await cli(['clients', 'show'])).code).toBe(2);
    expect((await cli(['clients', 'create', join(work, 'missing.json')])).code).toBe(2);
  });

  it('migrate applies the store migrations', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'ap-cli-migrate-'));
    const first = await cli(['migrate', '--json'], { env: { DATA_DIR: fresh } });
    expect(first.code, first.stderr).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(out.store).toBe('sqlite');
    expect(out.applied.length).toBeGreaterThan(0);
    const again = await cli(['migrate'], { env: { DATA_DIR: fresh } });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('up to date');
    rmSync(fresh, { recursive: true, force: true });
  });

  it('clients create (file and stdin), list, show, update, rotate-secret and delete, with --json and as tables', async () => {
    const empty = await cli(['clients', 'list', '--json']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual([]);

    // create from a file, --json
    const created = await cli(['clients', 'create', file('a.json', clientBody('cli-a', { client_id: 'ignored-id' })), '--json']);
    expect(created.code, created.stderr).toBe(0);
    const a = JSON.parse(created.stdout);
    expect(a.client_id).toMatch(UUID);
    expect(a).toMatchObject({ client_name: 'Client cli-a', integration_type: 'ansattporten', access_token_lifetime: 120, sso_disabled: true });
    expect(typeof a.client_secret).toBe('string');

    // create from stdin, readable
    const fromStdin = await cli(['clients', 'create', '-'], { input: JSON.stringify(clientBody('cli-b', { application_type: 'browser', token_endpoint_auth_method: 'none' })) });
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(fromStdin.stdout).toMatch(/client_id\s+[0-9a-f-]{36}/);
    expect(fromStdin.stdout).toContain('Client cli-b');
    expect(fromStdin.stdout).not.toContain('client_secret');
    const bId = /client_id\s+([0-9a-f-]{36})/.exec(fromStdin.stdout)![1]!;

    // list
    const table = await cli(['clients', 'list']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^CLIENT_ID\s+NAME\s+ORGNO\s+TYPE\s+AUTH\s+ACTIVE\s+UPDATED$/);
    expect(lines).toHaveLength(4);
    expect(table.stdout).toContain(a.client_id);
    expect(table.stdout).toContain(bId);
    const listJson = JSON.parse((await cli(['clients', 'list', '--json'])).stdout);
    expect(listJson.map((c: any) => c.client_id).sort()).toEqual([a.client_id, bId].sort());
    expect(JSON.stringify(listJson)).not.toMatch(/client_secret"|secret_hash|sha256\$/);

    // show
    const show = await cli(['clients', 'show', a.client_id]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/client_name\s+Client cli-a/);
    expect(show.stdout).not.toContain(a.client_secret);
    const { client_secret: _s, ...model } = a;
    expect(JSON.parse((await cli(['clients', 'show', a.client_id, '--json'])).stdout)).toEqual(model);

    // update (full) and --merge
    const updated = await cli(['clients', 'update', a.client_id, file('a2.json', { ...model, client_name: 'Renamed by CLI' }), '--json']);
    expect(updated.code, updated.stderr).toBe(0);
    expect(JSON.parse(updated.stdout).client_name).toBe('Renamed by CLI');
    const merged = await cli(['clients', 'update', a.client_id, '--merge', '--json'], { input: JSON.stringify({ access_token_lifetime: 300 }) });
    expect(merged.code, merged.stderr).toBe(0);
    expect(JSON.parse(merged.stdout)).toMatchObject({ client_name: 'Renamed by CLI', access_token_lifetime: 300 });

    // rotate-secret
    const rotated = await cli(['clients', 'rotate-secret', a.client_id, '--json']);
    expect(rotated.code).toBe(0);
    const newSecret = JSON.parse(rotated.stdout).client_secret;
    expect(newSecret).toBeTruthy();
    expect(newSecret).not.toBe(a.client_secret);
    const rotatedTable = await cli(['clients', 'rotate-secret', a.client_id]);
    expect(rotatedTable.stdout).toMatch(/client_secret\s+\S{43}/);
    expect((await cli(['clients', 'rotate-secret', bId])).code).toBe(1);

    // delete
    const del = await cli(['clients', 'delete', bId]);
    expect(del.code).toBe(0);
    expect(del.stdout).toContain('deactivated');
    expect((await cli(['clients', 'show', bId])).code).toBe(1);
    expect(JSON.parse((await cli(['clients', 'show', bId, '--inactive', '--json'])).stdout).active).toBe(false);
    expect(JSON.parse((await cli(['clients', 'list', '--json'])).stdout).map((c: any) => c.client_id)).toEqual([a.client_id]);
    expect(JSON.parse((await cli(['clients', 'list', '--inactive', '--json'])).stdout)).toHaveLength(2);
    expect((await cli(['clients', 'delete', bId])).code).toBe(1);
  }, 120_000);

  it('validation errors exit 1 and name the fields (as JSON with --json)', async () => {
    const bad = await cli(['clients', 'create', file('bad.json', clientBody('bad', { integration_type: 'idporten', redirect_uris: ['https://x.example.test/cb#f'] }))]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('integration_type');
    expect(bad.stderr).toContain('redirect_uris[0]');
    const badJson = await cli(['clients', 'create', '--json'], { input: JSON.stringify(clientBody('bad2', { application_type: 'native', token_endpoint_auth_method: 'client_secret_basic' })) });
    expect(badJson.code).toBe(1);
    expect(JSON.parse(badJson.stdout)).toMatchObject({ error: 'invalid_client_metadata', errors: [{ field: 'token_endpoint_auth_method' }] });
    const notJson = await cli(['clients', 'create', file('broken.json', '{ nope')]);
    expect(notJson.code).toBe(1);
    const created = JSON.parse((await cli(['clients', 'create', '--json'], { input: JSON.stringify(clientBody('imm')) })).stdout);
    const change = await cli(['clients', 'update', created.client_id, '--merge'], { input: JSON.stringify({ integration_type: 'maskinporten' }) });
    expect(change.code).toBe(1);
    expect(change.stderr).toContain('integration_type');
    expect((await cli(['clients', 'show', 'no-such-client'])).code).toBe(1);
  }, 60_000);

  it('keys list and keys rotate: refused while the next key is too fresh, forced rotation works and the states show', async () => {
    const before = await cli(['keys', 'list', '--json']);
    expect(before.code, before.stderr).toBe(0);
    const keys0 = JSON.parse(before.stdout);
    expect(keys0.map((k: any) => k.state).sort()).toEqual(['current', 'next']);
    for (const k of keys0) expect(Object.keys(k)).not.toContain('privateJwk');
    const current0 = keys0.find((k: any) => k.state === 'current').kid;
    const next0 = keys0.find((k: any) => k.state === 'next').kid;

    const refused = await cli(['keys', 'rotate']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused.*--force/s);
    expect(JSON.parse((await cli(['keys', 'list', '--json'])).stdout)).toEqual(keys0);

    const forced = await cli(['keys', 'rotate', '--force', '--json']);
    expect(forced.code, forced.stderr).toBe(0);
    const r = JSON.parse(forced.stdout);
    expect(r).toMatchObject({ retired: current0, current: next0 });
    expect(r.next).not.toBe(current0);

    const after = JSON.parse((await cli(['keys', 'list', '--json'])).stdout);
    const byKid = Object.fromEntries(after.map((k: any) => [k.kid, k]));
    expect(byKid[current0]).toMatchObject({ state: 'retired', published: true });
    expect(Date.parse(byKid[current0].publish_until)).toBeGreaterThan(Date.now());
    expect(byKid[next0]).toMatchObject({ state: 'current', published: true });
    expect(byKid[r.next]).toMatchObject({ state: 'next', published: true });
    const table = await cli(['keys', 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^KID\s+STATE\s+CREATED\s+ACTIVATED\s+PUBLISHED UNTIL$/);
    expect(table.stdout).toMatch(new RegExp(`${current0}\\s+retired`));

    const audit = JSON.parse((await cli(['audit', '--json', '--limit', '100'])).stdout);
    const rotation = audit.find((e: any) => e.action === 'key.rotate');
    expect(rotation).toMatchObject({ actor: 'cli', target: next0 });
    expect(JSON.stringify(audit)).not.toMatch(/privateJwk|"d":|client_secret"|secret_hash|sha256\$/);
    expect(audit.some((e: any) => e.action === 'client.create' && e.actor === 'cli')).toBe(true);
  }, 60_000);

  describe('against the store of a server', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({ dataDir: mkdtempSync(join(tmpdir(), 'ap-cli-server-')) });
    });
    afterAll(async () => server?.close());

    it('a client created with the CLI is usable by the running server at once, and deleting it stops it', async () => {
      const run = await cli(['clients', 'create', '--json'], { input: JSON.stringify(clientBody('cli-live')), env: { DATA_DIR: server.dataDir } });
      expect(run.code, run.stderr).toBe(0);
      const c = JSON.parse(run.stdout);
      expect(await tokenProbe(server, c.client_id, { secret: c.client_secret })).toBe('invalid_grant');
      expect((await cli(['clients', 'delete', c.client_id], { env: { DATA_DIR: server.dataDir } })).code).toBe(0);
      expect(await tokenProbe(server, c.client_id, { secret: c.client_secret })).toBe('invalid_client');
    }, 30_000);
  });
});
