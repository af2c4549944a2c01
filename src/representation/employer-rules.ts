/**
 * Evaluation of Virksomhetsbroen-style employer rules (spec §9.5, §9.8) for `ansattporten:orgno`:
 * one pure function shared by the fixture source (rules of the fixtures file) and the composite
 * source (the fixtures' rules plus the rules in the store, editable through the admin API).
 */
import type { EmployerRule, FixtureOrganization } from '../fixtures/fixture-types.js';
import { matchesOrganizationForm, type Party } from './authorisation-source.js';
import type { OrganizationForm } from './rar-types.js';

/** A rule as evaluated: a fixtures rule, or a stored rule that may name an organisation the fixtures do not list. */
export type EvaluatedEmployerRule = EmployerRule & {
  /**
   * The rule author's label for the organisation (stored rules only). Never shown to users nor put
   * in tokens: organisation names come from the organisation registry only.
   */
  name?: string;
  /** Enhetsregisteret unit type for such an organisation (stored rules only). */
  unit_type?: string;
  /** ISO time of the last change (stored rules): the most recent rule's unit type wins. */
  last_updated?: string;
};

interface EmployerRuleQuery {
  /** E-mail identity of the person (Entra ID logins). */
  email?: string;
  /** Entra group object ids. */
  groups?: readonly string[];
  /** Entra tenant id (the upstream id_token's `tid`), for rules limited to `match.tenants`. */
  tenant?: string;
  clientId: string;
  /** `enterprise` keeps main units, `business` sub-units (§9.3). */
  organizationform?: OrganizationForm;
}

const norm = (s: string) => s.trim().toLowerCase();

/**
 * The organisations (with their service-specific rights) that the rules grant this person for
 * this client.
 *
 * A rule matches by e-mail domain, Entra group object id or e-mail address (all case-insensitive),
 * and, when it names `match.tenants`, only for a login from one of those Entra tenants. The e-mail
 * is one the eID vouches for (src/eid/upstream/claim-mapping.ts): never preferred_username or upn,
 * which any tenant's administrator can set to an address in someone else's domain.
 * Its filter decides for which clients it grants the organisation: null = every client,
 * allow = only the listed client ids, deny = every client but the listed ones. Rules are additive
 * (one granting rule suffices; none takes access away). Service-specific `rights` come only from
 * an allow rule naming this client. Rules apply to exactly the unit they name (no inheritance to
 * sub-units). A person without e-mail and groups gets nothing.
 *
 * Organisation data comes from `organizations`, in whose order the parties are returned: rules
 * for an organisation not listed there are ignored, and a deleted organisation is never offered
 * (the orgno model has no allow_deleted_organizations, §9.5). See
 * {@link organizationsForRules} for stored rules naming organisations the fixtures do not list.
 */
export function evaluateEmployerRules(
  rules: readonly EvaluatedEmployerRule[],
  query: EmployerRuleQuery,
  organizations: readonly FixtureOrganization[],
): Party[] {
  const email = query.email === undefined ? undefined : norm(query.email);
  const groups = new Set((query.groups ?? []).map(norm));
  if ((email === undefined || email === '') && groups.size === 0) return [];
  const domain = email?.includes('@') ? email.slice(email.lastIndexOf('@') + 1) : undefined;

  const tenant = query.tenant === undefined ? undefined : norm(query.tenant);
  const matches = (rule: EmployerRule): boolean => {
    const m = rule.match;
    // A rule limited to tenants matches only logins from one of them (a login without tid: none).
    if (m.tenants !== undefined && (tenant === undefined || !m.tenants.some((t) => norm(t) === tenant))) return false;
    if ('domain' in m) return domain !== undefined && norm(m.domain) === domain;
    if ('group' in m) return groups.has(norm(m.group));
    return email !== undefined && email !== '' && norm(m.email) === email;
  };

  const granted = new Map<string, Set<string>>(); // orgno -> rights
  for (const rule of rules) {
    if (!matches(rule)) continue;
    const f = rule.filter;
    const allowed =
      f === null ||
      ('allow' in f && f.allow.includes(query.clientId)) ||
      ('deny' in f && !f.deny.includes(query.clientId));
    if (!allowed) continue;
    const rights = granted.get(rule.orgno) ?? new Set<string>();
    if (f !== null && 'allow' in f) for (const r of rule.rights ?? []) rights.add(r);
    granted.set(rule.orgno, rights);
  }
  if (granted.size === 0) return [];

  const parties: Party[] = [];
  for (const org of organizations) {
    const rights = granted.get(org.orgno);
    if (rights === undefined || org.deleted) continue;
    if (!matchesOrganizationForm(org, query.organizationform)) continue;
    const party: Party = { orgno: org.orgno, name: org.name, unit_type: org.unit_type, parent_orgno: org.parent_orgno, deleted: false, grants: [] };
    if (rights.size > 0) party.rights = [...rights];
    parties.push(party);
  }
  return parties;
}

/**
 * `known` followed by the organisations that only `rules` name (by orgno): each a main unit
 * named by its orgno (never by the free text a rule's author chose: a name shown in the picker
 * and carried in tokens must come from the organisation registry, or anyone allowed to write a
 * rule could present their organisation as another), with the `unit_type` of the most recently
 * updated rule for that orgno that carries one (whether or not that rule grants anything to the
 * person at hand), else "".
 */
export function organizationsForRules(rules: readonly EvaluatedEmployerRule[], known: readonly FixtureOrganization[]): FixtureOrganization[] {
  const listed = new Set(known.map((o) => o.orgno));
  const byOrgno = new Map<string, EvaluatedEmployerRule[]>();
  for (const r of rules) {
    if (listed.has(r.orgno)) continue;
    const list = byOrgno.get(r.orgno) ?? [];
    list.push(r);
    byOrgno.set(r.orgno, list);
  }
  const extra = [...byOrgno.keys()].sort().map((orgno) => unlistedOrganization(orgno, byOrgno.get(orgno)!));
  return extra.length === 0 ? [...known] : [...known, ...extra];
}

/** An organisation only the rules know: a main unit shown by its orgno. */
function unlistedOrganization(orgno: string, rules: readonly EvaluatedEmployerRule[]): FixtureOrganization {
  let best: EvaluatedEmployerRule | undefined;
  for (const r of rules) {
    if (r.unit_type === undefined) continue;
    if (best === undefined || (r.last_updated ?? '') >= (best.last_updated ?? '')) best = r;
  }
  return { orgno, name: orgno, unit_type: best?.unit_type ?? '', parent_orgno: null, deleted: false };
}
