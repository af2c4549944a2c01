/**
 * The `ansattporten` command line (bin/ansattporten.mjs runs this file through tsx, no build step):
 * client administration, signing keys and migrations, directly against the configured store
 * (CONFIG_FILE, DATA_DIR, DATABASE_URL, REDIS_URL: the same settings as the server), without a
 * running server. Same validation and audit log as the admin API (actor `cli`).
 *
 * Exit codes: 0 success, 1 refused (validation error, unknown client, conflict, rotation refused),
 * 2 usage or configuration error.
 */
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import type { Stores } from '../store/ports.js';
import { migrateSqliteFile, sqlitePath } from '../store/sqlite/sqlite-database.js';
import { formatTable, parseArgs, UsageError } from './cli-args.js';
import { Refused, defaultIo, iso, noMore, type CliIo, type CommandContext } from './cli-context.js';
import { clientCommand } from './client-commands.js';
import { keyCommand } from './key-commands.js';
import { testdataCommand } from './testdata-command.js';
import { protectSigningKeys } from '../tokens/key-encryption.js';

const USAGE = `Usage: ansattporten <command> [options]

Client administration (same rules as the admin API; changes apply at once on every instance):
  clients list [--inactive]                 list clients (--inactive: include deleted ones)
  clients show <client_id> [--inactive]     show one client
  clients create [file|-]                   register a client from JSON (file, or stdin)
  clients update <client_id> [file|-] [--merge]
                                            replace a client with JSON (file, or stdin);
                                            --merge: change only the fields given
  clients delete <client_id>                deactivate a client
  clients rotate-secret <client_id>         generate a new client secret (printed once)

Signing keys:
  keys list                                 the provider's signing keys and their states
  keys rotate [--force]                     promote the next key now (--force: even if it
                                            has been published for less than publish_ahead_hours)
  keys rewrap --new-key-file F              re-encrypt the private signing keys under the key-
                                            encryption key in file F (or NEW_KEY_ENCRYPTION_KEY);
                                            then restart every instance with that key

Other:
  audit [--limit N]                         the most recent audit log entries
  testdata list|add|remove <kind> ...       test data (see "testdata --help")
  migrate                                   apply the store's schema migrations

Options:
  --json     machine-readable output (JSON on stdout)
  -h, --help this text

The store is chosen as by the server: DATABASE_URL (PostgreSQL), REDIS_URL (Redis), else SQLite in
DATA_DIR (default ./data); CONFIG_FILE as for the server.
Exit codes: 0 ok, 1 refused (validation error, not found, conflict), 2 usage or configuration error.`;

async function migrate(config: Config, io: CliIo, json: boolean): Promise<void> {
  let applied: number[];
  let store: string;
  if (config.databaseUrl) {
    store = 'postgresql';
    const { createPostgresPool, migratePostgres } = await import('../store/postgres/postgres-database.js');
    const pool = createPostgresPool(config.databaseUrl);
    try {
      applied = await migratePostgres(pool);
    } finally {
      await pool.end();
    }
  } else {
    store = 'sqlite';
    applied = migrateSqliteFile(sqlitePath(config.dataDir));
  }
  if (json) io.stdout(JSON.stringify({ store, applied }));
  else io.stdout(applied.length === 0 ? `${store}: the schema is up to date` : `${store}: applied migration${applied.length > 1 ? 's' : ''} ${applied.join(', ')}`);
}

/** Runs one command; returns the exit code. */
export async function main(argv: string[], ioIn?: Partial<CliIo>): Promise<number> {
  const io: CliIo = { ...defaultIo(), ...ioIn };
  if (argv[0] === 'testdata') return testdataCommand(argv.slice(1), io);
  let args;
  try {
    args = parseArgs(argv, ['json', 'force', 'inactive', 'merge', 'help'], ['limit', 'new-key-file']);
  } catch (e) {
    io.stderr(`ansattporten: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const json = args.flags.has('json');
  const [group, command, ...rest] = args.positionals;
  if (args.flags.has('help') || group === 'help' || group === undefined) {
    if (group === undefined && !args.flags.has('help')) {
      io.stderr(USAGE);
      return 2;
    }
    io.stdout(USAGE);
    return 0;
  }

  let config: Config;
  try {
    config = loadConfig(io.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr(`ansattporten: configuration error: ${e.message}`);
      return 2;
    }
    throw e;
  }

  let stores: Stores | undefined;
  // Loaded on demand: the store drivers (pg, redis) are the slowest part of starting the CLI.
  const open = async (): Promise<Stores> => {
    if (stores) return stores;
    stores = await (await import('../store/create-stores.js')).createStores(config, io.clock);
    protectSigningKeys(stores, config); // private signing keys encrypted at rest (src/tokens/key-encryption.ts)
    return stores;
  };
  const ctx: CommandContext = { config, io, json, args, command, rest, open };

  try {
    if (group === 'migrate') {
      noMore([command, ...rest].filter((x): x is string => x !== undefined));
      await migrate(config, io, json);
      return 0;
    }

    if (group === 'clients') return await clientCommand(ctx);
    if (group === 'keys') return await keyCommand(ctx);

    if (group === 'audit') {
      if (command !== undefined && command !== 'list') throw new UsageError(`unknown command: audit ${command}`);
      noMore(rest);
      const limitRaw = args.values.get('limit') ?? '20';
      const limit = Number(limitRaw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError('--limit must be a whole number from 1 to 10000');
      const s = await open();
      const entries = s.audit ? await s.audit.list({ limit }) : [];
      if (json) io.stdout(JSON.stringify(entries, null, 2));
      else if (entries.length === 0) io.stdout('no audit entries');
      else io.stdout(formatTable(['AT', 'ACTOR', 'ACTION', 'TARGET'], entries.map((e) => [iso(e.at), e.actor, e.action, e.target])));
      return 0;
    }

    throw new UsageError(`unknown command: ${group}`);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr(`ansattporten: configuration error: ${e.message}`);
      return 2;
    }
    if (e instanceof UsageError) {
      io.stderr(`ansattporten: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof Refused) {
      if (json) io.stdout(JSON.stringify(e.body, null, 2));
      io.stderr(`ansattporten: ${e.message}`);
      return 1;
    }
    io.stderr(`ansattporten: ${(e as Error).message}`);
    return 1;
  } finally {
    await stores?.close().catch(() => {});
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
