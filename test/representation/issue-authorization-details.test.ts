import { describe, expect, it } from 'vitest';
import type { Party } from '../../src/representation/authorisation-source.js';
import { issueAuthorizationDetails, UNKNOWN_SERVICE_NAME } from '../../src/representation/issue-authorization-details.js';
import { parseAuthorizationDetails } from '../../src/representation/parse-authorization-details.js';
import type { NormalisedRar } from '../../src/representation/rar-types.js';

const rar = (v: unknown): NormalisedRar => parseAuthorizationDetails(JSON.stringify(v)) as NormalisedRar;
const names = {
  resourceName: (id: string) =>
    ({ 'eksempel-tjeneste': 'Eksempeltjeneste', annen: 'Annen tjeneste', '2480:40': 'Fiktiv lenketjeneste' })[id],
};

const alfa: Party = {
  orgno: '310000001',
  name: 'ALFA AS',
  unit_type: 'AS',
  parent_orgno: null,
  deleted: false,
  grants: [
    { resourceId: 'eksempel-tjeneste', actions: ['read', 'write'] },
    { resourceId: 'annen', actions: ['sign'] },
  ],
};
const bergen: Party = {
  orgno: '310000003',
  name: 'ALFA AVD BERGEN',
  unit_type: 'BEDR',
  parent_orgno: '310000001',
  deleted: false,
  grants: [{ resourceId: 'eksempel-tjeneste', actions: ['read'] }],
};

const RES = 'ansattporten:altinn:resource';
const SVC = 'ansattporten:altinn:service';
const ORG = 'ansattporten:orgno';
const resourceRar = rar([
  { type: RES, resource: 'urn:altinn:resource:eksempel-tjeneste', actions: 'read,write' },
  { type: RES, resource: 'urn:altinn:resource:annen' },
  { type: RES, resource: 'urn:altinn:resource:ukjent-ressurs' },
]);

describe('issueAuthorizationDetails: ansattporten:altinn:resource (§9.4)', () => {
  it('one object per requested resource the chosen parties hold, with their held actions', () => {
    expect(issueAuthorizationDetails(resourceRar, [alfa, bergen], names, false)).toEqual([
      {
        type: RES,
        resource: 'urn:altinn:resource:eksempel-tjeneste',
        resource_name: 'Eksempeltjeneste',
        authorized_parties: [
          {
            orgno: { authority: 'iso6523-actorid-upis', ID: '0192:310000001' },
            resource: 'eksempel-tjeneste',
            actions: ['read', 'write'],
            name: 'ALFA AS',
            unit_type: 'AS',
          },
          {
            orgno: { authority: 'iso6523-actorid-upis', ID: '0192:310000003' },
            resource: 'eksempel-tjeneste',
            actions: ['read'],
            name: 'ALFA AVD BERGEN',
            unit_type: 'BEDR',
          },
        ],
      },
      {
        type: RES,
        resource: 'urn:altinn:resource:annen',
        resource_name: 'Annen tjeneste',
        authorized_parties: [
          {
            orgno: { authority: 'iso6523-actorid-upis', ID: '0192:310000001' },
            resource: 'annen',
            actions: ['sign'],
            name: 'ALFA AS',
            unit_type: 'AS',
          },
        ],
      },
    ]);
  });

  it('lists only the parties holding each resource', () => {
    const out = issueAuthorizationDetails(resourceRar, [bergen], names, false);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ resource: 'urn:altinn:resource:eksempel-tjeneste' });
  });

  it('echoes the URN exactly as requested and omits an unknown resource_name', () => {
    const r = rar([{ type: RES, resource: 'urn:altinn:resource:Ukjent' }]);
    const p: Party = { ...alfa, grants: [{ resourceId: 'Ukjent', actions: ['read'] }] };
    expect(issueAuthorizationDetails(r, [p], names, false)).toEqual([
      {
        type: RES,
        resource: 'urn:altinn:resource:Ukjent',
        authorized_parties: [
          { orgno: { authority: 'iso6523-actorid-upis', ID: '0192:310000001' }, resource: 'Ukjent', actions: ['read'], name: 'ALFA AS', unit_type: 'AS' },
        ],
      },
    ]);
  });

  it('self → only the type, once', () => {
    expect(issueAuthorizationDetails(resourceRar, 'self', names, false)).toEqual([{ type: RES }]);
  });

  it('none → only the type, once, like representing oneself (§9.7 steps 3 and 5)', () => {
    expect(issueAuthorizationDetails(resourceRar, 'none', names, true)).toEqual([{ type: RES }]);
    expect(issueAuthorizationDetails(resourceRar, 'none', names, false)).toEqual([{ type: RES }]);
  });

  it('chosen parties holding nothing requested fall back to the none shape', () => {
    const stranger: Party = { ...alfa, grants: [{ resourceId: 'other', actions: ['x'] }] };
    expect(issueAuthorizationDetails(resourceRar, [stranger], names, false)).toEqual(
      issueAuthorizationDetails(resourceRar, 'none', names, false),
    );
    expect(issueAuthorizationDetails(resourceRar, [stranger], names, false)).toEqual([{ type: RES }]);
  });

  it('does not share arrays with the party objects', () => {
    const out = issueAuthorizationDetails(resourceRar, [alfa], names, false) as { authorized_parties: { actions: string[] }[] }[];
    out[0]!.authorized_parties[0]!.actions.push('mutated');
    expect(alfa.grants[0]!.actions).toEqual(['read', 'write']);
  });
});

