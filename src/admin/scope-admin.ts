/**
 * The administrative operations on API scopes, prefixes and access lists (spec §15.3, §15.4),
 * shared by the admin API and the CLI: validation, the organisation boundary (an organisation
 * manages only the scopes under its own prefixes and the access to them) and the audit log.
 */
import type { FieldError } from '../clients/validation/field-reader.js';
import type { Clock } from '../core/clock.js';
import { zodProblems } from '../fixtures/load-fixtures.js';
import type { AuditStore, ScopeStore } from '../store/ports.js';
import { accessInputSchema, normaliseScopeInput, orgnoField, prefixInputSchema, scopeInputSchema } from '../scopes/scope-input.js';
import { SCOPE_ACCESS_STATES, type ApiScope, type ScopeAccess, type ScopeAccessState, type ScopePrefix } from '../scopes/scope-types.js';
import type { Actor } from './client-admin.js';

export const SCOPE_AUDIT_ACTIONS = {
  create: 'scope.create',
  update: 'scope.update',
  deactivate: 'scope.deactivate',
  createPrefix: 'scope_prefix.create',
  putAccess: 'scope_access.put',
  revokeAccess: 'scope_access.revoke',
} as const;

export type ScopeAdminFailure =
  | { ok: false; status: 400; error: 'invalid_request'; description: string; errors: FieldError[] }
  | { ok: false; status: 403; error: 'access_denied'; description: string }
  | { ok: false; status: 404; error: 'not_found'; description: string }
  | { ok: false; status: 409; error: 'conflict'; description: string };

export type ScopeAdminResult<T> = { ok: true; value: T; created?: boolean } | ScopeAdminFailure;

/** Set by the provider: ignored in request bodies. */
const SERVER_FIELDS = ['created', 'last_updated'];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function invalid(errors: FieldError[]): ScopeAdminFailure {
  const description = errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
  return { ok: false, status: 400, error: 'invalid_request', description, errors };
}

const notFound = (what: string): ScopeAdminFailure => ({ ok: false, status: 404, error: 'not_found', description: `no ${what}` });
const denied = (description: string): ScopeAdminFailure => ({ ok: false, status: 403, error: 'access_denied', description });

export interface ScopeAdminDeps {
  store: ScopeStore;
  clock: Clock;
  audit?: AuditStore;
}

export class ScopeAdmin {
  constructor(private readonly d: ScopeAdminDeps) {}

  private now(): string {
    return new Date(this.d.clock.now()).toISOString();
  }

  private async record(actor: Actor, action: string, target: string, before: unknown, after: unknown): Promise<void> {
    if (!this.d.audit) return;
    await this.d.audit.append({ at: this.d.clock.now(), actor: actor.actor, action, target, before, after });
  }

  /** Whether the actor may manage `scope` (static token and CLI: every scope). */
  private owns(actor: Actor, scope: Pick<ApiScope, 'owner_orgno'>): boolean {
    return actor.orgno === undefined || scope.owner_orgno === actor.orgno;
  }

  /** A scope name from a query parameter, or a 400. */
  private checkName(name: string | undefined): ScopeAdminFailure | undefined {
    if (name === undefined || name === '') return invalid([{ field: 'scope', message: 'the query parameter "scope" is required' }]);
    return undefined;
  }

  // --- scopes ---------------------------------------------------------------------------------

  /** The actor's scopes (an organisation: those it owns), active ones unless `includeInactive`. */
  async list(actor: Actor, opts: { includeInactive?: boolean; prefix?: string } = {}): Promise<ScopeAdminResult<ApiScope[]>> {
    const all = await this.d.store.listScopes({ ...(actor.orgno ? { owner_orgno: actor.orgno } : {}), ...(opts.prefix ? { prefix: opts.prefix } : {}) });
    return { ok: true, value: all.filter((s) => opts.includeInactive || s.active) };
  }

  async get(actor: Actor, name: string | undefined, opts: { includeInactive?: boolean } = {}): Promise<ScopeAdminResult<ApiScope>> {
    const bad = this.checkName(name);
    if (bad) return bad;
    const scope = await this.d.store.getScope(name!);
    if (!scope || !this.owns(actor, scope) || (!scope.active && !opts.includeInactive)) return notFound(`scope ${JSON.stringify(name)}`);
    return { ok: true, value: scope };
  }

