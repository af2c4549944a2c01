/**
 * mapUpstreamClaims (spec §8.1, §8.2, §16): a verified upstream id_token → our identity, for the
 * three presets, with the error cases; and the preset helpers (default acr, upstream acr_values).
 */
import { describe, expect, it } from 'vitest';
import { defaultAcr, mapUpstreamClaims, MappingError, upstreamAcrValues, type MappingOptions } from '../../src/eid/upstream/claim-mapping.js';

const ISSUER = 'https://upstream.example.test';
const PID = '15895010046';
const GROUPS = Array.from({ length: 25 }, (_, i) => `group-${String(i).padStart(2, '0')}`);

const idporten: MappingOptions = { preset: 'idporten', issuer: ISSUER };
const entraid: MappingOptions = { preset: 'entraid', issuer: ISSUER };
const generic = (extra: Partial<MappingOptions> = {}): MappingOptions => ({ preset: 'oidc', issuer: ISSUER, ...extra });

describe('mapUpstreamClaims: ID-porten preset', () => {
  const token = (extra: Record<string, unknown> = {}) => ({ sub: 'upstream-sub', pid: PID, acr: 'idporten-loa-high', amr: ['BankID'], ...extra });

  it('maps pid, acr idporten-loa-high → high, amr through, pid as the subject reference', () => {
    expect(mapUpstreamClaims(token(), idporten)).toEqual({ acr: 'high', amr: ['BankID'], pid: PID, subjectRef: PID, claims: {} });
  });

  it('maps idporten-loa-substantial → substantial and accepts the short forms', () => {
    expect(mapUpstreamClaims(token({ acr: 'idporten-loa-substantial', amr: ['Minid-OTC'] }), idporten)).toMatchObject({ acr: 'substantial', amr: ['Minid-OTC'] });
    expect(mapUpstreamClaims(token({ acr: 'substantial' }), idporten).acr).toBe('substantial');
    expect(mapUpstreamClaims(token({ acr: 'high' }), idporten).acr).toBe('high');
  });

  it('passes several amr values in order and keeps names; the subject reference does not depend on the upstream sub', () => {
    const a = mapUpstreamClaims(token({ sub: 'one', amr: ['BankID', 'BankID Mobil'], given_name: 'Kari', family_name: 'Nordmann' }), idporten);
    const b = mapUpstreamClaims(token({ sub: 'two' }), idporten);
    expect(a.amr).toEqual(['BankID', 'BankID Mobil']);
    expect(a.claims).toEqual({ given_name: 'Kari', family_name: 'Nordmann', name: 'Kari Nordmann' });
    expect(a.subjectRef).toBe(b.subjectRef);
  });

  it('never releases e-mail or groups from an ID-porten token', () => {
    const m = mapUpstreamClaims(token({ email: 'kari@example.no', groups: ['g'] }), idporten);
    expect(m.claims).toEqual({});
  });

  it('reads pid under a configured claim name', () => {
    expect(mapUpstreamClaims({ sub: 's', national_id: PID, acr: 'idporten-loa-high' }, { ...idporten, claimMapping: { pid: 'national_id' } }).pid).toBe(PID);
  });

  it('refuses a token without pid, or with a pid that is not 11 digits or not a string', () => {
    const { pid: _omit, ...noPid } = token();
    expect(() => mapUpstreamClaims(noPid, idporten)).toThrow(MappingError);
    expect(() => mapUpstreamClaims(token({ pid: '1589501004' }), idporten)).toThrow(/pid/);
    expect(() => mapUpstreamClaims(token({ pid: '1589501004a' }), idporten)).toThrow(/pid/);
    expect(() => mapUpstreamClaims(token({ pid: 15895010046 }), idporten)).toThrow(/pid/);
    expect(() => mapUpstreamClaims(token({ pid: '' }), idporten)).toThrow(/pid/);
  });

  it('refuses an unknown, missing or non-string acr', () => {
    for (const acr of ['idporten-loa-low', 'low', 'Level4', 'entraid', undefined, 4, ['idporten-loa-high'], 'constructor', '__proto__', 'toString']) {
      expect(() => mapUpstreamClaims(token({ acr }), idporten), String(acr)).toThrow(MappingError);
    }
    expect(() => mapUpstreamClaims(token({ acr: 'idporten-loa-low' }), idporten)).toThrow(/unsupported upstream acr "idporten-loa-low"/);
  });

  it('refuses a token without a usable sub', () => {
    expect(() => mapUpstreamClaims(token({ sub: undefined }), idporten)).toThrow(/no sub/);
    expect(() => mapUpstreamClaims(token({ sub: 42 }), idporten)).toThrow(/no sub/);
    expect(() => mapUpstreamClaims(token({ sub: '' }), idporten)).toThrow(/no sub/);
  });

  it('drops amr values that are not strings, and an amr that is not a list', () => {
    expect(mapUpstreamClaims(token({ amr: ['BankID', 7, null, { x: 1 }, 'Buypass'] }), idporten).amr).toEqual(['BankID', 'Buypass']);
    expect(mapUpstreamClaims(token({ amr: 'BankID' }), idporten).amr).toEqual([]);
    expect(mapUpstreamClaims(token({ amr: undefined }), idporten).amr).toEqual([]);
  });
});

