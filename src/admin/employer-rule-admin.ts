/**
 * The administrative operations on stored employer rules for `ansattporten:orgno` (spec §9.8):
 * the same validation as the fixtures file's `employer_rules`, the organisation
 * boundary of organisation callers, and the audit log.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FieldError } from '../clients/validation/field-reader.js';
import type { Clock } from '../core/clock.js';
import { employerRuleSchema, normaliseEmployerRule, zodProblems } from '../fixtures/load-fixtures.js';
import type { AuditStore, EmployerRuleStore, StoredEmployerRule } from '../store/ports.js';
import type { Actor } from './client-admin.js';
import { isPlainObject } from '../core/json-value.js';

const EMPLOYER_RULE_AUDIT_ACTIONS = {
  create: 'employer_rule.create',
  update: 'employer_rule.update',
  delete: 'employer_rule.delete',
} as const;

type RuleAdminFailure =
  | { ok: false; status: 400; error: 'invalid_request'; description: string; errors: FieldError[] }
  | { ok: false; status: 403; error: 'access_denied'; description: string; errors: FieldError[] }
  | { ok: false; status: 404; error: 'not_found'; description: string };

export type RuleAdminResult<T> = { ok: true; value: T } | RuleAdminFailure;

/**
 * A stored rule's input: a fixtures rule, plus the organisation's unit type for when the fixtures
 * do not list it, and an optional `name`: a label for administrators only. The name users see in
 * the picker and tokens carry comes from the organisation registry (the fixtures' organizations),
 * else it is the orgno (src/representation/employer-rules.ts).
 */
const storedRuleInputSchema = employerRuleSchema.extend({
  name: z.string().regex(/\S/, { error: 'must not be empty' }).max(200).optional(),
  unit_type: z.string().regex(/^[A-Z]{2,6}$/, { error: 'must be an Enhetsregisteret unit type code like "AS", "ENK" or "BEDR"' }).optional(),
});

/** Set by the provider: ignored in request bodies. */
const SERVER_FIELDS = ['id', 'created', 'last_updated'];

function invalid(errors: FieldError[]): RuleAdminFailure {
  const description = errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
  return { ok: false, status: 400, error: 'invalid_request', description, errors };
}

const notFound = (id: string): RuleAdminFailure => ({ ok: false, status: 404, error: 'not_found', description: `no employer rule ${JSON.stringify(id)}` });

function otherOrganisation(actor: Actor): RuleAdminFailure {
  const message = `must be your organisation's number (${actor.orgno})`;
  return {
    ok: false, status: 403, error: 'access_denied',
    description: `you may only manage the employer rules of your own organisation: orgno: ${message}`,
    errors: [{ field: 'orgno', message }],
  };
}

/** Validates a request body as a rule (orgno already filled in); the normal form or the field errors. */
function validateEmployerRuleInput(input: unknown): { ok: true; rule: Omit<StoredEmployerRule, 'id' | 'created' | 'last_updated'> } | { ok: false; errors: FieldError[] } {
  const parsed = storedRuleInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: zodProblems(parsed.error.issues, input).map((p) => ({ field: p.path, message: p.message })) };
  const { rule, problems } = normaliseEmployerRule(parsed.data);
  if (problems.length > 0) return { ok: false, errors: problems.map((p) => ({ field: p.path, message: p.message })) };
  const out: Omit<StoredEmployerRule, 'id' | 'created' | 'last_updated'> = { ...rule };
  if (parsed.data.name !== undefined) out.name = parsed.data.name.trim();
  if (parsed.data.unit_type !== undefined) out.unit_type = parsed.data.unit_type;
  return { ok: true, rule: out };
}

interface EmployerRuleAdminDeps {
  store: EmployerRuleStore;
  clock: Clock;
  audit?: AuditStore;
}

export class EmployerRuleAdmin {
  constructor(private readonly d: EmployerRuleAdminDeps) {}

  private visible(actor: Actor, rule: StoredEmployerRule | undefined): rule is StoredEmployerRule {
    return rule !== undefined && (actor.orgno === undefined || rule.orgno === actor.orgno);
  }

