import { describe, expect, it } from 'vitest';
import { OAuthError } from '../../src/core/oauth-error.js';
import type { Party } from '../../src/representation/authorisation-source.js';
import { groupParties, resolveChoice } from '../../src/representation/picker-model.js';
import type { NormalisedRar } from '../../src/representation/rar-types.js';

const party = (orgno: string, name: string, parent: string | null = null): Party => ({
  orgno,
  name,
  unit_type: parent === null ? 'AS' : 'BEDR',
  parent_orgno: parent,
  deleted: false,
  grants: [{ resourceId: 'r', actions: ['read'] }],
});

const zeta = party('310000010', 'ZETA AS');
const alfa = party('310000001', 'ALFA AS');
const alfaOslo = party('310000002', 'ALFA AVD OSLO', '310000001');
const alfaBergen = party('310000003', 'Alfa avd Bergen', '310000001');
const orphan = party('310000004', 'ØST AVD', '399999999');
const aeAs = party('310000005', 'ÆRE AS');
const beta = party('310000006', 'beta as');

describe('groupParties', () => {
  it('puts sub-units beneath their main unit and sorts by name (Norwegian order)', () => {
    const groups = groupParties([zeta, alfaOslo, orphan, aeAs, alfa, beta, alfaBergen]);
    expect(groups.map((g) => [g.party.orgno, g.subunits.map((s) => s.orgno)])).toEqual([
      ['310000001', ['310000003', '310000002']], // ALFA AS: "Alfa avd Bergen" < "ALFA AVD OSLO"
      ['310000006', []], // beta as
      ['310000010', []], // ZETA AS
      ['310000005', []], // ÆRE AS
      ['310000004', []], // ØST AVD: parent not in the list → top level
    ]);
  });

  it('handles an empty list and duplicates', () => {
    expect(groupParties([])).toEqual([]);
    expect(groupParties([alfa, alfa, alfaOslo, alfaOslo])).toEqual([{ party: alfa, subunits: [alfaOslo] }]);
  });
});

describe('resolveChoice', () => {
  const parties = [alfa, alfaOslo, beta];
  const base: NormalisedRar = { type: 'ansattporten:altinn:resource', items: [], representationRequired: false, allowMultiple: false };
  const multi: NormalisedRar = { ...base, allowMultiple: true };
  const required: NormalisedRar = { ...base, representationRequired: true };

  const rejects = (values: string[], rar: NormalisedRar, fragment: RegExp) => {
    try {
      resolveChoice(values, parties, rar);
    } catch (e) {
      expect(e).toBeInstanceOf(OAuthError);
      const err = e as OAuthError;
      expect(err.error).toBe('invalid_request');
      expect(err.delivery).toBe('page');
      expect(err.status).toBe(400);
      expect(err.description).toMatch(fragment);
      return;
    }
    throw new Error(`expected ${JSON.stringify(values)} to be rejected`);
  };

  it('returns the chosen party', () => {
    expect(resolveChoice(['310000002'], parties, base)).toEqual([alfaOslo]);
    expect(resolveChoice([' 310000006 '], parties, required)).toEqual([beta]);
  });

  it('returns several parties when allowed, in list order, ignoring duplicates', () => {
    expect(resolveChoice(['310000006', '310000001', '310000006'], parties, multi)).toEqual([alfa, beta]);
    expect(resolveChoice(['310000001', '310000001'], parties, base)).toEqual([alfa]);
  });

  it('refuses several parties when allow_multiple_organizations is not set', () => {
    rejects(['310000001', '310000006'], base, /Only one organisation/);
  });

  it('self only when representation is not required, and alone', () => {
    expect(resolveChoice(['self'], parties, base)).toBe('self');
    expect(resolveChoice(['self'], parties, multi)).toBe('self');
    rejects(['self'], required, /requires you to represent an organisation/);
    rejects(['self', '310000001'], multi, /cannot be combined/);
  });

  it('nothing chosen is an error', () => {
    rejects([], base, /No organisation was chosen/);
    rejects(['', '  '], base, /No organisation was chosen/);
  });

  it('values must be 9-digit organisation numbers that were offered', () => {
    rejects(['31000000'], base, /9 digits/);
    rejects(['3100000011'], base, /9 digits/);
    rejects(['abcdefghi'], base, /9 digits/);
    rejects(['0192:310000001'], base, /9 digits/);
    rejects(['310000099'], base, /was not offered/);
    rejects(['310000001', '310000099'], multi, /was not offered/);
  });

  it('works with an empty offer list (nothing can be chosen but self)', () => {
    expect(resolveChoice(['self'], [], base)).toBe('self');
    expect(() => resolveChoice(['310000001'], [], base)).toThrow(/was not offered/);
  });
});
