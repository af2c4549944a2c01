import { describe, expect, it } from 'vitest';
import { emptyTestWorldExtras, type Fixtures } from '../../src/fixtures/fixture-types.js';
import type { Party } from '../../src/representation/authorisation-source.js';
import { FixtureAuthorisationSource } from '../../src/representation/fixture-source.js';
import { parseAuthorizationDetails } from '../../src/representation/parse-authorization-details.js';
import type { NormalisedRar } from '../../src/representation/rar-types.js';

const P1 = '01010112345';
const P2 = '02020212345';

const fixtures: Fixtures = {
  ...emptyTestWorldExtras(),
  persons: [
    { pid: P1, given_name: 'Kari', family_name: 'Nordmann' },
    { pid: P2, given_name: 'Ola', family_name: 'Nordmann' },
  ],
  organizations: [
    { orgno: '310000001', name: 'ALFA AS', unit_type: 'AS', parent_orgno: null, deleted: false },
    { orgno: '310000002', name: 'ALFA AVD OSLO', unit_type: 'BEDR', parent_orgno: '310000001', deleted: false },
    { orgno: '310000003', name: 'ALFA AVD BERGEN', unit_type: 'BEDR', parent_orgno: '310000001', deleted: false },
    { orgno: '310000004', name: 'BETA KOMMUNE', unit_type: 'KOMM', parent_orgno: null, deleted: false },
    { orgno: '310000005', name: 'SLETTET AS', unit_type: 'AS', parent_orgno: null, deleted: true },
    { orgno: '310000006', name: 'GAMMA ENK', unit_type: 'ENK', parent_orgno: null, deleted: false },
  ],
  resources: [
    { id: 'eksempel-tjeneste', name: 'Eksempeltjeneste' },
    { id: '2480:40', name: 'Fiktiv lenketjeneste' },
    { id: 'annen', name: 'Annen tjeneste' },
  ],
  rights: [
    { pid: P1, orgno: '310000001', resource: 'eksempel-tjeneste', actions: ['read', 'write'] },
    { pid: P1, orgno: '310000003', resource: 'eksempel-tjeneste', actions: ['report'] },
    { pid: P1, orgno: '310000001', resource: 'annen', actions: ['sign'], include_subunits: true },
    { pid: P1, orgno: '310000005', resource: 'eksempel-tjeneste', actions: ['read'] },
    { pid: P1, orgno: '310000002', resource: '2480:40', actions: ['Read', 'ArchiveRead'] },
    { pid: P1, orgno: '399999999', resource: 'eksempel-tjeneste', actions: ['read'] }, // unknown organisation
    { pid: P2, orgno: '310000006', resource: 'eksempel-tjeneste', actions: ['read'] },
    { pid: P2, orgno: '310000004', resource: 'eksempel-tjeneste', actions: [] },
  ],
  employer_rules: [
    { orgno: '310000004', match: { domain: 'kommune.example.no' }, filter: null },
    { orgno: '310000006', match: { group: 'AAAA-1111' }, filter: { allow: ['client-1'] }, rights: ['rapporter', 'les'] },
    { orgno: '310000006', match: { group: 'BBBB-2222' }, filter: null, rights: ['ignored'] },
    { orgno: '310000001', match: { email: 'kari@alfa.example.no' }, filter: { deny: ['client-2'] } },
    { orgno: '310000002', match: { domain: 'alfa.example.no' }, filter: { allow: ['client-3'] } },
    { orgno: '310000003', match: { domain: 'alfa.example.no' }, filter: { deny: ['client-1'] }, rights: ['not-from-deny'] },
    { orgno: '310000003', match: { email: 'kari@alfa.example.no' }, filter: null },
    { orgno: '310000005', match: { domain: 'alfa.example.no' }, filter: null },
  ],
};

const source = new FixtureAuthorisationSource(fixtures);
const rar = (v: unknown): NormalisedRar => parseAuthorizationDetails(JSON.stringify(v)) as NormalisedRar;
const orgnos = (ps: Party[]) => ps.map((p) => p.orgno);
const resource = (extra: Record<string, unknown> = {}, id = 'eksempel-tjeneste') => ({
  type: 'ansattporten:altinn:resource',
  resource: `urn:altinn:resource:${id}`,
  ...extra,
});

