/**
 * An AuthorisationSource over the synthetic world of a test deployment (`Fixtures`): the stand-in
 * for Altinn Authorization (altinn:resource / altinn:service) and for the Digdir customer
 * database + Virksomhetsbroen rules (orgno) of spec §9.2, §9.8.
 */
import type { FixtureOrganization, Fixtures } from '../fixtures/fixture-types.js';
import { organizationIndex, PersonAccess, type AltinnModel } from './altinn-model.js';
import {
  AuthorisationSourceError,
  grantFor,
  matchesOrganizationForm,
  type AuthorisationSource,
  type Party,
  type PartyGrant,
  type PartyQuery,
} from './authorisation-source.js';
import { evaluateEmployerRules } from './employer-rules.js';
import { RAR_TYPE_ORGNO, type NormalisedRar } from './rar-types.js';

/** The current test world: the fixtures file, plus test data from the store when there is one. */
export interface AltinnModelProvider {
  current(): Promise<AltinnModel>;
}

export class FixtureAuthorisationSource implements AuthorisationSource {
  private readonly names: Map<string, string>;
  private readonly world: AltinnModelProvider;

  /** `world` defaults to the fixtures alone (no test data added at run time). */
  constructor(private readonly fixtures: Fixtures, world?: AltinnModelProvider) {
    this.names = new Map(fixtures.resources.map((r) => [r.id, r.name]));
    this.world = world ?? { current: async () => fixtures };
  }

  /** Display name of a resource by bare id (`"2480:40"` for a legacy service); unknown → undefined. */
  resourceName(id: string): string | undefined {
    return this.names.get(id);
  }

  async listParties(query: PartyQuery): Promise<Party[]> {
    if (query.rar.type === RAR_TYPE_ORGNO) return this.listEmployers(query);
    if (query.pid === undefined) return [];
    let model: AltinnModel;
    try {
      model = await this.world.current();
    } catch (e) {
      throw new AuthorisationSourceError(`test data could not be read: ${(e as Error).message}`, { cause: e });
    }
    return this.listAltinnParties(model, query.pid, query.rar);
  }

  /**
   * Altinn-style lookup over the model of src/representation/altinn-model.ts: the actions are the
   * union of direct rights (held on `right.orgno`, and on that unit's sub-units only when
   * `include_subunits` is true), roles (a main unit's roles also apply to its sub-units) and
   * access packages, through the resource's policy. For a legacy service the resource id is
   * `"<serviceCode>:<edition>"` and the actions are its Altinn 2 Rights (Read, Write,
   * ArchiveRead, …). Rights on organisations missing from `organizations` are ignored (nothing to
   * show for them).
   */
  private listAltinnParties(model: AltinnModel, pid: string, rar: NormalisedRar): Party[] {
    const access = new PersonAccess(model, pid, organizationIndex(model));
    const parties: Party[] = [];
    for (const org of access.organizations()) {
      if (!matchesOrganizationForm(org, rar.organizationform)) continue;
      const grants: PartyGrant[] = [];
      for (const item of rar.items) {
        if (org.deleted && !item.allowDeleted) continue;
        if (item.resourceId === undefined) continue;
        const held = access.actions(org.orgno, item.resourceId);
        const grant = grantFor(item, held);
        if (grant !== undefined) grants.push(grant);
      }
      if (grants.length > 0) parties.push(toParty(org, grants));
    }
    return parties;
  }

  /**
   * Virksomhetsbroen rules (§9.8) of the fixtures file for an e-mail identity, evaluated by
   * {@link evaluateEmployerRules} (see there for the semantics). A national-ID login (pid only)
   * has no e-mail identity and gets no organisations here.
   */
  private listEmployers(query: PartyQuery): Party[] {
    return evaluateEmployerRules(
      this.fixtures.employer_rules,
      { email: query.email, groups: query.groups, tenant: query.tenant, clientId: query.clientId, organizationform: query.rar.organizationform },
      this.fixtures.organizations,
    );
  }
}

function toParty(org: FixtureOrganization, grants: PartyGrant[]): Party {
  return {
    orgno: org.orgno,
    name: org.name,
    unit_type: org.unit_type,
    parent_orgno: org.parent_orgno,
    deleted: org.deleted,
    grants,
  };
}
