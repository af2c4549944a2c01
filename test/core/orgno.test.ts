import { describe, it, expect } from 'vitest';
import { isValidOrgno, makeOrgno } from '../../src/core/orgno.js';

// Independent reference computation.
function ref(prefix8: string): number {
  const w = [3, 2, 7, 6, 5, 4, 3, 2];
  const s = w.reduce((acc, x, i) => acc + x * Number(prefix8[i]), 0);
  const r = 11 - (s % 11);
  return r === 11 ? 0 : r;
}

describe('isValidOrgno', () => {
  it.each(['991825827' /* Digdir */, '974760673' /* Brønnøysundregistrene */])('accepts the real number %s', (n) => {
    expect(isValidOrgno(n)).toBe(true);
  });

  it('accepts a number whose check digit is 0 (remainder 0)', () => {
    // 3*3 + 1*2 = 11 → remainder 0 → check digit 0
    expect(isValidOrgno('310000000')).toBe(true);
    expect(isValidOrgno('310000002')).toBe(false);
  });

  it.each(['', '99182582', '9918258277', '99182582a', ' 991825827', '991 825 827', '991825827\n', 'abcdefghi'])(
    'rejects malformed %j',
    (n) => {
      expect(isValidOrgno(n)).toBe(false);
    },
  );

  it('rejects non-strings', () => {
    expect(isValidOrgno(991825827 as unknown as string)).toBe(false);
    expect(isValidOrgno(null as unknown as string)).toBe(false);
  });

  it('rejects every wrong check digit', () => {
    for (let d = 0; d <= 9; d++) {
      expect(isValidOrgno(`99182582${d}`)).toBe(d === 7);
    }
  });

  it('rejects every single-digit change of a valid number', () => {
    const n = '991825827';
    for (let i = 0; i < 9; i++) {
      for (let v = 0; v <= 9; v++) {
        if (String(v) === n[i]) continue;
        expect(isValidOrgno(n.slice(0, i) + v + n.slice(i + 1))).toBe(false);
      }
    }
  });

  it('rejects all candidates when the computed check digit is 10', () => {
    let prefix = '';
    for (let i = 0; i < 1000 && !prefix; i++) {
      const p = `3100${String(i).padStart(4, '0')}`;
      if (ref(p) === 10) prefix = p;
    }
    expect(prefix).not.toBe('');
    for (let d = 0; d <= 9; d++) expect(isValidOrgno(`${prefix}${d}`)).toBe(false);
  });
});

describe('makeOrgno', () => {
  it('appends the check digit', () => {
    expect(makeOrgno('99182582')).toBe('991825827');
    expect(makeOrgno('97476067')).toBe('974760673');
    expect(makeOrgno('31000000')).toBe('310000000');
  });

  it('agrees with the reference and with isValidOrgno over a range of prefixes', () => {
    let undef = 0;
    for (let i = 0; i < 2000; i++) {
      const p = `3100${String(i).padStart(4, '0')}`;
      const n = makeOrgno(p);
      if (ref(p) === 10) {
        expect(n).toBeUndefined();
        undef++;
      } else {
        expect(n).toBe(`${p}${ref(p)}`);
        expect(isValidOrgno(n!)).toBe(true);
      }
    }
    expect(undef).toBeGreaterThan(0);
  });

  it('throws for a malformed prefix', () => {
    expect(() => makeOrgno('1234567')).toThrow(RangeError);
    expect(() => makeOrgno('123456789')).toThrow(RangeError);
    expect(() => makeOrgno('1234567x')).toThrow(RangeError);
  });
});
