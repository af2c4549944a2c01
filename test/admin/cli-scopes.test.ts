/**
 * `ansattporten scopes …` against the store (SQLite; PostgreSQL too when DATABASE_URL is set):
 * every command, the same validation as the admin API, the audit log, and that a change made with
 * the CLI applies to a running server's next request.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, webClient } from '../e2e/harness.js';
import { dropSchema, randomSchema } from '../store/pg-test-helpers.js';
import { runCli, type Run } from './run-cli.js';

const OWNER = '310000248';
const CONSUMER = '310000256';


const backends: { name: string; env: () => Record<string, string> }[] = [{ name: 'SQLite', env: () => ({}) }];
const pgUrl = process.env.DATABASE_URL;
const pgSchema = randomSchema();
if (pgUrl) backends.push({ name: 'PostgreSQL', env: () => ({ DATABASE_URL: pgUrl, DATABASE_SCHEMA: pgSchema }) });

describe.each(backends)('ansattporten scopes ($name)', ({ name, env: backendEnv }) => {
  let dataDir: string;
  let work: string;

  const cli = (args: string[], o: { input?: string } = {}): Promise<Run> => runCli(args, { dataDir, env: backendEnv(), ...o });
  const file = (n: string, content: unknown) => {
    const p = join(work, n);
    writeFileSync(p, JSON.stringify(content));
    return p;
  };

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ap-cli-scopes-'));
    work = mkdtempSync(join(tmpdir(), 'ap-cli-scopes-work-'));
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
    if (name === 'PostgreSQL') await dropSchema(pgUrl!, pgSchema);
  });

  it('usage lists the scope commands; unknown ones exit 2', async () => {
    const help = await cli(['--help']);
    expect(help.stdout).toContain('scopes grant <scope> <consumer_orgno>');
    const bad = await cli(['scopes', 'frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown command: scopes frobnicate');
    expect((await cli(['scopes', 'grant', 'x:y'])).code).toBe(2);
  }, 60_000);

  it('the fixtures scopes are there; prefix, create, show, list, update, grant, revoke, deactivate; each audited', async () => {
    const listed = await cli(['scopes', 'list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['example:api', 'fiktiv:les']));

    expect((await cli(['scopes', 'prefix', 'fjell', OWNER])).stdout).toContain(`prefix fjell registered for ${OWNER}`);
    const dup = await cli(['scopes', 'prefix', 'fjell', CONSUMER]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already registered');
    expect((await cli(['scopes', 'prefixes'])).stdout).toMatch(new RegExp(`fjell\\s+${OWNER}`));

    const created = await cli(['scopes', 'create', '--json', file('s.json', { name: 'fjell:timer', description: 'Timesheets', at_max_age: 60 })]);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'fjell:timer', owner_orgno: OWNER, at_max_age: 60, accessible_for_all: false });
    const fromStdin = await cli(['scopes', 'create', '-'], { input: JSON.stringify({ name: 'fjell:alle', description: 'For all', accessible_for_all: true }) });
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(fromStdin.stdout).toMatch(/accessible_for_all\s+true/);

    const invalid = await cli(['scopes', 'create', '--json', file('bad.json', { name: 'ukjent:x', description: '' })]);
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.stdout).errors.map((e: { field: string }) => e.field)).toEqual(['description']);
    const noPrefix = await cli(['scopes', 'create', file('np.json', { name: 'ukjent:x', description: 'x' })]);
    expect(noPrefix.code).toBe(1);
    expect(noPrefix.stderr).toContain('prefix: the prefix "ukjent" is not registered');

    const granted = await cli(['scopes', 'grant', 'fjell:timer', CONSUMER]);
    expect(granted.code, granted.stderr).toBe(0);
    expect(granted.stdout).toContain(`${CONSUMER}: fjell:timer APPROVED`);
    const shown = await cli(['scopes', 'show', 'fjell:timer']);
    expect(shown.stdout).toMatch(new RegExp(`access\\s+${CONSUMER} APPROVED`));
    expect(shown.stdout).toMatch(/at_max_age \(s\)\s+60/);
    expect((await cli(['scopes', 'access', CONSUMER])).stdout).toMatch(/fjell:timer\s+310000256\s+APPROVED/);

    const merged = await cli(['scopes', 'update', 'fjell:timer', '--merge', '--json', file('u.json', { description: 'Timesheets v2' })]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(JSON.parse(merged.stdout)).toMatchObject({ description: 'Timesheets v2', at_max_age: 60 });
    const full = await cli(['scopes', 'update', 'fjell:timer', '--json', file('f.json', { description: 'Replaced' })]);
    expect(JSON.parse(full.stdout)).toMatchObject({ description: 'Replaced' });
    expect(JSON.parse(full.stdout)).not.toHaveProperty('at_max_age');

    const revoked = await cli(['scopes', 'revoke', 'fjell:timer', CONSUMER, '--json']);
    expect(JSON.parse(revoked.stdout).state).toBe('DENIED');
    expect((await cli(['scopes', 'revoke', 'fjell:timer', '310000264'])).code).toBe(1);
    expect((await cli(['scopes', 'deactivate', 'fjell:alle'])).stdout).toContain('scope fjell:alle deactivated');
    expect(JSON.parse((await cli(['scopes', 'list', '--json', '--prefix', 'fjell'])).stdout).map((s: { name: string }) => s.name)).toEqual(['fjell:timer']);
    expect(JSON.parse((await cli(['scopes', 'list', '--json', '--inactive', '--prefix', 'fjell'])).stdout).map((s: { name: string }) => s.name)).toEqual(['fjell:alle', 'fjell:timer']);
    expect((await cli(['scopes', 'show', 'fjell:ingen'])).code).toBe(1);

    const audit = JSON.parse((await cli(['audit', '--json', '--limit', '20'])).stdout) as { actor: string; action: string; target: string }[];
    const actions = audit.filter((e) => e.actor === 'cli').map((e) => `${e.action} ${e.target}`);
    expect(actions).toEqual(expect.arrayContaining([
      'scope_prefix.create fjell', 'scope.create fjell:timer', 'scope_access.put fjell:timer 310000256', 'scope.update fjell:timer',
      'scope_access.revoke fjell:timer 310000256', 'scope.deactivate fjell:alle',
    ]));
  }, 180_000);

  it('client registration through the CLI checks the scopes too', async () => {
    const body = { ...webClient('cli-app', { client_orgno: '310000264', scopes: ['openid', 'fiktiv:les'] }) } as Record<string, unknown>;
    delete body.client_id; delete body.client_secret;
    const r = await cli(['clients', 'create', '--json', file('c.json', body)]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).errors).toEqual([{ field: 'scopes[1]', message: 'the scope "fiktiv:les" is not accessible to organisation 310000264' }]);
  }, 60_000);

  it('scope changes made with the CLI apply to a running server at once (no restart)', async () => {
    const server = await startServer({ dataDir, keepData: true, env: backendEnv(), config: { logging: { level: 'silent' } } });
    try {
      await cli(['scopes', 'create', file('p.json', { name: 'fjell:privat', description: 'x' })]);
      await cli(['scopes', 'grant', 'fjell:privat', CONSUMER]);
      const body = { ...webClient('cli-consumer', { client_orgno: CONSUMER, scopes: ['openid', 'fjell:privat'] }) } as Record<string, unknown>;
      delete body.client_secret;
      const reg = await cli(['clients', 'create', '--json', file('cc.json', body)]);
      expect(reg.code, reg.stderr).toBe(0);
      const clientId = JSON.parse(reg.stdout).client_id as string;
      const authz = async () => {
        const res = await fetch(`${server.issuer}/authorize?${new URLSearchParams({
          client_id: clientId, redirect_uri: 'https://cli-consumer.example.test/callback', response_type: 'code', scope: 'openid fjell:privat', state: 's', nonce: 'n',
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
        })}`, { redirect: 'manual' });
        return new URL(res.headers.get('location')!, server.issuer);
      };
      expect((await authz()).pathname).toBe('/login/select'); // accepted: on to the eID selector
      expect((await cli(['scopes', 'revoke', 'fjell:privat', CONSUMER])).code).toBe(0);
      const refused = await authz();
      expect(refused.origin).toBe('https://cli-consumer.example.test');
      expect(refused.searchParams.get('error')).toBe('invalid_scope');
      const d = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as { scopes_supported: string[] };
      expect(d.scopes_supported).toContain('fjell:privat');
    } finally {
      await server.close();
    }
  }, 120_000);
});
