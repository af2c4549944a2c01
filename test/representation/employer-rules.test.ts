/**
 * Virksomhetsbroen rule evaluation in FixtureAuthorisationSource (spec §9.5, §9.8): every rule key
 * (domain, group, email) × filter (none, allow, deny) × rights (none, with), then additivity,
 * case-insensitivity and the edges (no identity, deleted and sub-units, organizationform).
 */
import { describe, expect, it } from 'vitest';
import type { EmployerRule, Fixtures } from '../../src/fixtures/fixture-types.js';
import { emptyTestWorldExtras } from '../../src/fixtures/fixture-types.js';
import type { Party } from '../../src/representation/authorisation-source.js';
import { FixtureAuthorisationSource } from '../../src/representation/fixture-source.js';
import { parseAuthorizationDetails } from '../../src/representation/parse-authorization-details.js';
import type { NormalisedRar } from '../../src/representation/rar-types.js';

const ORG = { orgno: '310000001', name: 'ALFA AS', unit_type: 'AS', parent_orgno: null, deleted: false };
const ORG2 = { orgno: '310000002', name: 'ALFA AS AVD NORD', unit_type: 'BEDR', parent_orgno: '310000001', deleted: false };
const ORG3 = { orgno: '310000003', name: 'BETA AS', unit_type: 'AS', parent_orgno: null, deleted: false };
const GONE = { orgno: '310000004', name: 'SLETTET AS', unit_type: 'AS', parent_orgno: null, deleted: true };

const EMAIL = 'kari@alfa.example.no';
const GROUP = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';
const CLIENT = 'client-a';
const OTHER = 'client-b';

const fixtures = (rules: EmployerRule[]): Fixtures => ({
  persons: [], organizations: [ORG, ORG2, ORG3, GONE], resources: [], rights: [], employer_rules: rules, ...emptyTestWorldExtras(),
});
const ORGNO_RAR = parseAuthorizationDetails(JSON.stringify([{ type: 'ansattporten:orgno' }])) as NormalisedRar;
const rarWith = (extra: Record<string, unknown>) => parseAuthorizationDetails(JSON.stringify([{ type: 'ansattporten:orgno', ...extra }])) as NormalisedRar;

interface Who { email?: string; groups?: string[] }
const KARI: Who = { email: EMAIL, groups: [GROUP] };

async function list(rules: EmployerRule[], clientId: string, who: Who = KARI, rar: NormalisedRar = ORGNO_RAR): Promise<Party[]> {
  return new FixtureAuthorisationSource(fixtures(rules)).listParties({ ...who, clientId, rar });
}
const summary = (ps: Party[]) => ps.map((p) => ({ orgno: p.orgno, rights: p.rights }));

type Key = 'domain' | 'group' | 'email';
type FilterKind = 'none' | 'allow' | 'deny';

const matchFor = (key: Key): EmployerRule['match'] =>
  key === 'domain' ? { domain: 'alfa.example.no' } : key === 'group' ? { group: GROUP } : { email: EMAIL };
/** An identity the rule key does not match (another domain, other groups, another address). */
const strangerFor = (key: Key): Who =>
  key === 'domain' ? { email: 'ola@beta.example.no', groups: [GROUP.replace('6f', '00')] }
    : key === 'group' ? { email: 'ola@beta.example.no', groups: ['00000000-0000-0000-0000-000000000000'] }
      : { email: 'ola@alfa-example.no', groups: [] };
const filterFor = (f: FilterKind): EmployerRule['filter'] =>
  f === 'none' ? null : f === 'allow' ? { allow: [CLIENT] } : { deny: [CLIENT] };

describe('employer rules: rule key × filter × rights', () => {
  for (const key of ['domain', 'group', 'email'] as const) {
    for (const filter of ['none', 'allow', 'deny'] as const) {
      for (const withRights of [false, true]) {
        const rule: EmployerRule = { orgno: ORG.orgno, match: matchFor(key), filter: filterFor(filter), ...(withRights ? { rights: ['rapporter', 'les'] } : {}) };
        const name = `${key} rule, ${filter === 'none' ? 'no filter' : `${filter} list`}, ${withRights ? 'with rights' : 'no rights'}`;

        it(`${name}: offered to exactly the clients the filter admits`, async () => {
          // the listed client
          const forListed = await list([rule], CLIENT);
          // a client not on the list
          const forOther = await list([rule], OTHER);
          const listedGets = filter !== 'deny';
          const otherGets = filter !== 'allow';
          expect(forListed.map((p) => p.orgno)).toEqual(listedGets ? [ORG.orgno] : []);
          expect(forOther.map((p) => p.orgno)).toEqual(otherGets ? [ORG.orgno] : []);
        });

        it(`${name}: rights only through an allow rule for that client`, async () => {
          const forListed = await list([rule], CLIENT);
          const forOther = await list([rule], OTHER);
          const listedRights = filter === 'allow' && withRights ? ['rapporter', 'les'] : undefined;
          if (forListed.length > 0) expect(forListed[0]!.rights).toEqual(listedRights);
          // the other client never gets rights: allow does not list it, none/deny carry no rights
          if (forOther.length > 0) expect(forOther[0]!.rights).toBeUndefined();
        });

        it(`${name}: not offered to a person the rule does not match`, async () => {
          expect(await list([rule], CLIENT, strangerFor(key))).toEqual([]);
          expect(await list([rule], OTHER, strangerFor(key))).toEqual([]);
        });
      }
    }
  }

  it('the party carries the organisation data and no grants', async () => {
    const parties = await list([{ orgno: ORG.orgno, match: { domain: 'alfa.example.no' }, filter: { allow: [CLIENT] }, rights: ['r'] }], CLIENT);
    expect(parties).toEqual([{ ...ORG, grants: [], rights: ['r'] }]);
  });
});