describe('FixtureAuthorisationSource: altinn:resource', () => {
  it('lists the organisations with a matching right, with names, unit types and held actions', async () => {
    const parties = await source.listParties({ pid: P1, clientId: 'c', rar: rar([resource()]) });
    expect(parties).toEqual([
      {
        orgno: '310000001',
        name: 'ALFA AS',
        unit_type: 'AS',
        parent_orgno: null,
        deleted: false,
        grants: [{ resourceId: 'eksempel-tjeneste', actions: ['read', 'write'] }],
      },
      {
        orgno: '310000003',
        name: 'ALFA AVD BERGEN',
        unit_type: 'BEDR',
        parent_orgno: '310000001',
        deleted: false,
        grants: [{ resourceId: 'eksempel-tjeneste', actions: ['report'] }],
      },
    ]);
  });

  it('a right on a main unit does not leak to its sub-units', async () => {
    const parties = await source.listParties({ pid: P1, clientId: 'c', rar: rar([resource()]) });
    expect(orgnos(parties)).not.toContain('310000002');
  });

  it('include_subunits extends a right to the sub-units', async () => {
    const parties = await source.listParties({ pid: P1, clientId: 'c', rar: rar([resource({}, 'annen')]) });
    expect(parties.map((p) => [p.orgno, p.grants])).toEqual([
      ['310000001', [{ resourceId: 'annen', actions: ['sign'] }]],
      ['310000002', [{ resourceId: 'annen', actions: ['sign'] }]],
      ['310000003', [{ resourceId: 'annen', actions: ['sign'] }]],
    ]);
  });

  it('requested actions: matches when at least one is held, grants only the held requested ones', async () => {
    const write = await source.listParties({ pid: P1, clientId: 'c', rar: rar([resource({ actions: 'write' })]) });
    expect(orgnos(write)).toEqual(['310000001']);
    expect(write[0]?.grants).toEqual([{ resourceId: 'eksempel-tjeneste', actions: ['write'] }]);

    const some = await source.listParties({ pid: P1, clientId: 'c', rar: rar([resource({ actions: 'report,write,delete' })]) });
    expect(some.map((p) => [p.orgno, p.grants[0]?.actions])).toEqual([
      ['310000001', ['write']],
      ['310000003', ['report']],
    ]);

    expect(await source.listParties({ pid: P1, clientId: 'c', rar: rar([resource({ actions: 'delete' })]) })).toEqual([]);
  });

  it('a right with no actions is no right', async () => {
    expect(await source.listParties({ pid: P2, clientId: 'c', rar: rar([resource()]) }).then(orgnos)).toEqual(['310000006']);
  });

  it('the picker list is the union over the requested items', async () => {
    const parties = await source.listParties({
      pid: P1,
      clientId: 'c',
      rar: rar([resource({ actions: 'write' }), resource({}, 'annen')]),
    });
    expect(parties.map((p) => [p.orgno, p.grants])).toEqual([
      [
        '310000001',
        [
          { resourceId: 'eksempel-tjeneste', actions: ['write'] },
          { resourceId: 'annen', actions: ['sign'] },
        ],
      ],
      ['310000002', [{ resourceId: 'annen', actions: ['sign'] }]],
      ['310000003', [{ resourceId: 'annen', actions: ['sign'] }]],
    ]);
  });

  it('organizationform enterprise keeps only main units, business only sub-units', async () => {
    const enterprise = await source.listParties({ pid: P1, clientId: 'c', rar: rar([resource({ organizationform: 'enterprise' }, 'annen')]) });
    expect(orgnos(enterprise)).toEqual(['310000001']);
    const business = await source.listParties({ pid: P1, clientId: 'c', rar: rar([resource({ organizationform: 'business' }, 'annen')]) });
    expect(orgnos(business)).toEqual(['310000002', '310000003']);
  });

  it('deleted organisations only when the item allows them (per object)', async () => {
    expect(orgnos(await source.listParties({ pid: P1, clientId: 'c', rar: rar([resource()]) }))).not.toContain('310000005');
    const allowed = await source.listParties({ pid: P1, clientId: 'c', rar: rar([resource({ allow_deleted_organizations: 'true' })]) });
    expect(allowed.find((p) => p.orgno === '310000005')).toMatchObject({ deleted: true, name: 'SLETTET AS' });

    // allowed for another item only: the deleted organisation's right for this item is not offered
    const other = await source.listParties({
      pid: P1,
      clientId: 'c',
      rar: rar([resource(), resource({ allow_deleted_organizations: true }, 'annen')]),
    });
    expect(orgnos(other)).not.toContain('310000005');
  });

  it('another person sees only their own rights; no pid means nothing', async () => {
    expect(orgnos(await source.listParties({ pid: P2, clientId: 'c', rar: rar([resource()]) }))).toEqual(['310000006']);
    expect(await source.listParties({ pid: '03030312345', clientId: 'c', rar: rar([resource()]) })).toEqual([]);
    expect(await source.listParties({ email: 'kari@alfa.example.no', clientId: 'c', rar: rar([resource()]) })).toEqual([]);
  });
});

