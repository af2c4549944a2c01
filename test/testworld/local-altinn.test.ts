import { describe, expect, it } from 'vitest';
import type { AltinnModel } from '../../src/representation/altinn-model.js';
import { mapAuthorizedParties } from '../../src/representation/altinn-source.js';
import { parseAuthorizationDetails } from '../../src/representation/parse-authorization-details.js';
import type { NormalisedRar } from '../../src/representation/rar-types.js';
import {
  authorizedParties, decide, LocalAltinnError, MAX_DECISIONS, parseAuthorizedPartiesRequest, partyIdentifiers,
} from '../../src/testworld/local-altinn.js';

const KARI = '15895010046';
const OLA = '23846821082';
const MAIN = '310000108';
const SUB = '310000116';
const SUB2 = '310000124';
const OTHER = '310000132';

const model: AltinnModel = {
  persons: [],
  organizations: [
    { orgno: MAIN, name: 'ALFA AS', unit_type: 'AS', parent_orgno: null, deleted: false },
    { orgno: SUB, name: 'ALFA AS AVD OSLO', unit_type: 'BEDR', parent_orgno: MAIN, deleted: false },
    { orgno: SUB2, name: 'ALFA AS AVD BERGEN', unit_type: 'BEDR', parent_orgno: MAIN, deleted: false },
    { orgno: OTHER, name: 'BETA AS', unit_type: 'AS', parent_orgno: null, deleted: true },
  ],
  resources: [{ id: 'skjema' }, { id: '2480:40' }, { id: 'app_ttd_apps-test' }],
  rights: [
    { pid: OLA, orgno: SUB2, resource: 'skjema', actions: ['read'] },
    { pid: OLA, orgno: OTHER, resource: '2480:40', actions: ['Read'] },
  ],
  roles: [{ pid: KARI, orgno: MAIN, role: 'DAGL' }],
  access_packages: [],
  role_packages: [{ role: 'DAGL', packages: ['post-og-arkiv'] }],
  resource_policies: [
    { resource: 'skjema', rules: [{ roles: ['DAGL'], access_packages: [], actions: ['read', 'write'] }] },
    { resource: 'app_ttd_apps-test', rules: [{ roles: [], access_packages: ['post-og-arkiv'], actions: ['instantiate'] }] },
  ],
};

