/**
 * The `ansattporten` command line (bin/ansattporten.mjs runs this file through tsx, no build step):
 * client administration, signing keys and migrations, directly against the configured store
 * (CONFIG_FILE, DATA_DIR, DATABASE_URL, REDIS_URL: the same settings as the server), without a
 * running server. Same validation and audit log as the admin API (actor `cli`).
 *
 * Exit codes: 0 success, 1 refused (validation error, unknown client, conflict, rotation refused),
 * 2 usage or configuration error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { ClientRegistry } from '../clients/client-registry.js';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Stores } from '../store/ports.js';
import { openSqlite } from '../store/sqlite/sqlite-store.js';
import { KeyRotation, RotationRefused } from '../tokens/key-rotation.js';
import { ClientAdmin, type AdminFailure, type ClientView } from '../admin/client-admin.js';
import { formatRecord, formatTable, parseArgs, UsageError } from './cli-args.js';
import { ScopeCommandRefused, scopeRegistryFor, scopesCommand, SCOPES_USAGE } from './scopes-command.js';

export const CLI_ACTOR = { actor: 'cli' } as const;

export const USAGE = `Usage: ansattporten <command> [options]

Client administration (same rules as the admin API; changes apply at once on every instance):
  clients list [--inactive]                 list clients (--inactive: include deleted ones)
  clients show <client_id> [--inactive]     show one client
  clients create [file|-]                   register a client from JSON (file, or stdin)
  clients update <client_id> [file|-] [--merge]
                                            replace a client with JSON (file, or stdin);
                                            --merge: change only the fields given
  clients delete <client_id>                deactivate a client
  clients rotate-secret <client_id>         generate a new client secret (printed once)

${SCOPES_USAGE}

Signing keys:
  keys list                                 the provider's signing keys and their states
  keys rotate [--force]                     promote the next key now (--force: even if it
                                            has been published for less than publish_ahead_hours)

Other:
  audit [--limit N]                         the most recent audit log entries
  migrate                                   apply the store's schema migrations

Options:
  --json     machine-readable output (JSON on stdout)
  -h, --help this text

The store is chosen as by the server: DATABASE_URL (PostgreSQL), REDIS_URL (Redis), else SQLite in
DATA_DIR (default ./data); CONFIG_FILE as for the server.
Exit codes: 0 ok, 1 refused (validation error, not found, conflict), 2 usage or configuration error.`;

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<string>;
  stdinIsTty: boolean;
  env: NodeJS.ProcessEnv;
  clock: Clock;
}

const defaultIo = (): CliIo => ({
  stdout: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
  stderr: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  stdinIsTty: !!process.stdin.isTTY,
  env: process.env,
  clock: systemClock,
});

class Refused extends Error {
  constructor(message: string, readonly body: unknown) {
    super(message);
  }
}

const iso = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString());

function failure(r: AdminFailure): Refused {
  const body: Record<string, unknown> = { error: r.error, error_description: r.description };
  if (r.status === 400) body.errors = r.errors;
  const text = r.status === 400 ? `invalid client:\n${r.errors.map((e) => `  ${e.field || '(body)'}: ${e.message}`).join('\n')}` : r.description;
  return new Refused(text, body);
}

function clientRecord(c: ClientView): string {
  const entries: [string, string][] = [
    ['client_id', c.client_id],
    ['client_name', c.client_name],
    ['description', c.description],
    ['client_orgno', c.client_orgno],
    ...(c.supplier_orgno ? [['supplier_orgno', c.supplier_orgno] as [string, string]] : []),
    ['active', String(c.active)],
    ['application_type', c.application_type],
    ['token_endpoint_auth_method', c.token_endpoint_auth_method],
    ['grant_types', c.grant_types.join(' ')],
    ['scopes', c.scopes.join(' ')],
    ['redirect_uris', c.redirect_uris.join(' ')],
    ['post_logout_redirect_uris', c.post_logout_redirect_uris.join(' ')],
    ...(c.frontchannel_logout_uri ? [['frontchannel_logout_uri', c.frontchannel_logout_uri] as [string, string]] : []),
    ...(c.backchannel_logout_uri ? [['backchannel_logout_uri', c.backchannel_logout_uri] as [string, string]] : []),
    ['code_challenge_method', c.code_challenge_method],
    ['lifetimes (s)', `access ${c.access_token_lifetime}, authorization ${c.authorization_lifetime}, refresh ${c.refresh_token_lifetime} (${c.refresh_token_usage})`],
    ['keys', (c.jwks?.keys ?? []).map((k) => `${k.kid} (expires ${iso(typeof k.exp === 'number' ? k.exp * 1000 : undefined).slice(0, 10)})`).join(', ') || '-'],
    ...(c.client_secret_expires_at !== undefined ? [['secret expires', iso(c.client_secret_expires_at * 1000)] as [string, string]] : []),
    ['created', c.created],
    ['last_updated', c.last_updated],
  ];
  if (c.client_secret) entries.push(['client_secret', `${c.client_secret}   <- shown only once; store it now`]);
  return formatRecord(entries);
}

async function readJsonInput(file: string | undefined, io: CliIo): Promise<unknown> {
  let text: string;
  if (file === undefined || file === '-') {
    if (file === undefined && io.stdinIsTty) throw new UsageError('give the client JSON as a file argument or on stdin');
    text = await io.readStdin();
  } else {
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Refused(`the input is not valid JSON: ${(e as Error).message}`, { error: 'invalid_client_metadata', error_description: 'the input is not valid JSON', errors: [{ field: '', message: 'must be valid JSON' }] });
  }
}

function rotationFor(config: Config, stores: Stores, clock: Clock): KeyRotation {
  return new KeyRotation(stores.keys, clock, {
    rotateAfterMs: config.keys.rotate_after_days * 24 * 3600_000,
    publishAheadMs: config.keys.publish_ahead_hours * 3600_000,
    keepRetiredMs: config.keys.keep_retired_hours * 3600_000,
  });
}

async function migrate(config: Config, io: CliIo, json: boolean): Promise<void> {
  let applied: number[];
  let store: string;
  if (config.databaseUrl) {
    store = 'postgresql';
    const { createPostgresPool, migratePostgres } = await import('../store/postgres/postgres-store.js');
    const pool = createPostgresPool(config.databaseUrl);
    try {
      applied = await migratePostgres(pool);
    } finally {
      await pool.end();
    }
  } else {
    store = 'sqlite';
    const path = join(config.dataDir, 'ansattporten.sqlite');
    const versions = (db: Database.Database): number[] => {
      const has = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
      return has ? (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version) : [];
    };
    let before: number[] = [];
    if (existsSync(path)) {
      const raw = new Database(path, { readonly: true });
      try {
        before = versions(raw);
      } finally {
        raw.close();
      }
    }
    const db = openSqlite(path);
    try {
      applied = versions(db).filter((v) => !before.includes(v));
    } finally {
      db.close();
    }
  }
  if (json) io.stdout(JSON.stringify({ store, applied }));
  else io.stdout(applied.length === 0 ? `${store}: the schema is up to date` : `${store}: applied migration${applied.length > 1 ? 's' : ''} ${applied.join(', ')}`);
}

/** Runs one command; returns the exit code. */
export async function main(argv: string[], ioIn?: Partial<CliIo>): Promise<number> {
  const io: CliIo = { ...defaultIo(), ...ioIn };
  let args;
  try {
    args = parseArgs(argv, ['json', 'force', 'inactive', 'merge', 'help'], ['limit', 'prefix']);
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
  const open = async (): Promise<Stores> => (stores ??= await (await import('../store/create-stores.js')).createStores(config, io.clock));
  const needArg = (v: string | undefined, what: string): string => {
    if (!v) throw new UsageError(`missing ${what}`);
    return v;
  };
  const noMore = (extra: string[]) => {
    if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  };

  try {
    if (group === 'migrate') {
      noMore([command, ...rest].filter((x): x is string => x !== undefined));
      await migrate(config, io, json);
      return 0;
    }

    if (group === 'clients') {
      const s = await open();
      const admin = new ClientAdmin({ registry: new ClientRegistry(s.clients, io.clock), clock: io.clock, audit: s.audit, production: config.production, scopes: await scopeRegistryFor(s, io.clock, config) });
      const show = (c: ClientView) => io.stdout(json ? JSON.stringify(c, null, 2) : clientRecord(c));
      switch (command) {
        case 'list': {
          noMore(rest);
          const list = await admin.list(CLI_ACTOR, { includeInactive: args.flags.has('inactive') });
          if (json) io.stdout(JSON.stringify(list, null, 2));
          else if (list.length === 0) io.stdout('no clients');
          else {
            io.stdout(formatTable(
              ['CLIENT_ID', 'NAME', 'ORGNO', 'TYPE', 'AUTH', 'ACTIVE', 'UPDATED'],
              list.map((c) => [c.client_id, c.client_name, c.client_orgno, c.application_type, c.token_endpoint_auth_method, c.active ? 'yes' : 'no', c.last_updated.slice(0, 19).replace('T', ' ')]),
            ));
          }
          return 0;
        }
        case 'show': {
          const [id, ...extra] = rest;
          noMore(extra);
          const r = await admin.get(CLI_ACTOR, needArg(id, 'client_id'), { includeInactive: args.flags.has('inactive') });
          if (!r.ok) throw failure(r);
          show(r.value);
          return 0;
        }
        case 'create': {
          const [file, ...extra] = rest;
          noMore(extra);
          const r = await admin.create(CLI_ACTOR, await readJsonInput(file, io));
          if (!r.ok) throw failure(r);
          show(r.value);
          return 0;
        }
        case 'update': {
          const [id, file, ...extra] = rest;
          noMore(extra);
          const clientId = needArg(id, 'client_id');
          let body = await readJsonInput(file, io);
          if (args.flags.has('merge')) {
            const current = await admin.get(CLI_ACTOR, clientId);
            if (!current.ok) throw failure(current);
            if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Refused('--merge needs a JSON object', { error: 'invalid_client_metadata' });
            const { client_secret_expires_at: _e, ...model } = current.value;
            body = { ...model, ...(body as Record<string, unknown>) };
          }
          const r = await admin.update(CLI_ACTOR, clientId, body);
          if (!r.ok) throw failure(r);
          show(r.value);
          return 0;
        }
        case 'delete': {
          const [id, ...extra] = rest;
          noMore(extra);
          const r = await admin.deactivate(CLI_ACTOR, needArg(id, 'client_id'));
          if (!r.ok) throw failure(r);
          io.stdout(json ? JSON.stringify(r.value, null, 2) : `client ${r.value.client_id} deactivated`);
          return 0;
        }
        case 'rotate-secret': {
          const [id, ...extra] = rest;
          noMore(extra);
          const r = await admin.rotateSecret(CLI_ACTOR, needArg(id, 'client_id'));
          if (!r.ok) throw failure(r);
          if (json) io.stdout(JSON.stringify(r.value, null, 2));
          else io.stdout(formatRecord([
            ['client_id', r.value.client_id],
            ['client_secret', r.value.client_secret!],
            ['expires', iso((r.value.client_secret_expires_at ?? 0) * 1000)],
            ['note', 'the secret is shown only once; store it now'],
          ]));
          return 0;
        }
        default:
          throw new UsageError(command ? `unknown command: clients ${command}` : 'missing command after "clients"');
      }
    }

    if (group === 'scopes') return await scopesCommand(command, rest, { stores: await open(), clock: io.clock, config, actor: CLI_ACTOR, json, flags: args.flags, values: args.values, out: io.stdout, readJson: (f) => readJsonInput(f, io) });

    if (group === 'keys') {
      const s = await open();
      const rotation = rotationFor(config, s, io.clock);
      switch (command) {
        case 'list': {
          noMore(rest);
          await rotation.ensureKeys();
          const now = io.clock.now();
          const keys = (await s.keys.listSigningKeys()).map((k) => ({
            kid: k.kid,
            alg: k.alg,
            state: k.state,
            created_at: iso(k.createdAt),
            ...(k.activatedAt !== undefined ? { activated_at: iso(k.activatedAt) } : {}),
            ...(k.publishUntil !== undefined ? { publish_until: iso(k.publishUntil) } : {}),
            published: k.state !== 'retired' || (k.publishUntil ?? 0) > now,
          }));
          if (json) io.stdout(JSON.stringify(keys, null, 2));
          else io.stdout(formatTable(['KID', 'STATE', 'CREATED', 'ACTIVATED', 'PUBLISHED UNTIL'],
            keys.map((k) => [k.kid, k.state, k.created_at, k.activated_at ?? '', k.state === 'retired' ? (k.publish_until ?? '') : k.published ? 'while in use' : ''])));
          return 0;
        }
        case 'rotate': {
          noMore(rest);
          const before = (await s.keys.listSigningKeys()).map((k) => ({ kid: k.kid, state: k.state }));
          try {
            const r = await rotation.rotate({ force: args.flags.has('force') });
            await s.audit?.append({ at: io.clock.now(), actor: CLI_ACTOR.actor, action: 'key.rotate', target: r.current, before, after: r });
            io.stdout(json ? JSON.stringify(r, null, 2) : `rotated: ${r.current} now signs; ${r.retired} retired (stays published); ${r.next} published as the next key`);
            return 0;
          } catch (e) {
            if (e instanceof RotationRefused) throw new Refused(`rotation refused: ${e.message}`, { error: 'rotation_refused', error_description: e.message });
            throw e;
          }
        }
        default:
          throw new UsageError(command ? `unknown command: keys ${command}` : 'missing command after "keys"');
      }
    }

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
    if (e instanceof UsageError) {
      io.stderr(`ansattporten: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof Refused || e instanceof ScopeCommandRefused) {
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
