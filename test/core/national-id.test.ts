import { describe, it, expect } from 'vitest';
import {
  parseNationalId,
  isValidNationalId,
  makeSyntheticNationalId,
  centuryYear,
} from '../../src/core/national-id.js';

// Independent reference implementation of the two check digits (for building test cases).
const W1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const W2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
function check(digits: number[], weights: number[]): number {
  const s = weights.reduce((acc, w, i) => acc + w * digits[i]!, 0);
  const r = 11 - (s % 11);
  return r === 11 ? 0 : r; // may be 10 (invalid)
}
function k1Of(base9: string): number {
  return check([...base9].map(Number), W1);
}
function withChecks(base9: string): string | undefined {
  const d = [...base9].map(Number);
  const a = check(d, W1);
  if (a === 10) return undefined;
  d.push(a);
  const b = check(d, W2);
  if (b === 10) return undefined;
  return `${base9}${a}${b}`;
}

describe('parseNationalId', () => {
  it('accepts the documented synthetic example 15895010046', () => {
    expect(parseNationalId('15895010046')).toEqual({
      ok: true,
      kind: 'fnr',
      synthetic: true,
      birthDate: '1950-09-15',
    });
  });

  it.each([
    ['01019012480', 'fnr', false, '1990-01-01'],
    ['29020050088', 'fnr', false, '2000-02-29'],
    ['31129949980', 'fnr', false, '1999-12-31'],
    ['01018590014', 'fnr', false, '1985-01-01'],
    ['15058060019', 'fnr', false, '1880-05-15'],
    ['31127560059', 'fnr', false, '1875-12-31'],
    ['01015450068', 'fnr', false, '1854-01-01'],
    ['01014090017', 'fnr', false, '1940-01-01'],
    ['01013999984', 'fnr', false, '2039-01-01'],
    ['01010101006', 'fnr', false, '1901-01-01'],
    ['45019012410', 'dnr', false, '1990-01-05'],
    ['01859012325', 'fnr', true, '1990-05-01'],
  ] as const)('accepts %s (%s, synthetic=%s, %s)', (pid, kind, synthetic, birthDate) => {
    expect(parseNationalId(pid)).toEqual({ ok: true, kind, synthetic, birthDate });
    expect(isValidNationalId(pid)).toBe(true);
  });

  it('accepts a synthetic D-number (day + 40 and month + 80)', () => {
    const pid = makeSyntheticNationalId('1972-03-07', 123, true) ?? makeSyntheticNationalId('1972-03-07', 124, true)!;
    expect(pid.slice(0, 4)).toBe('4783');
    expect(parseNationalId(pid)).toEqual({ ok: true, kind: 'dnr', synthetic: true, birthDate: '1972-03-07' });
  });

  it.each(['', '1589501004', '158950100466', '1589501004a', ' 15895010046', '15895010046 ', '1589-501004', '１５８９５０１００４６'])(
    'rejects %j: must be 11 digits',
    (pid) => {
      expect(parseNationalId(pid)).toEqual({ ok: false, reason: 'must be 11 digits' });
    },
  );

  it('rejects non-strings without throwing', () => {
    expect(parseNationalId(15895010046 as unknown as string)).toEqual({ ok: false, reason: 'must be 11 digits' });
    expect(parseNationalId(undefined as unknown as string)).toEqual({ ok: false, reason: 'must be 11 digits' });
  });

  it('rejects a wrong second check digit', () => {
    expect(parseNationalId('15895010047')).toEqual({ ok: false, reason: 'check digit mismatch' });
  });

  it('rejects a wrong first check digit', () => {
    expect(parseNationalId('15895010056')).toEqual({ ok: false, reason: 'check digit mismatch' });
  });

  it('rejects every single-digit change of a valid number', () => {
    const pid = '15895010046';
    for (let i = 0; i < 11; i++) {
      for (let v = 0; v <= 9; v++) {
        if (String(v) === pid[i]) continue;
        const changed = pid.slice(0, i) + v + pid.slice(i + 1);
        expect(parseNationalId(changed).ok, changed).toBe(false);
      }
    }
  });

  it('treats a computed first check digit of 10 as invalid, whatever digit is given', () => {
    // find a base whose first check digit computes to 10
    let base = '';
    for (let ind = 0; ind < 500; ind++) {
      const b = `010190${String(ind).padStart(3, '0')}`;
      if (k1Of(b) === 10) {
        base = b;
        break;
      }
    }
    expect(base).not.toBe('');
    for (let a = 0; a <= 9; a++) {
      for (let b = 0; b <= 9; b++) {
        expect(parseNationalId(`${base}${a}${b}`)).toEqual({ ok: false, reason: 'check digit mismatch' });
      }
    }
  });

  it('treats a computed second check digit of 10 as invalid', () => {
    let pidPrefix = '';
    for (let ind = 0; ind < 500 && !pidPrefix; ind++) {
      const b = `010190${String(ind).padStart(3, '0')}`;
      const a = k1Of(b);
      if (a === 10) continue;
      const d = [...b].map(Number);
      d.push(a);
      if (check(d, W2) === 10) pidPrefix = `${b}${a}`;
    }
    expect(pidPrefix).not.toBe('');
    for (let k = 0; k <= 9; k++) expect(parseNationalId(`${pidPrefix}${k}`).ok).toBe(false);
  });

  it('accepts check digit 0 when the remainder is 0', () => {
    // find a valid number whose first check digit is 0
    let found: string | undefined;
    for (let ind = 0; ind < 500 && !found; ind++) {
      const b = `150590${String(ind).padStart(3, '0')}`;
      const pid = withChecks(b);
      if (pid && pid[9] === '0') found = pid;
    }
    expect(found).toBeDefined();
    expect(parseNationalId(found!).ok).toBe(true);
  });

  describe('dates', () => {
    it.each([
      ['310490', 'invalid day 31 April'],
      ['290201', 'non-leap-year 29 February'],
      ['290200', 'leap year 2000 (needs individual >= 500)'],
      ['000190', 'day 0'],
      ['320190', 'day 32'],
      ['010090', 'month 0'],
      ['011390', 'month 13'],
      ['014190', 'month 41 (H-number style, not supported)'],
      ['018090', 'synthetic month 80 (= 0)'],
      ['019390', 'synthetic month 93 (= 13)'],
      ['400190', 'D-number day 40 (= 0)'],
      ['720190', 'D-number day 72 (= 32)'],
      ['710290', 'D-number 31 February'],
      ['890190', 'day 89'],
    ])('date part %s (%s)', (ddmmyy, _label) => {
      // find an individual number (in the 1900 range, unless ddmmyy is 290200) that gives valid check digits
      const start = ddmmyy === '290200' ? 500 : 0;
      let pid: string | undefined;
      for (let ind = start; ind < start + 200 && !pid; ind++) pid = withChecks(`${ddmmyy}${String(ind).padStart(3, '0')}`);
      expect(pid).toBeDefined();
      const r = parseNationalId(pid!);
      if (ddmmyy === '290200') {
        expect(r).toEqual({ ok: true, kind: 'fnr', synthetic: false, birthDate: '2000-02-29' });
      } else {
        expect(r).toEqual({ ok: false, reason: 'invalid date' });
      }
    });

    it('29 February 1900 is invalid (1900 is not a leap year)', () => {
      let pid: string | undefined;
      for (let ind = 0; ind < 200 && !pid; ind++) pid = withChecks(`290200${String(ind).padStart(3, '0')}`);
      expect(parseNationalId(pid!)).toEqual({ ok: false, reason: 'invalid date' });
    });

    it('D-number day 71 is the 31st', () => {
      let pid: string | undefined;
      for (let ind = 0; ind < 200 && !pid; ind++) pid = withChecks(`710190${String(ind).padStart(3, '0')}`);
      expect(parseNationalId(pid!)).toMatchObject({ ok: true, kind: 'dnr', birthDate: '1990-01-31' });
    });

    it('synthetic month 92 is December', () => {
      let pid: string | undefined;
      for (let ind = 0; ind < 200 && !pid; ind++) pid = withChecks(`319290${String(ind).padStart(3, '0')}`);
      expect(parseNationalId(pid!)).toMatchObject({ ok: true, synthetic: true, birthDate: '1990-12-31' });
    });
  });

  describe('individual number ranges', () => {
    it.each([
      ['60', 750, 'no range for 750-899 with yy >= 40'],
      ['99', 899, 'no range for 750-899 with yy >= 40'],
      ['53', 500, '500-749 with yy 40-53'],
      ['40', 749, '500-749 with yy 40-53'],
    ])('yy %s individual %i is rejected (%s)', (yy, ind) => {
      let pid: string | undefined;
      for (let i = ind; i < ind + 10 && !pid; i++) {
        const cand = withChecks(`0101${yy}${String(i).padStart(3, '0')}`);
        if (cand && centuryYear(Number(yy), Number(cand.slice(6, 9))) === undefined) pid = cand;
      }
      expect(pid).toBeDefined();
      expect(parseNationalId(pid!)).toEqual({ ok: false, reason: 'individual number not valid for the birth year' });
    });
  });
});