describe('local Altinn: authorized parties', () => {
  it('lists main units with their sub-units nested, resources, roles and packages', () => {
    const parties = authorizedParties(model, KARI);
    expect(parties).toHaveLength(1);
    expect(parties[0]).toMatchObject({
      ...partyIdentifiers(MAIN), name: 'ALFA AS', organizationNumber: MAIN, type: 'Organization', unitType: 'AS', isDeleted: false,
      onlyHierarchyElementWithNoAccess: false, authorizedResources: ['skjema', 'app_ttd_apps-test'], authorizedRoles: ['DAGL'],
      authorizedAccessPackages: ['post-og-arkiv'],
    });
    expect(parties[0]!.subunits.map((s) => [s.organizationNumber, s.authorizedResources, s.authorizedRoles])).toEqual([
      [SUB, ['skjema', 'app_ttd_apps-test'], ['DAGL']],
      [SUB2, ['skjema', 'app_ttd_apps-test'], ['DAGL']],
    ]);
    expect(parties[0]!.partyUuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('marks a main unit reached only through a sub-unit, and keeps deleted organisations flagged', () => {
    const parties = authorizedParties(model, OLA);
    expect(parties.map((p) => [p.organizationNumber, p.onlyHierarchyElementWithNoAccess, p.isDeleted, p.authorizedResources])).toEqual([
      [MAIN, true, false, []],
      [OTHER, false, true, ['2480:40']],
    ]);
    expect(parties[0]!.subunits.map((s) => [s.organizationNumber, s.authorizedResources])).toEqual([[SUB2, ['skjema']]]);
    expect(authorizedParties(model, '02918533047')).toEqual([]);
  });

  it('is read by the Altinn source as the fixture source would offer it', () => {
    const rar = parseAuthorizationDetails(JSON.stringify([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:skjema' }])) as NormalisedRar;
    const mapped = mapAuthorizedParties(authorizedParties(model, OLA) as never, rar);
    expect(mapped.map((p) => [p.orgno, p.parent_orgno])).toEqual([[SUB2, MAIN]]);
  });

  it('validates the request', () => {
    expect(parseAuthorizedPartiesRequest({ type: 'urn:altinn:person:identifier-no', value: KARI })).toBe(KARI);
    for (const bad of [null, [], 'x', { type: 'urn:altinn:person:uuid', value: KARI }, { type: 'urn:altinn:person:identifier-no', value: '15895010047' }, { type: 'urn:altinn:person:identifier-no' }]) {
      expect(() => parseAuthorizedPartiesRequest(bad)).toThrow(LocalAltinnError);
    }
  });
});

const subject = (id: string, pid: string) => ({ Id: id, Attribute: [{ AttributeId: 'urn:altinn:person:identifier-no', Value: pid }] });
const action = (id: string, a: string) => ({ Id: id, Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:action:action-id', Value: a }] });
const resource = (id: string, res: string, orgno: string, attr = 'urn:altinn:resource') => ({
  Id: id, Attribute: [{ AttributeId: attr, Value: res }, { AttributeId: 'urn:altinn:organization:identifier-no', Value: orgno }],
});

describe('local Altinn: decision point (XACML 3.0 JSON profile)', () => {
  it('decides every MultiRequests reference: roles, sub-unit inheritance, direct rights, packages', () => {
    const out = decide(model, {
      Request: {
        AccessSubject: [subject('s1', KARI), subject('s2', OLA)],
        Action: [action('a1', 'read'), action('a2', 'write'), action('a3', 'instantiate'), action('a4', 'Read')],
        Resource: [resource('r1', 'skjema', MAIN), resource('r2', 'skjema', SUB), resource('r3', 'skjema', SUB2), resource('r4', 'app_ttd_apps-test', SUB), resource('r5', 'se_2480_40', OTHER)],
        MultiRequests: {
          RequestReference: [
            { ReferenceId: ['s1', 'a1', 'r1'] }, { ReferenceId: ['s1', 'a2', 'r2'] }, { ReferenceId: ['s1', 'a3', 'r4'] },
            { ReferenceId: ['s2', 'a1', 'r1'] }, { ReferenceId: ['s2', 'a1', 'r3'] }, { ReferenceId: ['s2', 'a2', 'r3'] },
            { ReferenceId: ['s2', 'a4', 'r5'] }, { ReferenceId: ['s1', 'a1', 'r5'] },
          ],
        },
      },
    });
    expect(out.Response.map((r) => r.Decision)).toEqual(['Permit', 'Permit', 'Permit', 'NotApplicable', 'Permit', 'NotApplicable', 'Permit', 'NotApplicable']);
    expect(out.Response[0]!.Status.StatusCode.Value).toBe('urn:oasis:names:tc:xacml:1.0:status:ok');
    // the categories echo the attributes, so the caller can match answers to questions
    expect(out.Response[4]!.Category).toEqual([
      { CategoryId: 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject', Attribute: [{ AttributeId: 'urn:altinn:person:identifier-no', Value: OLA, DataType: 'http://www.w3.org/2001/XMLSchema#string' }] },
      { CategoryId: 'urn:oasis:names:tc:xacml:3.0:attribute-category:action', Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:action:action-id', Value: 'read', DataType: 'http://www.w3.org/2001/XMLSchema#string' }] },
      {
        CategoryId: 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource',
        Attribute: [
          { AttributeId: 'urn:altinn:resource', Value: 'skjema', DataType: 'http://www.w3.org/2001/XMLSchema#string' },
          { AttributeId: 'urn:altinn:organization:identifier-no', Value: SUB2, DataType: 'http://www.w3.org/2001/XMLSchema#string' },
        ],
      },
    ]);
  });

  it('without MultiRequests: one decision per combination of repeated categories; single objects allowed', () => {
    const out = decide(model, { Request: { AccessSubject: subject('s', KARI), Action: [action('a', 'read'), action('b', 'delete')], Resource: [resource('r', 'skjema', MAIN)] } });
    expect(out.Response.map((r) => r.Decision)).toEqual(['Permit', 'NotApplicable']);
    const app = decide(model, {
      Request: {
        AccessSubject: [subject('s', KARI)], Action: [action('a', 'instantiate')],
        Resource: [{ Attribute: [{ AttributeId: 'urn:altinn:org', Value: 'ttd' }, { AttributeId: 'urn:altinn:app', Value: 'apps-test' }, { AttributeId: 'urn:altinn:organization:identifier-no', Value: MAIN }] }],
      },
    });
    expect(app.Response[0]!.Decision).toBe('Permit');
  });

  it('names the party by urn:altinn:partyid (the partyId of the authorized-parties answer) too', () => {
    const partyId = partyIdentifiers(SUB).partyId;
    const req = (value: unknown) => ({
      Request: {
        AccessSubject: [subject('s', KARI)], Action: [action('a', 'write')],
        Resource: [{ Attribute: [{ AttributeId: 'urn:altinn:resource', Value: 'skjema' }, { AttributeId: 'urn:altinn:partyid', Value: value }] }],
      },
    });
    expect(decide(model, req(partyId)).Response[0]!.Decision).toBe('Permit');
    expect(decide(model, req(String(partyId))).Response[0]!.Decision).toBe('Permit');
    expect(decide(model, req(12345)).Response[0]!.Decision).toBe('NotApplicable');
    expect(decide(model, req('')).Response[0]!.Decision).toBe('Indeterminate');
  });

  it('a missing attribute gives Indeterminate with status missing-attribute; an unknown organisation NotApplicable', () => {
    const out = decide(model, { Request: { AccessSubject: [{ Attribute: [] }], Action: [action('a', 'read')], Resource: [resource('r', 'skjema', '999999999')] } });
    expect(out.Response[0]).toMatchObject({ Decision: 'Indeterminate', Status: { StatusCode: { Value: 'urn:oasis:names:tc:xacml:1.0:status:missing-attribute' } } });
    expect(decide(model, { Request: { AccessSubject: [subject('s', KARI)], Action: [action('a', 'read')], Resource: [resource('r', 'skjema', '999999999')] } }).Response[0]!.Decision).toBe('NotApplicable');
  });

  it('refuses malformed requests', () => {
    const ok = { AccessSubject: [subject('s', KARI)], Action: [action('a', 'read')], Resource: [resource('r', 'skjema', MAIN)] };
    const bad: unknown[] = [
      null, {}, { Request: [] }, { Request: { ...ok, Action: [] } }, { Request: { AccessSubject: ok.AccessSubject, Action: ok.Action } },
      { Request: { ...ok, Action: [{ Attribute: 'x' }] } }, { Request: { ...ok, Action: [{ Attribute: [{ Value: 'read' }] }] } },
      { Request: { ...ok, MultiRequests: { RequestReference: [{ ReferenceId: ['s', 'a', 'nope'] }] } } },
      { Request: { ...ok, MultiRequests: { RequestReference: [] } } },
      { Request: { ...ok, Action: [action('a', 'read'), action('b', 'write')], MultiRequests: { RequestReference: [{ ReferenceId: ['s', 'r'] }] } } },
      { Request: { ...ok, Action: [action('a', 'read'), action('a', 'write')], MultiRequests: { RequestReference: [{ ReferenceId: ['s', 'a', 'r'] }] } } },
      { Request: { ...ok, MultiRequests: { RequestReference: [{ ReferenceId: ['s', 'a', 'a', 'r'] }] } } },
      { Request: { ...ok, Action: Array.from({ length: MAX_DECISIONS + 1 }, (_, i) => action(`a${i}`, 'read')) } },
    ];
    for (const b of bad) expect(() => decide(model, b), JSON.stringify(b).slice(0, 120)).toThrow(LocalAltinnError);
  });
});
