/**
 * The Altinn-like authorisation model of the test world (pure: no I/O, no clock).
 *
 * What a person may do on a resource for an organisation is the union of
 *  - direct rights (`rights`): held on `orgno`, and on its sub-units only with `include_subunits`;
 *  - roles (`roles`, Enhetsregisteret role codes): the resource's policy (`resource_policies`)
 *    names roles that give actions. The roles of a main unit also apply to its sub-units, as in
 *    Altinn;
 *  - access packages (`access_packages`, plus those the person's roles give through
 *    `role_packages`): the resource's policy names packages that give actions. Packages held for
 *    a main unit also apply to its sub-units.
 */
import type {
  FixtureAccessPackage,
  FixtureOrganization,
  FixturePerson,
  FixtureResourcePolicy,
  FixtureRight,
  FixtureRole,
  FixtureRolePackages,
} from '../fixtures/fixture-types.js';
import { GENERAL_MANAGER_ROLE } from '../fixtures/role-codes.js';
import { syntheticName } from '../fixtures/synthetic-names.js';

export interface AltinnModel {
  persons: readonly FixturePerson[];
  organizations: readonly FixtureOrganization[];
  /** Listed resources (ids): the resources an authorized-parties answer may name. */
  resources: readonly { id: string }[];
  rights: readonly FixtureRight[];
  roles: readonly FixtureRole[];
  access_packages: readonly FixtureAccessPackage[];
  role_packages: readonly FixtureRolePackages[];
  resource_policies: readonly FixtureResourcePolicy[];
}

/** Where a person's actions on one resource for one organisation come from. */
export interface AccessOnParty {
  /** Roles held on the organisation, or on its main unit. */
  roles: string[];
  /** Packages held directly (on the organisation or its main unit) or through a role. */
  packages: string[];
}

/** One person's view of the model (the lists filtered once by pid). */
export class PersonAccess {
  private readonly rights: readonly FixtureRight[];
  private readonly roles: readonly FixtureRole[];
  private readonly packages: readonly FixtureAccessPackage[];
  private readonly orgs: ReadonlyMap<string, FixtureOrganization>;

  constructor(private readonly model: AltinnModel, readonly pid: string, orgs?: ReadonlyMap<string, FixtureOrganization>) {
    this.rights = model.rights.filter((r) => r.pid === pid);
    this.roles = model.roles.filter((r) => r.pid === pid);
    this.packages = model.access_packages.filter((a) => a.pid === pid);
    this.orgs = orgs ?? organizationIndex(model);
  }

  /** The organisation itself and (for a sub-unit) its main unit. */
  private unitAndMain(orgno: string): string[] {
    const parent = this.orgs.get(orgno)?.parent_orgno ?? null;
    return parent === null ? [orgno] : [orgno, parent];
  }

  /** Roles and packages that apply to `orgno` (own, and inherited from the main unit). */
  access(orgno: string): AccessOnParty {
    const units = this.unitAndMain(orgno);
    const roles = unique(this.roles.filter((r) => units.includes(r.orgno)).map((r) => r.role));
    const viaRoles = this.model.role_packages.filter((rp) => roles.includes(rp.role)).flatMap((rp) => rp.packages);
    const direct = this.packages.filter((a) => units.includes(a.orgno)).map((a) => a.package);
    return { roles, packages: unique([...direct, ...viaRoles]) };
  }

  /** The person's actions on `resource` for `orgno`: direct rights ∪ roles ∪ packages. */
  actions(orgno: string, resource: string): string[] {
    const parent = this.orgs.get(orgno)?.parent_orgno ?? null;
    const direct = this.rights
      .filter((r) => r.resource === resource && (r.orgno === orgno || (r.include_subunits === true && parent !== null && r.orgno === parent)))
      .flatMap((r) => r.actions);
    const policy = this.model.resource_policies.find((p) => p.resource === resource);
    if (policy === undefined) return unique(direct);
    const { roles, packages } = this.access(orgno);
    const viaPolicy = policy.rules
      .filter((rule) => rule.roles.some((r) => roles.includes(r)) || rule.access_packages.some((p) => packages.includes(p)))
      .flatMap((rule) => rule.actions);
    return unique([...direct, ...viaPolicy]);
  }

