/**
 * The administrative operations on clients (spec §15.2, §15.3, §15.5), shared by the admin API,
 * the self-service pages and the CLI: validation, organisation boundary, secrets (returned in
 * clear once, stored hashed), client key sets, deactivation and the audit log.
 */
import type { ClientRegistry } from '../clients/client-registry.js';
import { generateClientSecret } from '../clients/client-secret.js';
import type { Client, ClientJwk, ClientJwks, StoredClient } from '../clients/client-types.js';
import { validateClientInput } from '../clients/validation/validate-client.js';
import { validateJwks } from '../clients/validation/client-jwks.js';
import type { FieldError } from '../clients/validation/field-reader.js';
import { introspectionScopeFailure } from '../clients/introspection-scope-rule.js';
import type { Clock } from '../core/clock.js';
import type { AuditStore } from '../store/ports.js';
import type { ScopeSubject } from '../scopes/check-client-scopes.js';
import { isPlainObject } from '../core/json-value.js';

/** Who acts: `orgno` undefined means every organisation (static admin token, CLI). */
export interface Actor {
  actor: string;
  orgno?: string;
}

/** A client as the admin API shows it: the §15.2 model, never a secret hash. */
export type ClientView = Client & {
  /** Only right after creation or rotation, in clear. */
  client_secret?: string;
  /** RFC 7591: when the secret expires (seconds since the epoch); only for client_secret_* clients. */
  client_secret_expires_at?: number;
};

interface JwksView {
  created?: string;
  last_updated?: string;
  keys: ClientJwk[];
}

export type AdminFailure =
  | { ok: false; status: 400; error: 'invalid_client_metadata'; description: string; errors: FieldError[] }
  | { ok: false; status: 403; error: 'access_denied'; description: string; errors: FieldError[] }
  | { ok: false; status: 404; error: 'not_found'; description: string }
  | { ok: false; status: 409; error: 'conflict'; description: string };

export type AdminResult<T> = { ok: true; value: T } | AdminFailure;

const AUDIT_ACTIONS = {
  create: 'client.create',
  update: 'client.update',
  deactivate: 'client.deactivate',
  rotateSecret: 'client.secret.rotate',
  replaceJwks: 'client.jwks.replace',
} as const;

const SECRET_METHODS = new Set(['client_secret_basic', 'client_secret_post']);

export function usesSecret(c: Client): boolean {
  return SECRET_METHODS.has(c.token_endpoint_auth_method);
}

/** One year after `now` (calendar year, UTC), in seconds since the epoch: a client key's `exp`. */
function keyExpiry(now: number): number {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return Math.floor(d.getTime() / 1000);
}

function invalid(errors: FieldError[]): AdminFailure {
  const description = errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
  return { ok: false, status: 400, error: 'invalid_client_metadata', description, errors };
}

const notFound = (id: string): AdminFailure => ({ ok: false, status: 404, error: 'not_found', description: `no client ${JSON.stringify(id)}` });

function toClientView(stored: StoredClient, secret?: string): ClientView {
  const view: ClientView = { ...stored.client };
  if (secret !== undefined) view.client_secret = secret;
  if (usesSecret(stored.client) && stored.secret_expires_at !== undefined) view.client_secret_expires_at = Math.floor(stored.secret_expires_at / 1000);
  return view;
}

function toJwksView(jwks: ClientJwks | undefined): JwksView {
  if (!jwks) return { keys: [] };
  return {
    ...(jwks.created !== undefined ? { created: jwks.created } : {}),
    ...(jwks.last_updated !== undefined ? { last_updated: jwks.last_updated } : {}),
    keys: jwks.keys.map((k) => ({ ...k })),
  };
}

/** The audit form of a client: its model without secrets (the model never holds one). */
function auditView(stored: StoredClient | undefined): unknown {
  if (!stored) return undefined;
  const v = toClientView(stored);
  delete v.client_secret;
  return v;
}

interface ClientAdminDeps {
  registry: ClientRegistry;
  clock: Clock;
  audit?: AuditStore;
  production: boolean;
  /** The API scope registry: a client may register only scopes available to its organisation (spec §15.4). */
  scopes?: { checkClient(client: ScopeSubject & { scopes: readonly string[] }): Promise<FieldError[]> };
}

export class ClientAdmin {
  constructor(private readonly d: ClientAdminDeps) {}

  private visible(actor: Actor, stored: StoredClient | undefined, includeInactive: boolean): stored is StoredClient {
    if (!stored) return false;
    if (!includeInactive && !stored.client.active) return false;
    return actor.orgno === undefined || stored.client.client_orgno === actor.orgno;
  }

  private async record(actor: Actor, action: string, target: string, before: StoredClient | undefined, after: StoredClient | undefined): Promise<void> {
    if (!this.d.audit) return;
    await this.d.audit.append({ at: this.d.clock.now(), actor: actor.actor, action, target, before: auditView(before), after: auditView(after) });
  }