describe('FixtureAuthorisationSource: altinn:service', () => {
  it('finds a legacy service as resource "<code>:<edition>" with its Rights', async () => {
    const parties = await source.listParties({
      pid: P1,
      clientId: 'c',
      rar: rar([{ type: 'ansattporten:altinn:service', resource: 'urn:altinn:resource:2480:40' }]),
    });
    expect(parties).toEqual([
      {
        orgno: '310000002',
        name: 'ALFA AVD OSLO',
        unit_type: 'BEDR',
        parent_orgno: '310000001',
        deleted: false,
        grants: [{ resourceId: '2480:40', actions: ['Read', 'ArchiveRead'] }],
      },
    ]);
  });

  it('returns nothing for a service without rights', async () => {
    expect(
      await source.listParties({
        pid: P1,
        clientId: 'c',
        rar: rar([{ type: 'ansattporten:altinn:service', resource: 'urn:altinn:resource:9999:1' }]),
      }),
    ).toEqual([]);
  });
});

describe('FixtureAuthorisationSource: resource names', () => {
  it('looks names up by bare id', () => {
    expect(source.resourceName('eksempel-tjeneste')).toBe('Eksempeltjeneste');
    expect(source.resourceName('2480:40')).toBe('Fiktiv lenketjeneste');
    expect(source.resourceName('nope')).toBeUndefined();
  });
});

describe('FixtureAuthorisationSource: ansattporten:orgno (employer rules)', () => {
  const orgno = (extra: Record<string, unknown> = {}) => rar([{ type: 'ansattporten:orgno', ...extra }]);

  it('returns nothing for a TestID (pid) login', async () => {
    expect(await source.listParties({ pid: P1, clientId: 'client-1', rar: orgno() })).toEqual([]);
  });

  it('matches by e-mail domain with no filter (all clients)', async () => {
    const parties = await source.listParties({ email: 'ola@Kommune.Example.no', clientId: 'any', rar: orgno() });
    expect(parties).toEqual([
      { orgno: '310000004', name: 'BETA KOMMUNE', unit_type: 'KOMM', parent_orgno: null, deleted: false, grants: [] },
    ]);
  });

  it('allow filter: only the listed clients, and rights only from an allow rule naming the client', async () => {
    const c1 = await source.listParties({ email: 'x@y.no', groups: ['aaaa-1111'], clientId: 'client-1', rar: orgno() });
    expect(c1).toEqual([
      {
        orgno: '310000006',
        name: 'GAMMA ENK',
        unit_type: 'ENK',
        parent_orgno: null,
        deleted: false,
        grants: [],
        rights: ['rapporter', 'les'],
      },
    ]);
    expect(await source.listParties({ groups: ['AAAA-1111'], clientId: 'client-2', rar: orgno() })).toEqual([]);
  });

  it('rights on a no-filter rule are not granted', async () => {
    const parties = await source.listParties({ groups: ['BBBB-2222'], clientId: 'client-2', rar: orgno() });
    expect(parties).toHaveLength(1);
    expect(parties[0]).not.toHaveProperty('rights');
    // additive: the no-filter rule and the allow rule together; rights only from the allow rule
    const both = await source.listParties({ groups: ['BBBB-2222', 'AAAA-1111'], clientId: 'client-1', rar: orgno() });
    expect(both.map((p) => [p.orgno, p.rights])).toEqual([['310000006', ['rapporter', 'les']]]);
  });

  it('deny filter: every client but the listed; rules are additive; deleted never offered', async () => {
    const kari = 'kari@alfa.example.no';
    // client-1: 310000001 (deny client-2 → allowed), 310000003 (deny client-1 denies, but the
    // no-filter e-mail rule grants: additive), 310000002 only for client-3, 310000005 deleted
    const c1 = await source.listParties({ email: kari, clientId: 'client-1', rar: orgno() });
    expect(orgnos(c1)).toEqual(['310000001', '310000003']);
    expect(c1.every((p) => p.rights === undefined)).toBe(true);

    const c2 = await source.listParties({ email: kari, clientId: 'client-2', rar: orgno() });
    expect(orgnos(c2)).toEqual(['310000003']);

    const c3 = await source.listParties({ email: kari, clientId: 'client-3', rar: orgno() });
    expect(orgnos(c3)).toEqual(['310000001', '310000002', '310000003']);

    // someone else on the same domain: no e-mail rules
    const per = await source.listParties({ email: 'per@alfa.example.no', clientId: 'client-1', rar: orgno() });
    expect(orgnos(per)).toEqual([]);
    const perC2 = await source.listParties({ email: 'per@alfa.example.no', clientId: 'client-2', rar: orgno() });
    expect(orgnos(perC2)).toEqual(['310000003']);
  });

  it('honours organizationform', async () => {
    const kari = 'kari@alfa.example.no';
    expect(orgnos(await source.listParties({ email: kari, clientId: 'client-3', rar: orgno({ organizationform: 'enterprise' }) }))).toEqual([
      '310000001',
    ]);
    expect(orgnos(await source.listParties({ email: kari, clientId: 'client-3', rar: orgno({ organizationform: 'business' }) }))).toEqual([
      '310000002',
      '310000003',
    ]);
  });

  it('no identity at all gives nothing', async () => {
    expect(await source.listParties({ clientId: 'client-1', rar: orgno() })).toEqual([]);
    expect(await source.listParties({ email: '', groups: [], clientId: 'client-1', rar: orgno() })).toEqual([]);
  });
});

