/**
 * The authorisation source the provider uses (spec §9.2): `ansattporten:orgno` comes from the
 * Virksomhetsbroen-style employer rules — those of the fixtures file plus those in the store
 * (editable through the admin API) — and every other type from the configured source (fixtures
 * or Altinn).
 *
 * The stored rules are read on every lookup, so a rule created, changed or deleted through the
 * admin API (on any instance) applies from the next login on every instance.
 */
import type { Fixtures } from '../fixtures/fixture-types.js';
import type { EmployerRuleStore } from '../store/ports.js';
import { AuthorisationSourceError, type AuthorisationSource, type Party, type PartyQuery } from './authorisation-source.js';
import { evaluateEmployerRules, organizationsForRules, type EvaluatedEmployerRule } from './employer-rules.js';
import { RAR_TYPE_ORGNO } from './rar-types.js';

interface CompositeSourceOptions {
  /** The configured source for `ansattporten:altinn:*` (fixtures or Altinn). */
  delegate: AuthorisationSource;
  /** Organisation names/unit types and the file's `employer_rules`. */
  fixtures: Pick<Fixtures, 'organizations' | 'employer_rules'>;
  /** Stored employer rules; without a store only the fixtures' rules apply. */
  store?: EmployerRuleStore;
}

export class CompositeAuthorisationSource implements AuthorisationSource {
  constructor(private readonly o: CompositeSourceOptions) {}

  async listParties(query: PartyQuery): Promise<Party[]> {
    if (query.rar.type !== RAR_TYPE_ORGNO) return this.o.delegate.listParties(query);
    // No e-mail identity and no groups: nothing can match; spare the store a read.
    if ((query.email === undefined || query.email.trim() === '') && (query.groups ?? []).length === 0) return [];
    let stored: EvaluatedEmployerRule[] = [];
    if (this.o.store) {
      try {
        stored = await this.o.store.list();
      } catch (e) {
        throw new AuthorisationSourceError(`employer rules could not be read: ${(e as Error).message}`, { cause: e });
      }
    }
    return evaluateEmployerRules(
      [...this.o.fixtures.employer_rules, ...stored],
      { email: query.email, groups: query.groups, tenant: query.tenant, clientId: query.clientId, organizationform: query.rar.organizationform },
      // A stored rule may name an organisation the fixtures do not list (production with Altinn):
      // it is offered as a main unit under the rule's `name` (else its orgno).
      organizationsForRules(stored, this.o.fixtures.organizations),
    );
  }
}
