/**
 * An AuthorisationSource over the synthetic world of a test deployment (`Fixtures`): the stand-in
 * for Altinn Authorization (altinn:resource / altinn:service) and for the Digdir customer
 * database + Virksomhetsbroen rules (orgno) of spec §9.2, §9.8.
 */
import type { FixtureOrganization, Fixtures } from '../fixtures/fixture-types.js';
import {
  grantFor,
  matchesOrganizationForm,
  type AuthorisationSource,
  type Party,
  type PartyGrant,
  type PartyQuery,
} from './authorisation-source.js';
import { evaluateEmployerRules } from './employer-rules.js';
import { RAR_TYPE_ORGNO, type NormalisedRar } from './rar-types.js';

export class FixtureAuthorisationSource implements AuthorisationSource {
  private readonly names: Map<string, string>;

  constructor(private readonly fixtures: Fixtures) {
    this.names = new Map(fixtures.resources.map((r) => [r.id, r.name]));
  }

  /** Display name of a resource by bare id (`"2480:40"` for a legacy service); unknown → undefined. */
  resourceName(id: string): string | undefined {
    return this.names.get(id);
  }

  async listParties(query: PartyQuery): Promise<Party[]> {
    if (query.rar.type === RAR_TYPE_ORGNO) return this.listEmployers(query);
    if (query.pid === undefined) return [];
    return this.listAltinnParties(query.pid, query.rar);
  }

  /**
   * Altinn-style lookup. A right is held on `right.orgno`, and on that unit's sub-units only when
   * `include_subunits` is true (a right on a main unit does not leak to its sub-units). For a
   * legacy service the resource id is `"<serviceCode>:<edition>"` and the right's actions are its
   * Altinn 2 Rights (Read, Write, ArchiveRead, …). Rights on organisations missing from
   * `organizations` are ignored (nothing to show for them).
   */
  private listAltinnParties(pid: string, rar: NormalisedRar): Party[] {
    const rights = this.fixtures.rights.filter((r) => r.pid === pid);
    const parties: Party[] = [];
    for (const org of this.fixtures.organizations) {
      if (!matchesOrganizationForm(org, rar.organizationform)) continue;
      const grants: PartyGrant[] = [];
      for (const item of rar.items) {
        if (org.deleted && !item.allowDeleted) continue;
        const held = rights
          .filter(
            (r) =>
              r.resource === item.resourceId &&
              (r.orgno === org.orgno || (r.include_subunits === true && org.parent_orgno === r.orgno)),
          )
          .flatMap((r) => r.actions);
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
