/**
 * `ansattporten scopes …`: API scopes, prefixes and access lists (spec §15.4) from the command
 * line, with the admin API's validation and audit log (actor `cli`, every organisation).
 *   scopes list [--inactive] [--prefix P]     scopes show <name>
 *   scopes create [file|-]                    scopes update <name> [file|-] [--merge]
 *   scopes prefix <prefix> <owner_orgno>      scopes access <consumer_orgno>
 *   scopes grant <name> <consumer_orgno>      scopes revoke <name> <consumer_orgno>
 */
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/config.js';
import { loadFixturesFile } from '../fixtures/load-fixtures.js';
import type { Stores } from '../store/ports.js';
import { MemoryScopeStore } from '../store/memory/memory-scope-store.js';
import { ScopeRegistry } from '../scopes/scope-registry.js';
import type { ApiScope, ScopeAccess } from '../scopes/scope-types.js';
import { ScopeAdmin, type ScopeAdminFailure } from '../admin/scope-admin.js';
import { formatRecord, formatTable, UsageError } from './cli-args.js';

export const SCOPES_USAGE = `API scopes (same rules as the admin API; changes apply at once on every instance):
  scopes list [--inactive] [--prefix P]     list scopes (--inactive: include deactivated ones)
  scopes show <scope>                       show one scope and its access list
  scopes create [file|-]                    create a scope from JSON (file, or stdin)
  scopes update <scope> [file|-] [--merge]  replace a scope with JSON (--merge: change only the fields given)
  scopes deactivate <scope>                 deactivate a scope
  scopes prefixes                           list the scope prefixes and their owners
  scopes prefix <prefix> <owner_orgno>      register a prefix for an organisation
  scopes access <consumer_orgno>            the access entries of one consumer organisation
  scopes grant <scope> <consumer_orgno>     give an organisation access (state APPROVED)
  scopes revoke <scope> <consumer_orgno>    revoke an organisation's access (state DENIED)`;

/**
 * The registry on the CLI's stores, seeded from the fixtures file like the server does at start
 * (so scopes defined only there exist for client registration before the first server start).
 */
export async function scopeRegistryFor(s: Stores, clock: Clock, config?: Config): Promise<ScopeRegistry> {
  const registry = new ScopeRegistry(s.scopes ?? new MemoryScopeStore(), clock);
  if (config) await registry.seed(loadFixturesFile(config.fixturesFile));
  return registry;
}

/** A refusal: `text` for stderr, `body` for --json. */
export class ScopeCommandRefused extends Error {
  constructor(message: string, readonly body: unknown) {
    super(message);
  }
}

function refused(r: ScopeAdminFailure): ScopeCommandRefused {
  const body: Record<string, unknown> = { error: r.error, error_description: r.description };
  if (r.status === 400) body.errors = r.errors;
  const text = r.status === 400 ? `invalid input:\n${r.errors.map((e) => `  ${e.field || '(body)'}: ${e.message}`).join('\n')}` : r.description;
  return new ScopeCommandRefused(text, body);
}

function scopeRecord(s: ApiScope, access: ScopeAccess[]): string {
  const entries: [string, string][] = [
    ['name', s.name],
    ['description', s.description],
    ...(s.long_description ? [['long_description', s.long_description] as [string, string]] : []),
    ['owner_orgno', s.owner_orgno],
    ['active', String(s.active)],
    ['visibility', s.visibility],
    ['token_type', s.token_type],
    ['accessible_for_all', String(s.accessible_for_all)],
    ['allowed_integration_types', s.allowed_integration_types.join(' ') || '(any)'],
    ['requires_pseudonymous_tokens', String(s.requires_pseudonymous_tokens)],
    ['at_max_age (s)', s.at_max_age === undefined ? '-' : String(s.at_max_age)],
    ['authorization_max_lifetime (s)', s.authorization_max_lifetime === undefined ? '-' : String(s.authorization_max_lifetime)],
    ['access', access.map((a) => `${a.consumer_orgno} ${a.state}`).join(', ') || '-'],
    ['created', s.created],
    ['last_updated', s.last_updated],
  ];
  return formatRecord(entries);
}

export interface ScopesCommandContext {
  stores: Stores;
  clock: Clock;
  config: Config;
  actor: { actor: string };
  json: boolean;
  flags: ReadonlySet<string>;
  values: ReadonlyMap<string, string>;
  out(s: string): void;
  readJson(file: string | undefined): Promise<unknown>;
}

