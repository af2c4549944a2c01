/** `ansattporten clients …`: client administration with the admin API's rules and audit log. */
import { readFileSync } from 'node:fs';
import { ClientAdmin, type AdminResult, type ClientView } from '../admin/client-admin.js';
import { ClientRegistry } from '../clients/client-registry.js';
import { isPlainObject } from '../core/json-value.js';
import { formatRecord, formatTable, UsageError } from './cli-args.js';
import { CLI_ACTOR, Refused, iso, needArg, noMore, type CliIo, type CommandContext } from './cli-context.js';

/** The value of a successful admin operation; a failure becomes a Refused (exit code 1). */
function resultValue<T>(r: AdminResult<T>): T {
  if (r.ok) return r.value;
  const body: Record<string, unknown> = { error: r.error, error_description: r.description };
  if (r.status === 400) body.errors = r.errors;
  const text = r.status === 400 ? `invalid client:\n${r.errors.map((e) => `  ${e.field || '(body)'}: ${e.message}`).join('\n')}` : r.description;
  throw new Refused(text, body);
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

/** The single client_id argument of a command. */
function clientIdArg([id, ...extra]: string[]): string {
  noMore(extra);
  return needArg(id, 'client_id');
}

export async function clientCommand({ config, io, json, args, command, rest, open }: CommandContext): Promise<number> {
  const s = await open();
  const admin = new ClientAdmin({ registry: new ClientRegistry(s.clients, io.clock), clock: io.clock, audit: s.audit, production: config.production });
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
      show(resultValue(await admin.get(CLI_ACTOR, clientIdArg(rest), { includeInactive: args.flags.has('inactive') })));
      return 0;
    }
    case 'create': {
      const [file, ...extra] = rest;
      noMore(extra);
      show(resultValue(await admin.create(CLI_ACTOR, await readJsonInput(file, io))));
      return 0;
    }
    case 'update': {
      const [id, file, ...extra] = rest;
      noMore(extra);
      const clientId = needArg(id, 'client_id');
      let body = await readJsonInput(file, io);
      if (args.flags.has('merge')) {
        const current = resultValue(await admin.get(CLI_ACTOR, clientId));
        if (!isPlainObject(body)) throw new Refused('--merge needs a JSON object', { error: 'invalid_client_metadata' });
        const { client_secret_expires_at: _e, ...model } = current;
        body = { ...model, ...body };
      }
      show(resultValue(await admin.update(CLI_ACTOR, clientId, body)));
      return 0;
    }
    case 'delete': {
      const r = resultValue(await admin.deactivate(CLI_ACTOR, clientIdArg(rest)));
      io.stdout(json ? JSON.stringify(r, null, 2) : `client ${r.client_id} deactivated`);
      return 0;
    }
    case 'rotate-secret': {
      const r = resultValue(await admin.rotateSecret(CLI_ACTOR, clientIdArg(rest)));
      if (json) io.stdout(JSON.stringify(r, null, 2));
      else io.stdout(formatRecord([
        ['client_id', r.client_id],
        ['client_secret', r.client_secret!],
        ['expires', iso((r.client_secret_expires_at ?? 0) * 1000)],
        ['note', 'the secret is shown only once; store it now'],
      ]));
      return 0;
    }
    default:
      throw new UsageError(command ? `unknown command: clients ${command}` : 'missing command after "clients"');
  }
}