  /** Errors for kids already used by another client (kid is unique across all clients, §15.5). */
  private async kidConflicts(clientId: string, keys: ClientJwk[], prefix: string): Promise<FieldError[]> {
    if (keys.length === 0) return [];
    const taken = new Map<string, string>();
    for (const other of await this.d.registry.list({ includeInactive: true })) {
      if (other.client.client_id === clientId) continue;
      for (const k of other.client.jwks?.keys ?? []) if (typeof k.kid === 'string') taken.set(k.kid, other.client.client_id);
    }
    const errors: FieldError[] = [];
    keys.forEach((k, i) => {
      if (typeof k.kid === 'string' && taken.has(k.kid)) {
        errors.push({ field: `${prefix}.keys[${i}].kid`, message: `kid ${JSON.stringify(k.kid)} is already used by another client; a kid must be unique across all clients` });
      }
    });
    return errors;
  }

  /** A freshly uploaded key set: every key expires one year after upload. */
  private stamp(keys: ClientJwk[], now: number): ClientJwk[] {
    const exp = keyExpiry(now);
    return keys.map((k) => ({ ...k, exp }));
  }

  async list(actor: Actor, opts: { includeInactive?: boolean } = {}): Promise<ClientView[]> {
    const all = await this.d.registry.list({ includeInactive: !!opts.includeInactive, ...(actor.orgno ? { orgno: actor.orgno } : {}) });
    return all.filter((c) => this.visible(actor, c, !!opts.includeInactive)).map((c) => toClientView(c));
  }

  async get(actor: Actor, clientId: string, opts: { includeInactive?: boolean } = {}): Promise<AdminResult<ClientView>> {
    const stored = await this.d.registry.get(clientId);
    if (!this.visible(actor, stored, !!opts.includeInactive)) return notFound(clientId);
    return { ok: true, value: toClientView(stored) };
  }

  async create(actor: Actor, body: unknown): Promise<AdminResult<ClientView>> {
    if (!isPlainObject(body)) return invalid([{ field: '', message: 'the request body must be a JSON object' }]);
    const input: Record<string, unknown> = { ...body };
    const requestedId = input.client_id;
    if (typeof requestedId === 'string' && requestedId !== '' && (await this.d.registry.get(requestedId))) {
      return { ok: false, status: 409, error: 'conflict', description: `client ${JSON.stringify(requestedId)} already exists (a deleted client cannot be registered again)` };
    }
    // The provider assigns ids, secrets and timestamps.
    for (const k of ['client_id', 'client_secret', 'client_secret_expires_at', 'active', 'created', 'last_updated']) delete input[k];
    const orgErrors = this.orgnoCheck(actor, input);
    if (orgErrors.length > 0) return invalid(orgErrors);
    const now = this.d.clock.now();
    const res = validateClientInput(input, { production: this.d.production, now });
    if (!res.ok) return invalid(res.errors);
    const client = res.client;
    const scopeDenied = introspectionScopeFailure(client, { organisationCaller: actor.orgno !== undefined }); if (scopeDenied) return scopeDenied;
    const scopeErrors = this.d.scopes ? await this.d.scopes.checkClient(client) : [];
    if (scopeErrors.length > 0) return invalid(scopeErrors);
    if (client.jwks) {
      const conflicts = await this.kidConflicts(client.client_id, client.jwks.keys, 'jwks');
      if (conflicts.length > 0) return invalid(conflicts);
      client.jwks = { ...client.jwks, keys: this.stamp(client.jwks.keys, now) };
    }
    const secret = usesSecret(client) ? generateClientSecret() : undefined;
    await this.d.registry.put(client, secret);
    const stored = (await this.d.registry.get(client.client_id))!;
    await this.record(actor, AUDIT_ACTIONS.create, client.client_id, undefined, stored);
    return { ok: true, value: toClientView(stored, secret) };
  }

  /** client_orgno: filled in from an organisation caller, and never another organisation's. */
  private orgnoCheck(actor: Actor, input: Record<string, unknown>, existing?: Client): FieldError[] {
    if (input.client_orgno === undefined || input.client_orgno === null) {
      if (existing) input.client_orgno = existing.client_orgno;
      else if (actor.orgno) input.client_orgno = actor.orgno;
    }
    if (actor.orgno && input.client_orgno !== actor.orgno) {
      return [{ field: 'client_orgno', message: `must be your organisation's number (${actor.orgno})` }];
    }
    return [];
  }

