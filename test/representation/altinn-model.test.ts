import { describe, expect, it } from 'vitest';
import { actionsFor, knownResources, PersonAccess, randomGeneralManager, type AltinnModel } from '../../src/representation/altinn-model.js';
import { syntheticName } from '../../src/fixtures/synthetic-names.js';

const KARI = '15895010046';
const OLA = '23846821082';
const PER = '02918533047';
const LISE = '30867741573';
const MAIN = '310000108';
const SUB = '310000116';
const OTHER = '310000132';
const GONE = '310000140';

const model = (extra: Partial<AltinnModel> = {}): AltinnModel => ({
  persons: [{ pid: KARI, given_name: 'KARI', family_name: 'NORDMANN' }],
  organizations: [
    { orgno: MAIN, name: 'ALFA AS', unit_type: 'AS', parent_orgno: null, deleted: false },
    { orgno: SUB, name: 'ALFA AS AVD OSLO', unit_type: 'BEDR', parent_orgno: MAIN, deleted: false },
    { orgno: OTHER, name: 'BETA AS', unit_type: 'AS', parent_orgno: null, deleted: false },
    { orgno: GONE, name: 'SLETTET AS', unit_type: 'AS', parent_orgno: null, deleted: true },
  ],
  resources: [{ id: 'skjema' }, { id: 'lonn' }],
  rights: [],
  roles: [],
  access_packages: [],
  role_packages: [],
  resource_policies: [
    {
      resource: 'skjema',
      rules: [
        { roles: ['DAGL', 'LEDE'], access_packages: [], actions: ['read', 'write', 'sign'] },
        { roles: ['REGN'], access_packages: [], actions: ['read'] },
      ],
    },
    { resource: 'lonn', rules: [{ roles: [], access_packages: ['regnskapsforer-lonn'], actions: ['read', 'submit'] }] },
  ],
  ...extra,
});

describe('altinn-model: a person\'s actions are direct rights ∪ roles ∪ packages', () => {
  it('through a role, via the resource policy', () => {
    const m = model({ roles: [{ pid: KARI, orgno: MAIN, role: 'DAGL' }, { pid: OLA, orgno: MAIN, role: 'REGN' }] });
    expect(actionsFor(m, KARI, MAIN, 'skjema')).toEqual(['read', 'write', 'sign']);
    expect(actionsFor(m, OLA, MAIN, 'skjema')).toEqual(['read']);
    // a role gives nothing on another organisation, nor on a resource whose policy does not name it
    expect(actionsFor(m, KARI, OTHER, 'skjema')).toEqual([]);
    expect(actionsFor(m, KARI, MAIN, 'lonn')).toEqual([]);
    expect(actionsFor(m, PER, MAIN, 'skjema')).toEqual([]);
  });

  it('on a sub-unit, inherited from its main unit (but not the other way round)', () => {
    const m = model({ roles: [{ pid: KARI, orgno: MAIN, role: 'DAGL' }, { pid: OLA, orgno: SUB, role: 'LEDE' }] });
    expect(actionsFor(m, KARI, SUB, 'skjema')).toEqual(['read', 'write', 'sign']);
    expect(actionsFor(m, OLA, SUB, 'skjema')).toEqual(['read', 'write', 'sign']);
    expect(actionsFor(m, OLA, MAIN, 'skjema')).toEqual([]);
    expect(new PersonAccess(m, KARI).organizations().map((o) => o.orgno)).toEqual([MAIN, SUB]);
    expect(new PersonAccess(m, OLA).organizations().map((o) => o.orgno)).toEqual([SUB]);
  });

  it('through an access package held directly or given by a role', () => {
    const m = model({
      access_packages: [{ pid: PER, orgno: OTHER, package: 'regnskapsforer-lonn' }],
      roles: [{ pid: LISE, orgno: MAIN, role: 'REGN' }],
      role_packages: [{ role: 'REGN', packages: ['regnskapsforer-lonn'] }],
    });
    expect(actionsFor(m, PER, OTHER, 'lonn')).toEqual(['read', 'submit']);
    expect(actionsFor(m, PER, MAIN, 'lonn')).toEqual([]);
    expect(actionsFor(m, LISE, MAIN, 'lonn')).toEqual(['read', 'submit']);
    expect(actionsFor(m, LISE, SUB, 'lonn')).toEqual(['read', 'submit']);
    expect(new PersonAccess(m, LISE).access(SUB)).toEqual({ roles: ['REGN'], packages: ['regnskapsforer-lonn'] });
  });

  it('through a direct right (sub-units only with include_subunits), for resources with or without a policy', () => {
    const m = model({
      rights: [
        { pid: KARI, orgno: MAIN, resource: 'annen', actions: ['read'] },
        { pid: KARI, orgno: MAIN, resource: 'skjema', actions: ['archive'], include_subunits: true },
      ],
    });
    expect(actionsFor(m, KARI, MAIN, 'annen')).toEqual(['read']);
    expect(actionsFor(m, KARI, SUB, 'annen')).toEqual([]);
    expect(actionsFor(m, KARI, SUB, 'skjema')).toEqual(['archive']);
    expect(knownResources(m)).toEqual(['skjema', 'lonn', 'annen']);
  });

  it('the union of all three paths, without duplicates', () => {
    const m = model({
      roles: [{ pid: KARI, orgno: MAIN, role: 'REGN' }],
      access_packages: [{ pid: KARI, orgno: MAIN, package: 'regnskapsforer-lonn' }],
      rights: [{ pid: KARI, orgno: MAIN, resource: 'lonn', actions: ['read', 'delete'] }, { pid: KARI, orgno: MAIN, resource: 'skjema', actions: ['read', 'delete'] }],
    });
    expect(actionsFor(m, KARI, MAIN, 'skjema')).toEqual(['read', 'delete']);
    expect(actionsFor(m, KARI, MAIN, 'lonn')).toEqual(['read', 'delete', 'submit']);
  });
});

describe('randomGeneralManager', () => {
  const m = model({
    roles: [
      { pid: KARI, orgno: MAIN, role: 'DAGL' },
      { pid: OLA, orgno: OTHER, role: 'DAGL' },
      { pid: PER, orgno: GONE, role: 'DAGL' },
      { pid: LISE, orgno: OTHER, role: 'LEDE' },
    ],
    rights: [{ pid: OLA, orgno: OTHER, resource: 'egen', actions: ['read'] }],
  });

  it('returns a DAGL of a non-deleted organisation, with a name (listed or synthetic)', () => {
    const first = randomGeneralManager(m, undefined, () => 0);
    const last = randomGeneralManager(m, undefined, () => 0.999);
    expect(first).toEqual({ pid: KARI, given_name: 'KARI', family_name: 'NORDMANN', orgno: MAIN, organization_name: 'ALFA AS' });
    expect(last).toEqual({ pid: OLA, ...syntheticName(OLA), orgno: OTHER, organization_name: 'BETA AS' });
  });

  it('only general managers with rights on the requested resource', () => {
    for (const r of [0, 0.5, 0.99]) expect(randomGeneralManager(m, 'egen', () => r)?.pid).toBe(OLA);
    expect(randomGeneralManager(m, ['ukjent', 'skjema'], () => 0.99)?.pid).toBe(OLA);
    expect(randomGeneralManager(m, 'ukjent')).toBeUndefined();
    expect(randomGeneralManager(model())).toBeUndefined();
  });
});
