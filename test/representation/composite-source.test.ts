/**
 * The composite authorisation source (issue 7): `ansattporten:orgno` from the fixtures' employer
 * rules plus the rules in a real store (SQLite in memory), read on every lookup; every other type
 * from the configured source. Also the pure helpers it is built on.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { EmployerRule, FixtureOrganization } from '../../src/fixtures/fixture-types.js';
import { AuthorisationSourceError, type AuthorisationSource, type Party, type PartyQuery } from '../../src/representation/authorisation-source.js';
import { CompositeAuthorisationSource } from '../../src/representation/composite-source.js';
import { evaluateEmployerRules, organizationsForRules } from '../../src/representation/employer-rules.js';
import { parseAuthorizationDetails } from '../../src/representation/parse-authorization-details.js';
import type { NormalisedRar } from '../../src/representation/rar-types.js';
import type { EmployerRuleStore, StoredEmployerRule } from '../../src/store/ports.js';
import { createSqliteStores } from '../../src/store/sqlite/sqlite-store.js';

const ORG: FixtureOrganization = { orgno: '310000001', name: 'ALFA AS', unit_type: 'AS', parent_orgno: null, deleted: false };
const SUB: FixtureOrganization = { orgno: '310000002', name: 'ALFA AS AVD NORD', unit_type: 'BEDR', parent_orgno: '310000001', deleted: false };
const GONE: FixtureOrganization = { orgno: '310000004', name: 'SLETTET AS', unit_type: 'AS', parent_orgno: null, deleted: true };
const UNLISTED = '310000019';
const UNLISTED2 = '310000027';
const GROUP = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';
const EMAIL = 'Kari@Alfa.Example.no';

const rar = (json: unknown) => parseAuthorizationDetails(JSON.stringify(json)) as NormalisedRar;
const ORGNO_RAR = rar([{ type: 'ansattporten:orgno' }]);
const ALTINN_RAR = rar([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:x' }]);

const FIXTURE_RULES: EmployerRule[] = [{ orgno: ORG.orgno, match: { domain: 'alfa.example.no' }, filter: { deny: ['app'] } }];
const fixtures = { organizations: [ORG, SUB, GONE], employer_rules: FIXTURE_RULES };

let n = 0;
function stored(over: Partial<StoredEmployerRule> & Pick<StoredEmployerRule, 'orgno' | 'match'>): StoredEmployerRule {
  n++;
  const t = `2024-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`;
  return { id: `rule-${n}`, filter: null, created: t, last_updated: t, ...over };
}

const summary = (ps: Party[]) => ps.map((p) => ({ orgno: p.orgno, name: p.name, unit_type: p.unit_type, rights: p.rights }));

describe('CompositeAuthorisationSource with a SQLite store', () => {
  let stores: ReturnType<typeof createSqliteStores>;
  let rules: EmployerRuleStore;
  let delegateCalls: PartyQuery[];
  let source: CompositeAuthorisationSource;
  const delegateAnswer: Party[] = [{ orgno: ORG.orgno, name: ORG.name, unit_type: 'AS', parent_orgno: null, deleted: false, grants: [{ resourceId: 'x', actions: ['read'] }] }];

  beforeEach(() => {
    stores = createSqliteStores(':memory:', new ManualClock(1_700_000_000_000));
    rules = stores.employerRules;
    delegateCalls = [];
    const delegate: AuthorisationSource = { listParties: async (q) => { delegateCalls.push(q); return delegateAnswer; } };
    source = new CompositeAuthorisationSource({ delegate, fixtures, store: rules });
  });
  afterEach(async () => stores.close());

  const orgno = (clientId: string, who: { email?: string; groups?: string[] } = { email: EMAIL, groups: [GROUP] }, r = ORGNO_RAR) =>
    source.listParties({ ...who, clientId, rar: r });

  it('other types go to the configured source, untouched', async () => {
    await rules.put(stored({ orgno: ORG.orgno, match: { domain: 'alfa.example.no' } }));
    const q: PartyQuery = { pid: '15895010046', clientId: 'app', rar: ALTINN_RAR };
    expect(await source.listParties(q)).toBe(delegateAnswer);
    expect(delegateCalls).toEqual([q]);
  });

  it('ansattporten:orgno never asks the configured source', async () => {
    await orgno('other');
    expect(delegateCalls).toEqual([]);
  });

  it('fixtures rules alone apply when the store is empty', async () => {
    expect(summary(await orgno('other'))).toEqual([{ orgno: ORG.orgno, name: 'ALFA AS', unit_type: 'AS', rights: undefined }]);
    expect(await orgno('app')).toEqual([]);
  });

  it('a stored rule adds to the fixtures rules (additive: the fixtures deny for app does not take it away), read on every lookup', async () => {
    expect(await orgno('app')).toEqual([]);
    const r = stored({ orgno: ORG.orgno, match: { group: GROUP }, filter: { allow: ['app'] }, rights: ['rapporter'] });
    await rules.put(r);
    expect(summary(await orgno('app'))).toEqual([{ orgno: ORG.orgno, name: 'ALFA AS', unit_type: 'AS', rights: ['rapporter'] }]);
    // a change is seen at the next lookup
    await rules.put({ ...r, filter: { allow: ['somebody-else'] }, rights: [] });
    expect(await orgno('app')).toEqual([]);
    await rules.put(r);
    expect(await orgno('app')).toHaveLength(1);
    await rules.delete(r.id);
    expect(await orgno('app')).toEqual([]);
  });

  it('a stored rule for an organisation the fixtures do not list: shown by its orgno (never the rule author\'s free-text name), its unit_type else ""', async () => {
    await rules.put(stored({ orgno: UNLISTED, match: { email: 'kari@alfa.example.no' }, name: 'GAMMA AS', unit_type: 'AS' }));
    await rules.put(stored({ orgno: UNLISTED2, match: { domain: 'alfa.example.no' } }));
    expect(summary(await orgno('app'))).toEqual([
      { orgno: UNLISTED, name: UNLISTED, unit_type: 'AS', rights: undefined },
      { orgno: UNLISTED2, name: UNLISTED2, unit_type: '', rights: undefined },
    ]);
    // such organisations count as main units
    expect((await orgno('app', undefined, rar([{ type: 'ansattporten:orgno', organizationform: 'enterprise' }]))).map((p) => p.orgno)).toEqual([UNLISTED, UNLISTED2]);
    expect(await orgno('app', undefined, rar([{ type: 'ansattporten:orgno', organizationform: 'business' }]))).toEqual([]);
  });

  it('the fixtures organisation wins over a stored rule\'s name; deleted organisations stay hidden', async () => {
    await rules.put(stored({ orgno: ORG.orgno, match: { domain: 'alfa.example.no' }, name: 'NOT THIS NAME', unit_type: 'ENK' }));
    await rules.put(stored({ orgno: GONE.orgno, match: { domain: 'alfa.example.no' }, name: 'BACK AGAIN AS' }));
    await rules.put(stored({ orgno: SUB.orgno, match: { domain: 'alfa.example.no' } }));
    expect(summary(await orgno('app'))).toEqual([
      { orgno: ORG.orgno, name: 'ALFA AS', unit_type: 'AS', rights: undefined },
      { orgno: SUB.orgno, name: 'ALFA AS AVD NORD', unit_type: 'BEDR', rights: undefined },
    ]);
  });

  it('no e-mail and no groups: nothing, and the store is not read', async () => {
    await rules.put(stored({ orgno: ORG.orgno, match: { domain: 'alfa.example.no' } }));
    const failing = new CompositeAuthorisationSource({
      delegate: { listParties: async () => [] }, fixtures,
      store: { ...rules, list: async () => { throw new Error('must not be read'); } } as EmployerRuleStore,
    });
    expect(await failing.listParties({ pid: '15895010046', clientId: 'app', rar: ORGNO_RAR })).toEqual([]);
    expect(await failing.listParties({ email: ' ', groups: [], clientId: 'app', rar: ORGNO_RAR })).toEqual([]);
  });

  it('a store that cannot be read is an AuthorisationSourceError (the login shows temporarily_unavailable)', async () => {
    const failing = new CompositeAuthorisationSource({
      delegate: { listParties: async () => [] }, fixtures,
      store: { list: async () => { throw new Error('connection refused'); }, get: async () => undefined, put: async () => {}, delete: async () => false },
    });
    await expect(failing.listParties({ email: EMAIL, clientId: 'app', rar: ORGNO_RAR })).rejects.toBeInstanceOf(AuthorisationSourceError);
  });

  it('without a store only the fixtures rules apply', async () => {
    const plain = new CompositeAuthorisationSource({ delegate: { listParties: async () => [] }, fixtures });
    expect((await plain.listParties({ email: EMAIL, clientId: 'other', rar: ORGNO_RAR })).map((p) => p.orgno)).toEqual([ORG.orgno]);
  });
});

describe('organizationsForRules', () => {
  it('appends the unlisted orgnos by orgno, named by their orgno, with the unit_type of the most recently updated rule carrying one', () => {
    const rs: StoredEmployerRule[] = [
      stored({ orgno: UNLISTED2, match: { domain: 'a.no' }, name: 'OLD NAME', unit_type: 'ENK', last_updated: '2024-01-01T00:00:00.000Z' }),
      stored({ orgno: UNLISTED2, match: { domain: 'b.no' }, name: 'NEW NAME', last_updated: '2024-06-01T00:00:00.000Z' }),
      stored({ orgno: UNLISTED2, match: { domain: 'c.no' }, last_updated: '2024-09-01T00:00:00.000Z' }),
      stored({ orgno: UNLISTED, match: { domain: 'a.no' } }),
      stored({ orgno: ORG.orgno, match: { domain: 'a.no' }, name: 'IGNORED' }),
    ];
    expect(organizationsForRules(rs, [ORG])).toEqual([
      ORG,
      { orgno: UNLISTED, name: UNLISTED, unit_type: '', parent_orgno: null, deleted: false },
      { orgno: UNLISTED2, name: UNLISTED2, unit_type: 'ENK', parent_orgno: null, deleted: false },
    ]);
    expect(organizationsForRules([], [ORG])).toEqual([ORG]);
  });

  it('evaluateEmployerRules ignores rules for organisations it is not given', () => {
    const r: EmployerRule = { orgno: UNLISTED, match: { domain: 'alfa.example.no' }, filter: null };
    expect(evaluateEmployerRules([r], { email: EMAIL, clientId: 'app' }, [ORG])).toEqual([]);
    expect(evaluateEmployerRules([r], { email: EMAIL, clientId: 'app' }, organizationsForRules([r], [ORG])).map((p) => p.orgno)).toEqual([UNLISTED]);
  });
});