  private async record(actor: Actor, action: string, target: string, before: StoredEmployerRule | undefined, after: StoredEmployerRule | undefined): Promise<void> {
    if (!this.d.audit) return;
    await this.d.audit.append({ at: this.d.clock.now(), actor: actor.actor, action, target, before, after });
  }

  /**
   * The body as a rule: server fields dropped, `orgno` filled in (from the existing rule on
   * update, else from an organisation caller), an organisation caller kept to its own orgno.
   */
  private prepare(actor: Actor, body: unknown, existing?: StoredEmployerRule): RuleAdminResult<Omit<StoredEmployerRule, 'id' | 'created' | 'last_updated'>> {
    if (!isPlainObject(body)) return invalid([{ field: '', message: 'the request body must be a JSON object' }]);
    const input: Record<string, unknown> = { ...body };
    for (const k of SERVER_FIELDS) delete input[k];
    if (input.orgno === undefined || input.orgno === null) {
      if (existing) input.orgno = existing.orgno;
      else if (actor.orgno) input.orgno = actor.orgno;
    }
    if (actor.orgno !== undefined && typeof input.orgno === 'string' && input.orgno !== actor.orgno) return otherOrganisation(actor);
    const res = validateEmployerRuleInput(input);
    if (!res.ok) return invalid(res.errors);
    return { ok: true, value: res.rule };
  }

  /** The rules the caller may see (an organisation caller: only its own), optionally of one orgno. */
  async list(actor: Actor, opts: { orgno?: string } = {}): Promise<RuleAdminResult<StoredEmployerRule[]>> {
    if (opts.orgno !== undefined && !/^[0-9]{9}$/.test(opts.orgno)) {
      return invalid([{ field: 'orgno', message: `must be 9 digits (${JSON.stringify(opts.orgno)})` }]);
    }
    if (actor.orgno !== undefined && opts.orgno !== undefined && opts.orgno !== actor.orgno) return { ok: true, value: [] };
    const orgno = actor.orgno ?? opts.orgno;
    const rules = await this.d.store.list(orgno !== undefined ? { orgno } : {});
    return { ok: true, value: rules.filter((r) => this.visible(actor, r)) };
  }

  async get(actor: Actor, id: string): Promise<RuleAdminResult<StoredEmployerRule>> {
    const rule = await this.d.store.get(id);
    if (!this.visible(actor, rule)) return notFound(id);
    return { ok: true, value: rule };
  }

  async create(actor: Actor, body: unknown): Promise<RuleAdminResult<StoredEmployerRule>> {
    const r = this.prepare(actor, body);
    if (!r.ok) return r;
    const now = new Date(this.d.clock.now()).toISOString();
    const rule: StoredEmployerRule = { id: randomUUID(), ...r.value, created: now, last_updated: now };
    await this.d.store.put(rule);
    await this.record(actor, EMPLOYER_RULE_AUDIT_ACTIONS.create, rule.id, undefined, rule);
    return { ok: true, value: rule };
  }

  /** Full replacement (PUT); `id` and `created` are kept. */
  async update(actor: Actor, id: string, body: unknown): Promise<RuleAdminResult<StoredEmployerRule>> {
    const before = await this.d.store.get(id);
    if (!this.visible(actor, before)) return notFound(id);
    const r = this.prepare(actor, body, before);
    if (!r.ok) return r;
    const rule: StoredEmployerRule = { id, ...r.value, created: before.created, last_updated: new Date(this.d.clock.now()).toISOString() };
    await this.d.store.put(rule);
    await this.record(actor, EMPLOYER_RULE_AUDIT_ACTIONS.update, id, before, rule);
    return { ok: true, value: rule };
  }

  async delete(actor: Actor, id: string): Promise<RuleAdminResult<StoredEmployerRule>> {
    const before = await this.d.store.get(id);
    if (!this.visible(actor, before)) return notFound(id);
    if (!(await this.d.store.delete(id))) return notFound(id);
    await this.record(actor, EMPLOYER_RULE_AUDIT_ACTIONS.delete, id, before, undefined);
    return { ok: true, value: before };
  }
}