describe('FixtureAuthorisationSource: roles, access packages and policies (altinn-model)', () => {
  const P3 = '05829907455';
  const world: Fixtures = {
    ...fixtures,
    roles: [{ pid: P3, orgno: '310000001', role: 'DAGL' }],
    access_packages: [{ pid: P3, orgno: '310000006', package: 'regnskapsforer-lonn' }],
    role_packages: [],
    resource_policies: [
      { resource: 'eksempel-tjeneste', rules: [{ roles: ['DAGL'], access_packages: [], actions: ['read', 'write'] }, { roles: [], access_packages: ['regnskapsforer-lonn'], actions: ['read'] }] },
    ],
  };

  it('offers the main unit and its sub-units through a role, and another organisation through a package', async () => {
    const parties = await new FixtureAuthorisationSource(world).listParties({ pid: P3, clientId: 'c', rar: rar([resource()]) });
    expect(parties.map((p) => [p.orgno, p.grants])).toEqual([
      ['310000001', [{ resourceId: 'eksempel-tjeneste', actions: ['read', 'write'] }]],
      ['310000002', [{ resourceId: 'eksempel-tjeneste', actions: ['read', 'write'] }]],
      ['310000003', [{ resourceId: 'eksempel-tjeneste', actions: ['read', 'write'] }]],
      ['310000006', [{ resourceId: 'eksempel-tjeneste', actions: ['read'] }]],
    ]);
  });

  it('reads the current world from the provider on every lookup', async () => {
    let current: Fixtures = fixtures;
    const source = new FixtureAuthorisationSource(fixtures, { current: async () => current });
    expect(await source.listParties({ pid: P3, clientId: 'c', rar: rar([resource()]) })).toEqual([]);
    current = world;
    expect(orgnos(await source.listParties({ pid: P3, clientId: 'c', rar: rar([resource()]) }))).toHaveLength(4);
  });
});

describe('FixtureAuthorisationSource: an unreadable test-data store', () => {
  it('fails the lookup with AuthorisationSourceError (the login shows "temporarily unavailable")', async () => {
    const { AuthorisationSourceError } = await import('../../src/representation/authorisation-source.js');
    const source = new FixtureAuthorisationSource(fixtures, { current: async () => { throw new Error('database is down'); } });
    await expect(source.listParties({ pid: P1, clientId: 'c', rar: rar([resource()]) })).rejects.toThrow(AuthorisationSourceError);
    await expect(source.listParties({ pid: P1, clientId: 'c', rar: rar([resource()]) })).rejects.toThrow('test data could not be read: database is down');
  });
});