  /**
   * The organisations where the person holds anything (a role, a package or a right, including
   * the sub-units these reach), in the model's organisation order.
   */
  organizations(): FixtureOrganization[] {
    const touched = new Set<string>([
      ...this.roles.map((r) => r.orgno),
      ...this.packages.map((a) => a.orgno),
      ...this.rights.map((r) => r.orgno),
    ]);
    const inheriting = new Set<string>([
      ...this.roles.map((r) => r.orgno),
      ...this.packages.map((a) => a.orgno),
      ...this.rights.filter((r) => r.include_subunits === true).map((r) => r.orgno),
    ]);
    return this.model.organizations.filter(
      (o) => touched.has(o.orgno) || (o.parent_orgno !== null && inheriting.has(o.parent_orgno)),
    );
  }
}

export function organizationIndex(model: Pick<AltinnModel, 'organizations'>): Map<string, FixtureOrganization> {
  return new Map(model.organizations.map((o) => [o.orgno, o] as const));
}

/** The actions `pid` may perform on `resource` for `orgno` (see the module comment). */
export function actionsFor(model: AltinnModel, pid: string, orgno: string, resource: string): string[] {
  return new PersonAccess(model, pid).actions(orgno, resource);
}

/** Every resource id the model knows: listed ones, and those named by rights or policies. */
export function knownResources(model: AltinnModel): string[] {
  return unique([...model.resources.map((r) => r.id), ...model.rights.map((r) => r.resource), ...model.resource_policies.map((p) => p.resource)]);
}

export interface GeneralManager {
  pid: string;
  given_name: string;
  family_name: string;
  /** The organisation in which the person is daglig leder. */
  orgno: string;
  organization_name: string;
}

/**
 * A person holding DAGL (daglig leder) in some organisation, chosen at random among those whose
 * organisation is not deleted and — when `relevantResource` is given (one id or several) — for
 * which that person has at least one action on one of those resources (on the organisation or
 * one of its sub-units). Undefined when there is none. `random` returns a number in [0, 1).
 */
export function randomGeneralManager(
  model: AltinnModel,
  relevantResource?: string | readonly string[],
  random: () => number = Math.random,
): GeneralManager | undefined {
  const candidates = generalManagers(model, relevantResource);
  if (candidates.length === 0) return undefined;
  const i = Math.min(candidates.length - 1, Math.floor(random() * candidates.length));
  return candidates[i];
}

/** Every person holding DAGL as randomGeneralManager would choose among them (in model order). */
export function generalManagers(model: AltinnModel, relevantResource?: string | readonly string[]): GeneralManager[] {
  const orgs = organizationIndex(model);
  const wanted = relevantResource === undefined ? undefined : typeof relevantResource === 'string' ? [relevantResource] : relevantResource;
  const subunits = new Map<string, string[]>();
  for (const o of model.organizations) if (o.parent_orgno !== null) subunits.set(o.parent_orgno, [...(subunits.get(o.parent_orgno) ?? []), o.orgno]);

  const candidates: GeneralManager[] = [];
  const seen = new Set<string>();
  for (const r of model.roles) {
    if (r.role !== GENERAL_MANAGER_ROLE) continue;
    const org = orgs.get(r.orgno);
    if (org === undefined || org.deleted || seen.has(`${r.pid} ${r.orgno}`)) continue;
    seen.add(`${r.pid} ${r.orgno}`);
    if (wanted !== undefined) {
      const access = new PersonAccess(model, r.pid, orgs);
      const units = [r.orgno, ...(subunits.get(r.orgno) ?? [])];
      if (!units.some((u) => wanted.some((res) => access.actions(u, res).length > 0))) continue;
    }
    const name = syntheticName(r.pid, model.persons);
    candidates.push({ pid: r.pid, ...name, orgno: r.orgno, organization_name: org.name });
  }
  return candidates;
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