describe('issueAuthorizationDetails: ansattporten:altinn:service (§9.6)', () => {
  const svcRar = rar([
    { type: SVC, resource: 'urn:altinn:resource:2480:40' },
    { type: SVC, resource: 'urn:altinn:resource:9999:1' },
  ]);
  const oslo: Party = {
    orgno: '310000002',
    name: 'ALFA AVD OSLO',
    unit_type: 'BEDR',
    parent_orgno: '310000001',
    deleted: false,
    grants: [{ resourceId: '2480:40', actions: ['Read', 'ArchiveRead'] }],
  };

  it('issues the capitalised reportees model, one object per requested service', () => {
    expect(issueAuthorizationDetails(svcRar, [oslo], names, false)).toEqual([
      {
        type: SVC,
        resource: 'urn:altinn:resource:2480:40',
        resource_name: 'Fiktiv lenketjeneste',
        reportees: [{ Authority: 'iso6523-actorid-upis', ID: '0192:310000002', Name: 'ALFA AVD OSLO', Rights: ['Read', 'ArchiveRead'] }],
      },
      { type: SVC, resource: 'urn:altinn:resource:9999:1', resource_name: UNKNOWN_SERVICE_NAME, reportees: [] },
    ]);
    expect(UNKNOWN_SERVICE_NAME).toBe('ukjent tjeneste');
  });

  it('none → the observed real answer: reportees []', () => {
    expect(issueAuthorizationDetails(rar([{ type: SVC, resource: 'urn:altinn:resource:9999:1' }]), 'none', names, false)).toEqual([
      { type: SVC, resource: 'urn:altinn:resource:9999:1', resource_name: 'ukjent tjeneste', reportees: [] },
    ]);
    expect(issueAuthorizationDetails(svcRar, 'none', names, false)).toEqual([
      { type: SVC, resource: 'urn:altinn:resource:2480:40', resource_name: 'Fiktiv lenketjeneste', reportees: [] },
      { type: SVC, resource: 'urn:altinn:resource:9999:1', resource_name: UNKNOWN_SERVICE_NAME, reportees: [] },
    ]);
  });

  it('self → only the type', () => {
    expect(issueAuthorizationDetails(svcRar, 'self', names, false)).toEqual([{ type: SVC }]);
  });
});

describe('issueAuthorizationDetails: ansattporten:orgno (§9.5)', () => {
  const orgRar = rar([{ type: ORG }]);
  const gamma: Party = { orgno: '310000006', name: 'GAMMA ENK', unit_type: 'ENK', parent_orgno: null, deleted: false, grants: [], rights: ['rapporter', 'les'] };
  const beta: Party = { orgno: '310000004', name: 'BETA KOMMUNE', unit_type: 'KOMM', parent_orgno: null, deleted: false, grants: [] };
  const empty: Party = { ...beta, orgno: '310000007', rights: [] };

  it('authorized_parties with orgno, name and rights only when non-empty', () => {
    expect(issueAuthorizationDetails(orgRar, [gamma, beta, empty], names, true)).toEqual([
      {
        type: ORG,
        authorized_parties: [
          { orgno: { authority: 'iso6523-actorid-upis', ID: '0192:310000006' }, name: 'GAMMA ENK', rights: ['rapporter', 'les'] },
          { orgno: { authority: 'iso6523-actorid-upis', ID: '0192:310000004' }, name: 'BETA KOMMUNE' },
          { orgno: { authority: 'iso6523-actorid-upis', ID: '0192:310000007' }, name: 'BETA KOMMUNE' },
        ],
      },
    ]);
  });

  it('without an e-mail identity → only the type, whatever was chosen', () => {
    expect(issueAuthorizationDetails(orgRar, [gamma], names, false)).toEqual([{ type: ORG }]);
    expect(issueAuthorizationDetails(orgRar, 'none', names, false)).toEqual([{ type: ORG }]);
    expect(issueAuthorizationDetails(orgRar, 'self', names, false)).toEqual([{ type: ORG }]);
  });

  it('self and none → only the type (§9.7 steps 3 and 5)', () => {
    expect(issueAuthorizationDetails(orgRar, 'self', names, true)).toEqual([{ type: ORG }]);
    expect(issueAuthorizationDetails(orgRar, 'none', names, true)).toEqual([{ type: ORG }]);
  });
});