/** Runs `scopes <command> <args…>`; returns the exit code or throws UsageError / ScopeCommandRefused. */
export async function scopesCommand(command: string | undefined, rest: string[], c: ScopesCommandContext): Promise<number> {
  const registry = await scopeRegistryFor(c.stores, c.clock, c.config);
  const admin = new ScopeAdmin({ store: registry.store, clock: c.clock, ...(c.stores.audit ? { audit: c.stores.audit } : {}) });
  const args = (n: number, what: string[]): string[] => {
    if (rest.length > n) throw new UsageError(`unexpected argument ${rest[n]}`);
    for (let i = 0; i < what.length; i++) if (!rest[i]) throw new UsageError(`missing ${what[i]}`);
    return rest;
  };
  const print = (v: unknown, text: string) => c.out(c.json ? JSON.stringify(v, null, 2) : text);
  const showScope = async (s: ApiScope) => print(s, scopeRecord(s, await registry.store.listAccess({ scope: s.name })));

  switch (command) {
    case 'list': {
      args(0, []);
      const prefix = c.values.get('prefix');
      const r = await admin.list(c.actor, { includeInactive: c.flags.has('inactive'), ...(prefix ? { prefix } : {}) });
      if (!r.ok) throw refused(r);
      print(r.value, r.value.length === 0 ? 'no scopes' : formatTable(
        ['SCOPE', 'OWNER', 'ACTIVE', 'FOR ALL', 'TOKEN', 'VISIBILITY', 'DESCRIPTION'],
        r.value.map((s) => [s.name, s.owner_orgno, s.active ? 'yes' : 'no', s.accessible_for_all ? 'yes' : 'no', s.token_type, s.visibility, s.description]),
      ));
      return 0;
    }
    case 'show': {
      const [name] = args(1, ['scope']);
      const r = await admin.get(c.actor, name, { includeInactive: true });
      if (!r.ok) throw refused(r);
      await showScope(r.value);
      return 0;
    }
    case 'create': {
      const [file] = args(1, []);
      const r = await admin.create(c.actor, await c.readJson(file));
      if (!r.ok) throw refused(r);
      await showScope(r.value);
      return 0;
    }
    case 'update': {
      const [name, file] = args(2, ['scope']);
      let body = await c.readJson(file);
      if (c.flags.has('merge')) {
        const current = await admin.get(c.actor, name, { includeInactive: true });
        if (!current.ok) throw refused(current);
        if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ScopeCommandRefused('--merge needs a JSON object', { error: 'invalid_request' });
        body = { ...current.value, ...(body as Record<string, unknown>) };
      }
      const r = await admin.update(c.actor, name, body);
      if (!r.ok) throw refused(r);
      await showScope(r.value);
      return 0;
    }
    case 'deactivate': {
      const [name] = args(1, ['scope']);
      const r = await admin.deactivate(c.actor, name);
      if (!r.ok) throw refused(r);
      print(r.value, `scope ${r.value.name} deactivated`);
      return 0;
    }
    case 'prefixes': {
      args(0, []);
      const r = await admin.listPrefixes(c.actor);
      if (!r.ok) throw refused(r);
      print(r.value, r.value.length === 0 ? 'no prefixes' : formatTable(['PREFIX', 'OWNER', 'CREATED'], r.value.map((p) => [p.prefix, p.owner_orgno, p.created])));
      return 0;
    }
    case 'prefix': {
      const [prefix, owner] = args(2, ['prefix', 'owner_orgno']);
      const r = await admin.createPrefix(c.actor, { prefix, owner_orgno: owner });
      if (!r.ok) throw refused(r);
      print(r.value, `prefix ${r.value.prefix} registered for ${r.value.owner_orgno}`);
      return 0;
    }
    case 'access': {
      const [consumer] = args(1, ['consumer_orgno']);
      const r = await admin.listAccess(c.actor, consumer!);
      if (!r.ok) throw refused(r);
      print(r.value, r.value.length === 0 ? 'no access entries' : formatTable(['SCOPE', 'CONSUMER', 'STATE', 'UPDATED'], r.value.map((a) => [a.scope, a.consumer_orgno, a.state, a.last_updated])));
      return 0;
    }
    case 'grant':
    case 'revoke': {
      const [name, consumer] = args(2, ['scope', 'consumer_orgno']);
      const r = command === 'grant' ? await admin.putAccess(c.actor, consumer!, name, undefined) : await admin.revokeAccess(c.actor, consumer!, name);
      if (!r.ok) throw refused(r);
      print(r.value, `${r.value.consumer_orgno}: ${r.value.scope} ${r.value.state}`);
      return 0;
    }
    default:
      throw new UsageError(command ? `unknown command: scopes ${command}` : 'missing command after "scopes"');
  }
}