describe('employer rules: additivity', () => {
  it('a deny rule does not take away what a domain rule without filter granted', async () => {
    const rules: EmployerRule[] = [
      { orgno: ORG.orgno, match: { domain: 'alfa.example.no' }, filter: null },
      { orgno: ORG.orgno, match: { email: EMAIL }, filter: { deny: [CLIENT] } },
      { orgno: ORG.orgno, match: { group: GROUP }, filter: { deny: [CLIENT] } },
    ];
    expect(summary(await list(rules, CLIENT))).toEqual([{ orgno: ORG.orgno, rights: undefined }]);
    // order does not matter
    expect(summary(await list([...rules].reverse(), CLIENT))).toEqual([{ orgno: ORG.orgno, rights: undefined }]);
  });

  it('an allow list for another client does not take away what a deny rule for a third client grants', async () => {
    const rules: EmployerRule[] = [
      { orgno: ORG.orgno, match: { email: EMAIL }, filter: { allow: [OTHER] } },
      { orgno: ORG.orgno, match: { domain: 'alfa.example.no' }, filter: { deny: ['client-c'] } },
    ];
    expect((await list(rules, CLIENT)).map((p) => p.orgno)).toEqual([ORG.orgno]);
  });

  it('rights from an allow rule stay when a rule without filter also grants the organisation, and rights of several allow rules are united', async () => {
    const rules: EmployerRule[] = [
      { orgno: ORG.orgno, match: { domain: 'alfa.example.no' }, filter: null },
      { orgno: ORG.orgno, match: { group: GROUP }, filter: { allow: [CLIENT] }, rights: ['rapporter'] },
      { orgno: ORG.orgno, match: { email: EMAIL }, filter: { allow: [CLIENT] }, rights: ['les', 'rapporter'] },
    ];
    expect(summary(await list(rules, CLIENT))).toEqual([{ orgno: ORG.orgno, rights: ['rapporter', 'les'] }]);
    expect(summary(await list(rules, OTHER))).toEqual([{ orgno: ORG.orgno, rights: undefined }]);
  });

  it('rules for different organisations add up, each organisation once, in register order', async () => {
    const rules: EmployerRule[] = [
      { orgno: ORG3.orgno, match: { email: EMAIL }, filter: null },
      { orgno: ORG.orgno, match: { group: GROUP }, filter: { allow: [CLIENT] }, rights: ['x'] },
      { orgno: ORG.orgno, match: { domain: 'alfa.example.no' }, filter: null },
      { orgno: ORG2.orgno, match: { domain: 'alfa.example.no' }, filter: { deny: [OTHER] } },
    ];
    expect(summary(await list(rules, CLIENT))).toEqual([
      { orgno: ORG.orgno, rights: ['x'] }, { orgno: ORG2.orgno, rights: undefined }, { orgno: ORG3.orgno, rights: undefined },
    ]);
    expect(summary(await list(rules, OTHER)).map((p) => p.orgno)).toEqual([ORG.orgno, ORG3.orgno]);
  });

  it('a rule on a main unit does not reach its sub-units', async () => {
    const parties = await list([{ orgno: ORG.orgno, match: { domain: 'alfa.example.no' }, filter: null }], CLIENT);
    expect(parties.map((p) => p.orgno)).toEqual([ORG.orgno]);
  });
});