  /** The body as a scope definition, with the prefix's owner as owner_orgno. */
  private async prepare(actor: Actor, body: unknown, existing?: ApiScope): Promise<ScopeAdminResult<Omit<ApiScope, 'created' | 'last_updated'>>> {
    if (!isPlainObject(body)) return invalid([{ field: '', message: 'the request body must be a JSON object' }]);
    const input: Record<string, unknown> = { ...body };
    for (const k of SERVER_FIELDS) delete input[k];
    if (existing) {
      // PUT: the name comes from the query; a body may repeat it but not change it.
      for (const [k, v] of [['name', existing.name], ['prefix', existing.prefix], ['subscope', existing.subscope]] as const) {
        if (input[k] !== undefined && input[k] !== v) return invalid([{ field: k, message: `cannot be changed (${JSON.stringify(v)})` }]);
      }
      input.name = existing.name;
      delete input.prefix; delete input.subscope;
    }
    const parsed = scopeInputSchema.safeParse(input);
    if (!parsed.success) return invalid(zodProblems(parsed.error.issues, input).map((p) => ({ field: p.path, message: p.message })));
    const { scope, problems } = normaliseScopeInput(parsed.data);
    if (!scope) return invalid(problems.map((p) => ({ field: p.path, message: p.message })));
    if (problems.length > 0) return invalid(problems.map((p) => ({ field: p.path, message: p.message })));
    const prefix = await this.d.store.getPrefix(scope.prefix);
    if (!prefix) return invalid([{ field: 'prefix', message: `the prefix ${JSON.stringify(scope.prefix)} is not registered (POST /scopes/prefix first)` }]);
    if (actor.orgno !== undefined && prefix.owner_orgno !== actor.orgno) {
      return denied(`the prefix ${JSON.stringify(scope.prefix)} belongs to another organisation; you may only manage scopes under your own prefixes`);
    }
    if (scope.owner_orgno !== undefined && scope.owner_orgno !== prefix.owner_orgno) {
      return invalid([{ field: 'owner_orgno', message: `must be the owner of the prefix ${JSON.stringify(scope.prefix)} (${prefix.owner_orgno})` }]);
    }
    return { ok: true, value: { ...scope, owner_orgno: prefix.owner_orgno } };
  }

  async create(actor: Actor, body: unknown): Promise<ScopeAdminResult<ApiScope>> {
    const r = await this.prepare(actor, body);
    if (!r.ok) return r;
    const now = this.now();
    const scope: ApiScope = { ...r.value, created: now, last_updated: now };
    if (!(await this.d.store.addScope(scope))) {
      return { ok: false, status: 409, error: 'conflict', description: `the scope ${JSON.stringify(scope.name)} already exists (a deactivated scope is changed with PUT)` };
    }
    await this.record(actor, SCOPE_AUDIT_ACTIONS.create, scope.name, undefined, scope);
    return { ok: true, value: scope, created: true };
  }

  /** Full replacement (PUT); name and created are kept. Reactivates with `"active": true`. */
  async update(actor: Actor, name: string | undefined, body: unknown): Promise<ScopeAdminResult<ApiScope>> {
    const bad = this.checkName(name);
    if (bad) return bad;
    const before = await this.d.store.getScope(name!);
    if (!before || !this.owns(actor, before)) return notFound(`scope ${JSON.stringify(name)}`);
    const r = await this.prepare(actor, body, before);
    if (!r.ok) return r;
    const scope: ApiScope = { ...r.value, created: before.created, last_updated: this.now() };
    await this.d.store.putScope(scope);
    await this.record(actor, SCOPE_AUDIT_ACTIONS.update, scope.name, before, scope);
    return { ok: true, value: scope };
  }

  /** DELETE: deactivates; clients can no longer use the scope and refreshed tokens drop it. */
  async deactivate(actor: Actor, name: string | undefined): Promise<ScopeAdminResult<ApiScope>> {
    const bad = this.checkName(name);
    if (bad) return bad;
    const before = await this.d.store.getScope(name!);
    if (!before || !this.owns(actor, before) || !before.active) return notFound(`scope ${JSON.stringify(name)}`);
    const scope: ApiScope = { ...before, active: false, last_updated: this.now() };
    await this.d.store.putScope(scope);
    await this.record(actor, SCOPE_AUDIT_ACTIONS.deactivate, scope.name, before, scope);
    return { ok: true, value: scope };
  }

  // --- prefixes -------------------------------------------------------------------------------

  async listPrefixes(actor: Actor): Promise<ScopeAdminResult<ScopePrefix[]>> {
    return { ok: true, value: await this.d.store.listPrefixes(actor.orgno ? { owner_orgno: actor.orgno } : {}) };
  }