describe('mapUpstreamClaims: Entra ID preset', () => {
  const token = (extra: Record<string, unknown> = {}) => ({
    sub: 'entra-pairwise-sub', tid: 'tenant-1', oid: 'object-1', email: 'Kari.Nordmann@Alfa.Example.NO',
    given_name: 'Kari', family_name: 'Nordmann', amr: ['pwd', 'mfa'], groups: GROUPS.slice(0, 3), ...extra,
  });

  it('acr becomes entraid, amr values are prefixed entraid_, e-mail lower-cased, names kept, no pid', () => {
    expect(mapUpstreamClaims(token(), entraid)).toEqual({
      acr: 'entraid', amr: ['entraid_pwd', 'entraid_mfa'], subjectRef: 'entraid:tenant-1:object-1',
      claims: { given_name: 'Kari', family_name: 'Nordmann', name: 'Kari Nordmann', email: 'kari.nordmann@alfa.example.no', groups: GROUPS.slice(0, 3), tid: 'tenant-1' },
    });
  });

  it('ignores whatever acr the upstream sends, and never maps a pid', () => {
    const m = mapUpstreamClaims(token({ acr: 'idporten-loa-high', pid: PID }), entraid);
    expect(m.acr).toBe('entraid');
    expect(m.pid).toBeUndefined();
    expect(m.subjectRef).not.toContain(PID);
  });

  it('keeps the first 20 groups of more than 20', () => {
    const m = mapUpstreamClaims(token({ groups: GROUPS }), entraid);
    expect(m.claims.groups).toEqual(GROUPS.slice(0, 20));
    expect(mapUpstreamClaims(token({ groups: GROUPS.slice(0, 20) }), entraid).claims.groups).toHaveLength(20);
  });

  it('drops non-string groups before the cut, and has no groups when the claim is not a list', () => {
    const mixed = [1, 'a', null, 'b', { id: 'c' }, ...GROUPS];
    expect(mapUpstreamClaims(token({ groups: mixed }), entraid).claims.groups).toEqual(['a', 'b', ...GROUPS.slice(0, 18)]);
    expect(mapUpstreamClaims(token({ groups: 'a,b' }), entraid).claims.groups).toBeUndefined();
    const { groups: _g, ...noGroups } = token();
    expect(mapUpstreamClaims(noGroups, entraid).claims.groups).toBeUndefined();
  });

  it('never takes the e-mail from preferred_username or upn (any tenant administrator sets those); drops a value that is not an address', () => {
    const { email: _e, ...noEmail } = token();
    expect(mapUpstreamClaims({ ...noEmail, preferred_username: 'Kari@Alfa.no' }, entraid).claims.email).toBeUndefined();
    expect(mapUpstreamClaims({ ...noEmail, upn: 'kari@alfa.onmicrosoft.com' }, entraid).claims.email).toBeUndefined();
    expect(mapUpstreamClaims({ ...noEmail, preferred_username: 'a@b.no', upn: 'a@b.no' }, entraid).claims).not.toHaveProperty('email');
    expect(mapUpstreamClaims(noEmail, entraid).claims.email).toBeUndefined();
    expect(mapUpstreamClaims(token({ email: 'not an address' }), entraid).claims.email).toBeUndefined();
    expect(mapUpstreamClaims(token({ email: 'kari@' }), entraid).claims.email).toBeUndefined();
  });

  it('ignores non-string, empty or oversized name and e-mail claims', () => {
    const m = mapUpstreamClaims(token({ email: ['kari@alfa.no'], given_name: 42, family_name: '', name: 'x'.repeat(600) }), entraid);
    expect(m.claims).toEqual({ groups: GROUPS.slice(0, 3), tid: 'tenant-1' });
  });

  it('takes the email claim only when Entra vouches for its domain (xms_edov true where sent; email_verified not false)', () => {
    for (const v of [true, 'true', '1', 1]) expect(mapUpstreamClaims(token({ xms_edov: v }), entraid).claims.email).toBe('kari.nordmann@alfa.example.no');
    for (const v of [false, 'false', '0', 0, null, 'yes']) expect(mapUpstreamClaims(token({ xms_edov: v }), entraid).claims.email, String(v)).toBeUndefined();
    expect(mapUpstreamClaims(token({ email_verified: false }), entraid).claims.email).toBeUndefined();
    expect(mapUpstreamClaims(token(), entraid).claims.email).toBe('kari.nordmann@alfa.example.no');
  });

  it('keeps the tenant (tid, lower-cased) for tenant-limited employer rules; none when absent or not a string', () => {
    expect(mapUpstreamClaims(token({ tid: 'AAAAAAAA-0000-4000-8000-000000000001' }), entraid).claims.tid).toBe('aaaaaaaa-0000-4000-8000-000000000001');
    expect(mapUpstreamClaims(token({ tid: undefined }), entraid).claims.tid).toBeUndefined();
    expect(mapUpstreamClaims(token({ tid: 7 }), entraid).claims.tid).toBeUndefined();
  });

  it('prefers an explicit name claim over the composed one', () => {
    expect(mapUpstreamClaims(token({ name: 'Kari N.' }), entraid).claims.name).toBe('Kari N.');
  });

  it('uses tenant and object id as the subject reference, else the issuer and sub', () => {
    expect(mapUpstreamClaims(token({ sub: 'other-sub' }), entraid).subjectRef).toBe('entraid:tenant-1:object-1');
    expect(mapUpstreamClaims(token({ oid: undefined }), entraid).subjectRef).toBe(`${ISSUER}#entra-pairwise-sub`);
    expect(mapUpstreamClaims(token({ tid: 7 }), entraid).subjectRef).toBe(`${ISSUER}#entra-pairwise-sub`);
  });

  it('maps the e-mail and groups from configured claim names', () => {
    const m = mapUpstreamClaims({ sub: 's', mail: 'ola@beta.no', roles: ['r1', 'r2'] }, { ...entraid, claimMapping: { email: 'mail', groups: 'roles' } });
    expect(m.claims).toEqual({ email: 'ola@beta.no', groups: ['r1', 'r2'] });
  });

  it('prefixes each amr value, drops non-strings', () => {
    expect(mapUpstreamClaims(token({ amr: ['pwd', 5, 'rsa', 'mfa'] }), entraid).amr).toEqual(['entraid_pwd', 'entraid_rsa', 'entraid_mfa']);
    expect(mapUpstreamClaims(token({ amr: undefined }), entraid).amr).toEqual([]);
  });

  it('refuses a token without sub', () => {
    expect(() => mapUpstreamClaims(token({ sub: undefined }), entraid)).toThrow(MappingError);
  });
});

