/** `ansattporten testdata …`: the CLI changes the same store a running server reads at the next lookup. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../e2e/harness.js';
import { runCli, type Run } from './run-cli.js';

const PID = '12869010152';
const ORG = '310900036';


describe('ansattporten testdata (CLI)', () => {
  let dataDir: string;
  let server: TestServer;

  const cli = (args: string[], o: { input?: string; env?: Record<string, string> } = {}): Promise<Run> => runCli(args, { dataDir, ...o });

  const partiesOf = async (pid: string) => {
    const r = await fetch(`${server.issuer}/altinn/accessmanagement/api/v1/resourceowner/authorizedparties?includeAltinn2=true`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'urn:altinn:person:identifier-no', value: pid }),
    });
    expect(r.status).toBe(200);
    return (await r.json()) as { organizationNumber: string; authorizedRoles: string[]; authorizedResources: string[] }[];
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ap-testdata-cli-'));
    server = await startServer({ dataDir, keepData: true, config: { logging: { level: 'silent' } } });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds an organisation and a role; a running server on the same store uses them at once; removes them', async () => {
    expect(await partiesOf(PID)).toEqual([]);
    const org = await cli(['testdata', 'add', 'organizations', JSON.stringify({ orgno: ORG, name: 'CLI TEST AS', unit_type: 'AS' })]);
    expect(org.code, org.stderr).toBe(0);
    expect(org.stdout).toContain(`added organizations ${ORG}`);
    const file = join(dataDir, 'role.json');
    writeFileSync(file, JSON.stringify({ pid: PID, orgno: ORG, role: 'DAGL' }));
    expect((await cli(['testdata', 'add', 'roles', file])).code).toBe(0);
    expect((await cli(['testdata', 'add', 'rights', '-'], { input: JSON.stringify({ pid: PID, orgno: ORG, resource: 'min-tjeneste', actions: ['read'] }) })).code).toBe(0);

    const parties = await partiesOf(PID);
    expect(parties.map((p) => [p.organizationNumber, p.authorizedRoles])).toEqual([[ORG, ['DAGL']]]);
    expect(parties[0]!.authorizedResources).toEqual(expect.arrayContaining(['eksempel-tjeneste', 'min-tjeneste']));

    const list = await cli(['testdata', 'list', 'roles', '--json']);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { source: string; key: string }[]).filter((e) => e.source === 'store').map((e) => e.key)).toEqual([`${PID} ${ORG} DAGL`]);
    expect((await cli(['testdata', 'list', 'roles'])).stdout).toMatch(/^SOURCE\s+KEY\s+ENTRY/);

    expect((await cli(['testdata', 'remove', 'roles', PID, ORG, 'DAGL'])).code).toBe(0);
    expect((await cli(['testdata', 'remove', 'rights', PID, ORG, 'min-tjeneste'])).code).toBe(0);
    expect(await partiesOf(PID)).toEqual([]);
    const again = await cli(['testdata', 'remove', 'roles', PID, ORG, 'DAGL']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no stored roles entry');

    const audit = await cli(['audit', '--json', '--limit', '5']);
    expect((JSON.parse(audit.stdout) as { actor: string; action: string }[]).slice(0, 2).map((e) => `${e.actor} ${e.action}`)).toEqual(['cli testdata.rights.remove', 'cli testdata.roles.remove']);
  }, 180_000);

  it('refuses invalid entries (exit 1, the fields named), bad usage (exit 2) and production (exit 1)', async () => {
    const bad = await cli(['testdata', 'add', 'roles', JSON.stringify({ pid: PID, orgno: ORG, role: 'SJEF' })]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('role: must be an Enhetsregisteret role code');
    expect((await cli(['testdata', 'add', 'roles', '{nope'])).code).toBe(1);
    expect((await cli(['testdata', 'remove', 'persons', '15895010046'])).code).toBe(1);
    for (const args of [['testdata'], ['testdata', 'frob', 'roles'], ['testdata', 'list', 'things'], ['testdata', 'remove', 'roles', PID], ['testdata', 'list', 'roles', '--force']]) {
      expect((await cli(args)).code, args.join(' ')).toBe(2);
    }
    const help = await cli(['testdata', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('testdata add <kind>');
    expect((await cli(['--help'])).stdout).toContain('testdata list|add|remove');
    const prod = await cli(['testdata', 'list', 'roles'], { env: { NODE_ENV: 'production', ISSUER: 'https://login.example.test' } });
    expect(prod.code).toBe(1);
    expect(prod.stderr).toContain('not available in production');
  }, 180_000);
});
