/**
 * `ansattporten testdata list|add|remove`: the test data of the admin API's `/testdata/...`
 * (src/admin/testdata-routes.ts), directly against the configured store, with the same
 * validation and audit log (actor `cli`). Refused in production.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '../config/config.js';
import { loadFixturesFile } from '../fixtures/load-fixtures.js';
import type { Stores, TestDataKind } from '../store/ports.js';
import { TestDataAdmin } from '../testworld/test-data-admin.js';
import { KEY_FIELDS, TestWorld } from '../testworld/test-data.js';
import type { Clock } from '../core/clock.js';
import { formatTable } from './cli-args.js';

/** What the command needs of the CLI's I/O (a subset of src/cli/main.ts's CliIo). */
export interface TestdataIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<string>;
  env: NodeJS.ProcessEnv;
  clock: Clock;
}

const KINDS: Readonly<Record<string, TestDataKind>> = {
  persons: 'persons',
  organizations: 'organizations',
  roles: 'roles',
  rights: 'rights',
  'access-packages': 'access_packages',
  'work-accounts': 'work_accounts',
};

export const TESTDATA_USAGE = `Usage: ansattporten testdata <command> [--json]

Test data (the test world: added to the fixtures file's, used from the next login on every instance):
  testdata list <kind>                      the fixtures' entries, then the stored ones
  testdata add <kind> <json|file|->         add (or replace) an entry in the fixtures format
  testdata remove <kind> <key>...           remove a stored entry by its key fields:
                                              persons <pid>, organizations <orgno>,
                                              roles <pid> <orgno> <role>,
                                              rights <pid> <orgno> <resource>,
                                              access-packages <pid> <orgno> <package>,
                                              work-accounts <email>
Kinds: ${Object.keys(KINDS).join(', ')}.
Example: ansattporten testdata add roles '{"pid":"12869010071","orgno":"310000108","role":"DAGL"}'
Exit codes: 0 ok, 1 refused (validation error, not found, production), 2 usage or configuration error.`;

/** Runs `testdata …` (argv without the word "testdata"); returns the exit code. */
export async function testdataCommand(argv: string[], io: TestdataIo): Promise<number> {
  const json = argv.includes('--json');
  const help = argv.includes('--help') || argv.includes('-h');
  const args = argv.filter((a) => a !== '--json' && a !== '--help' && a !== '-h');
  const usage = (message: string) => {
    io.stderr(`ansattporten: ${message}\n\n${TESTDATA_USAGE}`);
    return 2;
  };
  if (help) {
    io.stdout(TESTDATA_USAGE);
    return 0;
  }
  const unknownOption = args.find((a) => a.startsWith('--'));
  if (unknownOption) return usage(`unknown option ${unknownOption}`);
  const [command, kindName, ...rest] = args;
  if (command === undefined) return usage('missing command after "testdata"');
  if (!['list', 'add', 'remove'].includes(command)) return usage(`unknown command: testdata ${command}`);
  const kind = kindName === undefined ? undefined : KINDS[kindName];
  if (kind === undefined) return usage(kindName === undefined ? 'missing kind' : `unknown kind: ${kindName}`);

  let config;
  try {
    config = loadConfig(io.env);
  } catch (e) {
    if (e instanceof ConfigError) return usage(`configuration error: ${e.message}`);
    throw e;
  }
  if (config.production) {
    io.stderr('ansattporten: test data is not available in production');
    return 1;
  }

  let stores: Stores | undefined;
  try {
    stores = await (await import('../store/create-stores.js')).createStores(config, io.clock);
    if (!stores.testData) throw new Error('this store keeps no test data');
    const world = new TestWorld(loadFixturesFile(config.fixturesFile), stores.testData);
    const admin = new TestDataAdmin({ world, store: stores.testData, clock: io.clock, ...(stores.audit ? { audit: stores.audit } : {}) });

    if (command === 'list') {
      if (rest.length > 0) return usage(`unexpected argument ${rest[0]}`);
      const entries = await admin.list(kind);
      if (json) io.stdout(JSON.stringify(entries, null, 2));
      else if (entries.length === 0) io.stdout(`no ${kindName}`);
      else io.stdout(formatTable(['SOURCE', 'KEY', 'ENTRY'], entries.map((e) => [e.source, e.key, JSON.stringify(e.data)])));
      return 0;
    }

    if (command === 'add') {
      if (rest.length > 1) return usage(`unexpected argument ${rest[1]}`);
      const arg = rest[0] ?? '-';
      let text: string;
      if (arg === '-') text = await io.readStdin();
      else if (arg.trimStart().startsWith('{')) text = arg;
      else if (existsSync(arg)) text = readFileSync(arg, 'utf8');
      else return usage(`no such file: ${arg}`);
      let input: unknown;
      try {
        input = JSON.parse(text.replace(/^\uFEFF/, ''));
      } catch (e) {
        io.stderr(`ansattporten: invalid JSON: ${(e as Error).message}`);
        return 1;
      }
      const r = await admin.add('cli', kind, input);
      if (!r.ok) {
        if (json) io.stdout(JSON.stringify({ error: r.error, error_description: r.description, ...(r.status === 400 ? { errors: r.errors } : {}) }, null, 2));
        io.stderr(r.status === 400 ? `ansattporten: invalid ${kindName} entry:\n${r.errors.map((e) => `  ${e.field || '(body)'}: ${e.message}`).join('\n')}` : `ansattporten: ${r.description}`);
        return 1;
      }
      io.stdout(json ? JSON.stringify(r.value, null, 2) : `added ${kindName} ${r.value.key}`);
      return 0;
    }

    // remove
    if (rest.length !== KEY_FIELDS[kind].length) return usage(`${kindName} are removed by ${KEY_FIELDS[kind].join(' ')}`);
    const r = await admin.remove('cli', kind, rest);
    if (!r.ok) {
      if (json) io.stdout(JSON.stringify({ error: r.error, error_description: r.description }, null, 2));
      io.stderr(`ansattporten: ${r.description}`);
      return 1;
    }
    io.stdout(json ? JSON.stringify({ removed: rest.join(' ') }) : `removed ${kindName} ${rest.join(' ')}`);
    return 0;
  } catch (e) {
    io.stderr(`ansattporten: ${(e as Error).message}`);
    return 1;
  } finally {
    await stores?.close().catch(() => {});
  }
}