describe('mapUpstreamClaims: generic OpenID Connect preset', () => {
  it('without an acr mapping: substantial, issuer#sub as the subject reference, standard e-mail claim', () => {
    expect(mapUpstreamClaims({ sub: 'abc', acr: 'whatever', amr: ['otp'], email: 'A@B.no', given_name: 'A' }, generic())).toEqual({
      acr: 'substantial', amr: ['otp'], pid: undefined, subjectRef: `${ISSUER}#abc`, claims: { given_name: 'A', email: 'a@b.no' },
    });
  });

  it('with an acr mapping: maps known values and refuses unknown or missing ones', () => {
    const o = generic({ acrMapping: { 'urn:loa:3': 'substantial', 'urn:loa:4': 'high' } });
    expect(mapUpstreamClaims({ sub: 'a', acr: 'urn:loa:4' }, o).acr).toBe('high');
    expect(mapUpstreamClaims({ sub: 'a', acr: 'urn:loa:3' }, o).acr).toBe('substantial');
    expect(() => mapUpstreamClaims({ sub: 'a', acr: 'urn:loa:2' }, o)).toThrow(/unsupported upstream acr/);
    expect(() => mapUpstreamClaims({ sub: 'a' }, o)).toThrow(MappingError);
    // neither a non-string acr nor a name of Object.prototype finds an entry
    for (const acr of [['urn:loa:4'], 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(() => mapUpstreamClaims({ sub: 'a', acr }, o), String(acr)).toThrow(MappingError);
    }
  });

  it('can map to entraid through the acr mapping', () => {
    expect(mapUpstreamClaims({ sub: 'a', acr: 'x' }, generic({ acrMapping: { x: 'entraid' } })).acr).toBe('entraid');
  });

  it('maps a pid only from a configured claim, and then uses it as the subject reference', () => {
    expect(mapUpstreamClaims({ sub: 'a', pid: PID }, generic()).pid).toBeUndefined();
    const m = mapUpstreamClaims({ sub: 'a', nin: PID }, generic({ claimMapping: { pid: 'nin' } }));
    expect(m.pid).toBe(PID);
    expect(m.subjectRef).toBe(PID);
    // a configured pid claim that is absent: no pid
    expect(mapUpstreamClaims({ sub: 'a' }, generic({ claimMapping: { pid: 'nin' } })).pid).toBeUndefined();
  });

  it('refuses a configured pid claim that is not 11 digits', () => {
    expect(() => mapUpstreamClaims({ sub: 'a', nin: '123' }, generic({ claimMapping: { pid: 'nin' } }))).toThrow(/11 digits/);
  });

  it('releases groups only from a configured claim, cut at 20', () => {
    expect(mapUpstreamClaims({ sub: 'a', groups: GROUPS }, generic()).claims.groups).toBeUndefined();
    expect(mapUpstreamClaims({ sub: 'a', grp: GROUPS }, generic({ claimMapping: { groups: 'grp' } })).claims.groups).toEqual(GROUPS.slice(0, 20));
  });

  it('reads names and e-mail from configured claim names', () => {
    const m = mapUpstreamClaims({ sub: 'a', fornavn: 'Ola', etternavn: 'Nordmann', epost: 'ola@x.no' },
      generic({ claimMapping: { given_name: 'fornavn', family_name: 'etternavn', email: 'epost' } }));
    expect(m.claims).toEqual({ given_name: 'Ola', family_name: 'Nordmann', name: 'Ola Nordmann', email: 'ola@x.no' });
  });

  it('keeps at most 10 amr values', () => {
    const amr = Array.from({ length: 15 }, (_, i) => `m${i}`);
    expect(mapUpstreamClaims({ sub: 'a', amr }, generic()).amr).toEqual(amr.slice(0, 10));
  });
});

describe('preset helpers', () => {
  it('defaultAcr: Entra ID gives entraid, the others substantial and high', () => {
    expect(defaultAcr('entraid')).toEqual(['entraid']);
    expect(defaultAcr('idporten')).toEqual(['substantial', 'high']);
    expect(defaultAcr('oidc')).toEqual(['substantial', 'high']);
  });

  it('upstreamAcrValues: only ID-porten is asked for a level, the lowest acceptable one', () => {
    expect(upstreamAcrValues('idporten', ['substantial'])).toBe('idporten-loa-substantial');
    expect(upstreamAcrValues('idporten', ['high'])).toBe('idporten-loa-high');
    expect(upstreamAcrValues('idporten', ['high', 'substantial'])).toBe('idporten-loa-substantial');
    expect(upstreamAcrValues('idporten', ['entraid', 'high'])).toBe('idporten-loa-high');
    expect(upstreamAcrValues('idporten', ['entraid'])).toBeUndefined();
    expect(upstreamAcrValues('entraid', ['entraid'])).toBeUndefined();
    expect(upstreamAcrValues('oidc', ['high'])).toBeUndefined();
  });
});