  /** Full update (PUT): the body is the whole client; integration_type and client_id never change; the secret is kept. */
  async update(actor: Actor, clientId: string, body: unknown): Promise<AdminResult<ClientView>> {
    const before = await this.d.registry.get(clientId);
    if (!this.visible(actor, before, false)) return notFound(clientId);
    if (!isPlainObject(body)) return invalid([{ field: '', message: 'the request body must be a JSON object' }]);
    const input: Record<string, unknown> = { ...body };
    for (const k of ['client_secret', 'client_secret_expires_at']) delete input[k];
    const orgErrors = this.orgnoCheck(actor, input, before.client);
    if (orgErrors.length > 0) return invalid(orgErrors);
    const now = this.d.clock.now();
    const res = validateClientInput(input, { production: this.d.production, now, existing: before.client });
    if (!res.ok) return invalid(res.errors);
    const client = res.client;
    const scopeDenied = introspectionScopeFailure(client, { organisationCaller: actor.orgno !== undefined, before: before.client }); if (scopeDenied) return scopeDenied;
    const scopeErrors = this.d.scopes ? await this.d.scopes.checkClient(client) : [];
    if (scopeErrors.length > 0) return invalid(scopeErrors);
    if (client.jwks && client.jwks !== before.client.jwks) {
      const conflicts = await this.kidConflicts(client.client_id, client.jwks.keys, 'jwks');
      if (conflicts.length > 0) return invalid(conflicts);
      client.jwks = { ...client.jwks, created: before.client.jwks?.created ?? client.jwks.created, keys: this.stamp(client.jwks.keys, now) };
    }
    // A client that moves to a secret method without having a secret gets one (shown once).
    const secret = usesSecret(client) && !(usesSecret(before.client) && before.secret_hash) ? generateClientSecret() : undefined;
    await this.d.registry.put(client, secret);
    const after = (await this.d.registry.get(clientId))!;
    await this.record(actor, AUDIT_ACTIONS.update, clientId, before, after);
    return { ok: true, value: toClientView(after, secret) };
  }

  /** DELETE: deactivates; the client can no longer log in and its tokens stop being accepted. */
  async deactivate(actor: Actor, clientId: string): Promise<AdminResult<ClientView>> {
    const before = await this.d.registry.get(clientId);
    if (!this.visible(actor, before, false)) return notFound(clientId);
    const client: Client = { ...before.client, active: false, last_updated: new Date(this.d.clock.now()).toISOString() };
    await this.d.registry.put(client);
    const after = (await this.d.registry.get(clientId))!;
    await this.record(actor, AUDIT_ACTIONS.deactivate, clientId, before, after);
    return { ok: true, value: toClientView(after) };
  }

  /** A new secret, returned in clear once; only its hash is stored, with a fresh 360-day expiry. */
  async rotateSecret(actor: Actor, clientId: string): Promise<AdminResult<ClientView>> {
    const before = await this.d.registry.get(clientId);
    if (!this.visible(actor, before, false)) return notFound(clientId);
    if (!usesSecret(before.client)) {
      return invalid([{ field: 'token_endpoint_auth_method', message: `the client authenticates with ${JSON.stringify(before.client.token_endpoint_auth_method)} and has no secret` }]);
    }
    const secret = generateClientSecret();
    const client: Client = { ...before.client, last_updated: new Date(this.d.clock.now()).toISOString() };
    await this.d.registry.put(client, secret);
    const after = (await this.d.registry.get(clientId))!;
    await this.record(actor, AUDIT_ACTIONS.rotateSecret, clientId, before, after);
    return { ok: true, value: toClientView(after, secret) };
  }

  async getJwks(actor: Actor, clientId: string): Promise<AdminResult<JwksView>> {
    const stored = await this.d.registry.get(clientId);
    if (!this.visible(actor, stored, false)) return notFound(clientId);
    return { ok: true, value: toJwksView(stored.client.jwks) };
  }

  /** Replaces the whole key set (≤ 5 RSA keys, kid unique across all clients, each expiring a year after upload). */
  async replaceJwks(actor: Actor, clientId: string, body: unknown): Promise<AdminResult<JwksView>> {
    const before = await this.d.registry.get(clientId);
    if (!this.visible(actor, before, false)) return notFound(clientId);
    const errors: FieldError[] = [];
    const keys = validateJwks(body, 'jwks', errors);
    if (!keys) return invalid(errors);
    const conflicts = await this.kidConflicts(clientId, keys, 'jwks');
    if (conflicts.length > 0) return invalid(conflicts);
    const now = this.d.clock.now();
    const nowIso = new Date(now).toISOString();
    const client: Client = {
      ...before.client,
      jwks: { keys: this.stamp(keys, now), created: before.client.jwks?.created ?? nowIso, last_updated: nowIso },
      last_updated: nowIso,
    };
    await this.d.registry.put(client);
    const after = (await this.d.registry.get(clientId))!;
    await this.record(actor, AUDIT_ACTIONS.replaceJwks, clientId, before, after);
    return { ok: true, value: toJwksView(after.client.jwks) };
  }
}