  /** Registers a prefix for an organisation (an organisation caller: for itself). First come, first served. */
  async createPrefix(actor: Actor, body: unknown): Promise<ScopeAdminResult<ScopePrefix>> {
    if (!isPlainObject(body)) return invalid([{ field: '', message: 'the request body must be a JSON object' }]);
    const input: Record<string, unknown> = { ...body };
    for (const k of SERVER_FIELDS) delete input[k];
    if (input.owner_orgno === undefined && actor.orgno) input.owner_orgno = actor.orgno;
    const parsed = prefixInputSchema.safeParse(input);
    if (!parsed.success) return invalid(zodProblems(parsed.error.issues, input).map((p) => ({ field: p.path, message: p.message })));
    const owner = parsed.data.owner_orgno;
    if (owner === undefined) return invalid([{ field: 'owner_orgno', message: 'is required' }]);
    if (actor.orgno !== undefined && owner !== actor.orgno) return denied(`you may only register prefixes for your own organisation (${actor.orgno})`);
    if (['openid', 'profile', 'idporten', 'ansattporten', 'maskinporten', 'digdir'].includes(parsed.data.prefix) && actor.orgno !== undefined) {
      return denied(`the prefix ${JSON.stringify(parsed.data.prefix)} is reserved`);
    }
    const prefix: ScopePrefix = { prefix: parsed.data.prefix, owner_orgno: owner, created: this.now() };
    if (!(await this.d.store.addPrefix(prefix))) return { ok: false, status: 409, error: 'conflict', description: `the prefix ${JSON.stringify(prefix.prefix)} is already registered` };
    await this.record(actor, SCOPE_AUDIT_ACTIONS.createPrefix, prefix.prefix, undefined, prefix);
    return { ok: true, value: prefix, created: true };
  }

  // --- access lists ---------------------------------------------------------------------------

  /** The access entries of one consumer that the actor may see: for its own scopes, or its own entries as the consumer. */
  async listAccess(actor: Actor, consumerOrgno: string): Promise<ScopeAdminResult<ScopeAccess[]>> {
    const o = orgnoField.safeParse(consumerOrgno);
    if (!o.success) return invalid([{ field: 'consumer_orgno', message: o.error.issues[0]!.message }]);
    const all = await this.d.store.listAccess({ consumer_orgno: consumerOrgno });
    return { ok: true, value: all.filter((a) => actor.orgno === undefined || a.owner_orgno === actor.orgno || a.consumer_orgno === actor.orgno) };
  }

  /** PUT: gives (or sets the state of) a consumer's access to one of the actor's scopes; state defaults to APPROVED. */
  async putAccess(actor: Actor, consumerOrgno: string, name: string | undefined, body: unknown): Promise<ScopeAdminResult<ScopeAccess>> {
    let state: unknown = 'APPROVED';
    if (body !== undefined && body !== null) {
      if (!isPlainObject(body)) return invalid([{ field: '', message: 'the request body must be a JSON object (or absent)' }]);
      if (body.state !== undefined) state = body.state;
    }
    if (!SCOPE_ACCESS_STATES.includes(state as ScopeAccessState)) {
      return invalid([{ field: 'state', message: `must be one of ${SCOPE_ACCESS_STATES.map((s) => JSON.stringify(s)).join(', ')}` }]);
    }
    return this.setAccess(actor, consumerOrgno, name, state as ScopeAccessState, SCOPE_AUDIT_ACTIONS.putAccess);
  }

  /** DELETE: revokes a consumer's access (the entry stays, with state DENIED, for the record). */
  async revokeAccess(actor: Actor, consumerOrgno: string, name: string | undefined): Promise<ScopeAdminResult<ScopeAccess>> {
    return this.setAccess(actor, consumerOrgno, name, 'DENIED', SCOPE_AUDIT_ACTIONS.revokeAccess);
  }

  private async setAccess(actor: Actor, consumerOrgno: string, name: string | undefined, state: ScopeAccessState, action: string): Promise<ScopeAdminResult<ScopeAccess>> {
    const parsed = accessInputSchema.safeParse({ scope: name ?? '', consumer_orgno: consumerOrgno, state });
    if (!parsed.success) return invalid(zodProblems(parsed.error.issues, { scope: name, consumer_orgno: consumerOrgno }).map((p) => ({ field: p.path, message: p.message })));
    const scope = await this.d.store.getScope(parsed.data.scope);
    if (!scope) return notFound(`scope ${JSON.stringify(name)}`);
    if (!this.owns(actor, scope)) return denied(`the scope ${JSON.stringify(scope.name)} belongs to another organisation; you may only manage access to your own scopes`);
    const before = await this.d.store.getAccess(scope.name, consumerOrgno);
    if (action === SCOPE_AUDIT_ACTIONS.revokeAccess && !before) return notFound(`access entry for ${consumerOrgno} on ${JSON.stringify(scope.name)}`);
    const now = this.now();
    const entry: ScopeAccess = { scope: scope.name, consumer_orgno: consumerOrgno, owner_orgno: scope.owner_orgno, state, created: before?.created ?? now, last_updated: now };
    await this.d.store.putAccess(entry);
    await this.record(actor, action, `${scope.name} ${consumerOrgno}`, before, entry);
    return before ? { ok: true, value: entry } : { ok: true, value: entry, created: true };
  }
}