describe('centuryYear', () => {
  it.each([
    [0, 0, 1900],
    [99, 499, 1999],
    [54, 500, 1854],
    [99, 749, 1899],
    [53, 500, undefined],
    [0, 500, 2000],
    [39, 999, 2039],
    [40, 500, undefined],
    [40, 899, undefined],
    [40, 900, 1940],
    [99, 999, 1999],
    [39, 750, 2039],
    [60, 800, undefined],
  ])('yy %i individual %i → %s', (yy, ind, year) => {
    expect(centuryYear(yy, ind)).toBe(year);
  });
});

describe('makeSyntheticNationalId', () => {
  it('reproduces the documented example', () => {
    expect(makeSyntheticNationalId('1950-09-15', 100)).toBe('15895010046');
  });

  it('returns undefined when the check digit would be 10', () => {
    let sawUndefined = false;
    for (let ind = 0; ind < 100; ind++) {
      const pid = makeSyntheticNationalId('1990-01-01', ind);
      const base = `018190${String(ind).padStart(3, '0')}`;
      expect(pid).toBe(withChecks(base));
      if (pid === undefined) sawUndefined = true;
    }
    expect(sawUndefined).toBe(true);
  });

  it('every generated number parses back to the same date, synthetic, right kind', () => {
    const dates = ['1854-01-01', '1899-12-31', '1900-02-28', '1940-06-30', '1972-03-07', '1999-12-31', '2000-02-29', '2024-07-15', '2039-12-31'];
    for (const date of dates) {
      const year = Number(date.slice(0, 4));
      let count = 0;
      for (let ind = 0; ind <= 999; ind++) {
        if (centuryYear(year % 100, ind) !== year) continue;
        for (const dnr of [false, true]) {
          const pid = makeSyntheticNationalId(date, ind, dnr);
          if (pid === undefined) continue;
          count++;
          expect(parseNationalId(pid), pid).toEqual({ ok: true, kind: dnr ? 'dnr' : 'fnr', synthetic: true, birthDate: date });
        }
      }
      expect(count).toBeGreaterThan(50);
    }
  });

  it('throws for a malformed or impossible birth date', () => {
    expect(() => makeSyntheticNationalId('1990-1-1', 100)).toThrow(RangeError);
    expect(() => makeSyntheticNationalId('19900101', 100)).toThrow(RangeError);
    expect(() => makeSyntheticNationalId('1990-02-30', 100)).toThrow(RangeError);
    expect(() => makeSyntheticNationalId('1990-13-01', 100)).toThrow(RangeError);
  });

  it('throws for an individual number out of range or not allocated for the year', () => {
    expect(() => makeSyntheticNationalId('1990-01-01', -1)).toThrow(RangeError);
    expect(() => makeSyntheticNationalId('1990-01-01', 1000)).toThrow(RangeError);
    expect(() => makeSyntheticNationalId('1990-01-01', 1.5)).toThrow(RangeError);
    expect(() => makeSyntheticNationalId('1990-01-01', 500)).toThrow(/not allocated/);
    expect(() => makeSyntheticNationalId('2005-01-01', 100)).toThrow(/not allocated/);
    expect(() => makeSyntheticNationalId('1850-01-01', 600)).toThrow(/not allocated/);
  });
});
