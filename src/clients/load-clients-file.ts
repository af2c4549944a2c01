/**
 * Loading statically configured clients from a JSON file: an array of client objects as accepted
 * by validateClientInput, each optionally with a clear-text `client_secret`.
 * Problems are reported as `clients.json: [1] (client_id "my-app"): redirect_uris[0]: must be an absolute URL`.
 */
import { readFileSync } from 'node:fs';
import { weakSecretReason } from '../core/secret-entropy.js';
import type { Client } from './client-types.js';
import { validateClientInput } from './validation/validate-client.js';
import { FileProblemsError, problemsMessage } from '../core/file-problems.js';
import { typeName } from '../core/json-value.js';
import { introspectionScopeProblem } from './introspection-scope-rule.js';
import { checkClientScopes, type ScopeFacts } from '../scopes/check-client-scopes.js';

export class ClientsFileError extends FileProblemsError {
  override readonly name = 'ClientsFileError';
}

interface LoadedClient {
  client: Client;
  client_secret?: string;
}

interface LoadClientsOptions {
  production: boolean;
  now: number;
  /** The scope registry's contents: each client's scopes must exist and be available to it (spec §15.4). */
  scopeFacts?: ScopeFacts;
}

/** Minimum clear-text secret length in production and outside it. */
export const MIN_SECRET_LENGTH = { production: 32, test: 8 } as const;

const SECRET_METHODS = new Set(['client_secret_basic', 'client_secret_post']);

function fail(source: string, problems: string[]): never {
  throw new ClientsFileError(problemsMessage(source, problems), problems);
}

/**
 * Validate parsed JSON as a clients file. `source` (normally the file name) prefixes every message.
 * Throws ClientsFileError listing all problems found.
 */
export function parseClientsFile(json: unknown, source: string, opts: LoadClientsOptions): LoadedClient[] {
  if (!Array.isArray(json)) fail(source, [`must be a JSON array of client objects (got ${typeName(json)})`]);
  const problems: string[] = [];
  const out: LoadedClient[] = [];
  const ids = new Map<string, number>();
  const minSecret = opts.production ? MIN_SECRET_LENGTH.production : MIN_SECRET_LENGTH.test;

  json.forEach((entry: unknown, i) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push(`[${i}]: must be a JSON object (got ${typeName(entry)})`);
      return;
    }
    const obj = entry as Record<string, unknown>;
    const label = typeof obj.client_id === 'string' ? `[${i}] (client_id ${JSON.stringify(obj.client_id)})` : `[${i}]`;
    const before = problems.length;
    const add = (field: string, message: string) => problems.push(field ? `${label}: ${field}: ${message}` : `${label}: ${message}`);

    const res = validateClientInput(obj, { production: opts.production, now: opts.now });
    if (!res.ok) for (const e of res.errors) add(e.field, e.message);
    const scopeProblem = res.ok ? introspectionScopeProblem(res.client, { organisationCaller: false }) : undefined; if (scopeProblem) add(scopeProblem.field, scopeProblem.message);
    if (res.ok && opts.scopeFacts) for (const e of checkClientScopes(res.client, opts.scopeFacts)) add(e.field, e.message);

    // the method decides whether a secret is needed; fall back to the raw value if validation failed
    const method = res.ok
      ? res.client.token_endpoint_auth_method
      : typeof obj.token_endpoint_auth_method === 'string'
        ? obj.token_endpoint_auth_method
        : obj.application_type === 'browser' || obj.application_type === 'native'
          ? 'none'
          : 'client_secret_basic';
    const secret = obj.client_secret === null ? undefined : obj.client_secret;
    if (secret === undefined) {
      if (SECRET_METHODS.has(method)) add('client_secret', `is required for token_endpoint_auth_method ${JSON.stringify(method)}`);
    } else if (typeof secret !== 'string') {
      add('client_secret', `must be a string (got ${typeName(secret)})`);
    } else if (!SECRET_METHODS.has(method)) {
      add('client_secret', `must not be set for token_endpoint_auth_method ${JSON.stringify(method)}`);
    } else if (secret.length < minSecret) {
      add('client_secret', `must be at least ${minSecret} characters${opts.production ? ' in production' : ''} (got ${secret.length})`);
    } else if (!/^[\x21-\x7E]+$/.test(secret)) {
      add('client_secret', 'must consist of printable ASCII characters without spaces');
    } else if (opts.production && weakSecretReason(secret) !== undefined) {
      add('client_secret', `is refused in production: it ${weakSecretReason(secret)!}`);
    }

    const id = typeof obj.client_id === 'string' ? obj.client_id : res.ok ? res.client.client_id : undefined;
    if (id !== undefined) {
      const prev = ids.get(id);
      if (prev !== undefined) add('client_id', `duplicate client_id (also [${prev}])`);
      else ids.set(id, i);
    }

    if (problems.length === before && res.ok) {
      out.push(typeof secret === 'string' ? { client: res.client, client_secret: secret } : { client: res.client });
    }
  });

  if (problems.length > 0) fail(source, problems);
  return out;
}

/** Read and validate a clients file. Throws ClientsFileError naming the file on any problem. */
export function loadClientsFile(path: string, opts: LoadClientsOptions): LoadedClient[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ClientsFileError(`${path}: cannot read clients file (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ClientsFileError(`${path}: invalid JSON: ${(e as Error).message}`);
  }
  return parseClientsFile(json, path, opts);
}