describe('employer rules: case-insensitivity and identities', () => {
  it('matches domains, e-mail addresses and group ids whatever their case, on either side', async () => {
    const rules: EmployerRule[] = [
      { orgno: ORG.orgno, match: { domain: 'ALFA.Example.NO' }, filter: null },
      { orgno: ORG2.orgno, match: { email: 'Kari@ALFA.example.no' }, filter: null },
      { orgno: ORG3.orgno, match: { group: GROUP.toUpperCase() }, filter: null },
    ];
    const who: Who = { email: 'KARI@alfa.EXAMPLE.no', groups: [GROUP.replace('f', 'F')] };
    expect((await list(rules, CLIENT, who)).map((p) => p.orgno)).toEqual([ORG.orgno, ORG2.orgno, ORG3.orgno]);
  });

  it('client ids in filters are compared exactly', async () => {
    const rules: EmployerRule[] = [{ orgno: ORG.orgno, match: { domain: 'alfa.example.no' }, filter: { allow: ['Client-A'] } }];
    expect(await list(rules, CLIENT)).toEqual([]);
  });

  it('a domain rule matches the whole domain only (no sub-domains, no suffix match)', async () => {
    const rules: EmployerRule[] = [{ orgno: ORG.orgno, match: { domain: 'example.no' }, filter: null }];
    expect(await list(rules, CLIENT, { email: EMAIL })).toEqual([]);
    expect((await list(rules, CLIENT, { email: 'kari@example.no' })).map((p) => p.orgno)).toEqual([ORG.orgno]);
  });

  it('groups alone (no e-mail) still match group rules; no identity at all matches nothing', async () => {
    const rules: EmployerRule[] = [
      { orgno: ORG.orgno, match: { group: GROUP }, filter: null },
      { orgno: ORG3.orgno, match: { domain: 'alfa.example.no' }, filter: null },
    ];
    expect((await list(rules, CLIENT, { groups: [GROUP] })).map((p) => p.orgno)).toEqual([ORG.orgno]);
    expect(await list(rules, CLIENT, {})).toEqual([]);
    expect(await list(rules, CLIENT, { email: '', groups: [] })).toEqual([]);
  });

  it('a national-ID login (pid only) gets no organisations from employer rules', async () => {
    const source = new FixtureAuthorisationSource(fixtures([{ orgno: ORG.orgno, match: { domain: 'alfa.example.no' }, filter: null }]));
    expect(await source.listParties({ pid: '15895010046', clientId: CLIENT, rar: ORGNO_RAR })).toEqual([]);
  });
});

describe('employer rules: organisations', () => {
  it('never offers a deleted organisation', async () => {
    expect(await list([{ orgno: GONE.orgno, match: { domain: 'alfa.example.no' }, filter: null }], CLIENT)).toEqual([]);
  });

  it('ignores rules for organisations that are not in the register', async () => {
    expect(await list([{ orgno: '399999999', match: { domain: 'alfa.example.no' }, filter: null }], CLIENT)).toEqual([]);
  });

  it('applies organizationform: enterprise keeps main units, business keeps sub-units', async () => {
    const rules: EmployerRule[] = [
      { orgno: ORG.orgno, match: { domain: 'alfa.example.no' }, filter: null },
      { orgno: ORG2.orgno, match: { domain: 'alfa.example.no' }, filter: null },
    ];
    expect((await list(rules, CLIENT, KARI, rarWith({ organizationform: 'enterprise' }))).map((p) => p.orgno)).toEqual([ORG.orgno]);
    expect((await list(rules, CLIENT, KARI, rarWith({ organizationform: 'business' }))).map((p) => p.orgno)).toEqual([ORG2.orgno]);
  });
});

describe('employer rules limited to Entra tenants (match.tenants)', () => {
  const TENANT = 'aaaaaaaa-0000-4000-8000-000000000001';
  const OTHER_TENANT = 'bbbbbbbb-0000-4000-8000-000000000002';
  const list = (rules: EmployerRule[], who: { email?: string; groups?: string[]; tenant?: string }) =>
    new FixtureAuthorisationSource(fixtures(rules)).listParties({ ...who, clientId: CLIENT, rar: ORGNO_RAR });

  for (const match of [{ domain: 'alfa.example.no' }, { email: EMAIL }, { group: GROUP }]) {
    const key = Object.keys(match)[0];
    it(`a ${key} rule with tenants matches only a login from a listed tenant (case-insensitive); without tid none`, async () => {
      const rule: EmployerRule = { orgno: ORG.orgno, match: { ...match, tenants: [TENANT.toUpperCase(), OTHER_TENANT] }, filter: null };
      expect((await list([rule], { ...KARI, tenant: TENANT })).map((p) => p.orgno)).toEqual([ORG.orgno]);
      expect((await list([rule], { ...KARI, tenant: 'cccccccc-0000-4000-8000-000000000003' }))).toEqual([]);
      expect((await list([rule], { ...KARI }))).toEqual([]);
    });
  }

  it('a rule without tenants is not limited by the tenant', async () => {
    const rule: EmployerRule = { orgno: ORG.orgno, match: { domain: 'alfa.example.no' }, filter: null };
    expect((await list([rule], { ...KARI, tenant: OTHER_TENANT })).map((p) => p.orgno)).toEqual([ORG.orgno]);
    expect((await list([rule], { ...KARI })).map((p) => p.orgno)).toEqual([ORG.orgno]);
  });
});
