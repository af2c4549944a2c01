/**
 * Norwegian national identity numbers (spec §17): fødselsnummer (fnr) and D-number (dnr).
 *
 * Layout: DDMMYY III K1 K2
 *  - DD: day of birth; D-numbers add 40 to the day (41–71).
 *  - MM: month of birth; synthetic test numbers (Skatteetaten's Tenor / TestID) add 80 (81–92).
 *    A synthetic D-number has both offsets.
 *  - YY + III: the individual number III (000–999) gives the century.
 *  - K1, K2: mod-11 check digits.
 */

type NationalIdResult =
  | { ok: true; kind: 'fnr' | 'dnr'; synthetic: boolean; birthDate: string /* YYYY-MM-DD */ }
  | { ok: false; reason: string };

const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/** Mod-11 check digit over `digits` with `weights`; undefined when the computed value is 10 (no valid digit). */
function mod11(digits: readonly number[], weights: readonly number[]): number | undefined {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (digits[i] ?? 0) * (weights[i] ?? 0);
  const r = 11 - (sum % 11);
  if (r === 11) return 0;
  if (r === 10) return undefined;
  return r;
}

/**
 * The full birth year for a two-digit year and an individual number, or undefined when the
 * individual number is not allocated for that year (Folkeregisteret's ranges).
 */
export function centuryYear(yy: number, individual: number): number | undefined {
  if (individual >= 0 && individual <= 499) return 1900 + yy;
  if (individual >= 500 && individual <= 749 && yy >= 54) return 1800 + yy;
  if (individual >= 500 && individual <= 999 && yy <= 39) return 2000 + yy;
  if (individual >= 900 && individual <= 999 && yy >= 40) return 1900 + yy;
  return undefined;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

export function parseNationalId(pid: string): NationalIdResult {
  if (typeof pid !== 'string' || !/^[0-9]{11}$/.test(pid)) return { ok: false, reason: 'must be 11 digits' };
  const d = [...pid].map(Number);

  const k1 = mod11(d, K1_WEIGHTS);
  if (k1 === undefined || k1 !== d[9]) return { ok: false, reason: 'check digit mismatch' };
  const k2 = mod11(d, K2_WEIGHTS);
  if (k2 === undefined || k2 !== d[10]) return { ok: false, reason: 'check digit mismatch' };

  let day = Number(pid.slice(0, 2));
  let month = Number(pid.slice(2, 4));
  const yy = Number(pid.slice(4, 6));
  const individual = Number(pid.slice(6, 9));

  let kind: 'fnr' | 'dnr' = 'fnr';
  if (day >= 41 && day <= 71) {
    kind = 'dnr';
    day -= 40;
  }
  let synthetic = false;
  if (month >= 81 && month <= 92) {
    synthetic = true;
    month -= 80;
  }

  const year = centuryYear(yy, individual);
  if (year === undefined) return { ok: false, reason: 'individual number not valid for the birth year' };
  if (!isRealDate(year, month, day)) return { ok: false, reason: 'invalid date' };

  return { ok: true, kind, synthetic, birthDate: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` };
}

/** True when `pid` is a valid fnr or D-number (real or synthetic). */
export function isValidNationalId(pid: string): boolean {
  return parseNationalId(pid).ok;
}

/**
 * Build a synthetic (month + 80) national identity number for `birthDate` (YYYY-MM-DD) and
 * `individual` (0–999), optionally as a D-number (day + 40).
 *
 * Returns undefined when this individual number gives no valid check digit (computed 10), so
 * callers can simply try the next individual number. Throws a RangeError for a malformed or
 * impossible birth date, or an individual number outside the range allocated for the birth year.
 */
export function makeSyntheticNationalId(birthDate: string, individual: number, dnumber = false): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) throw new RangeError(`birthDate must be YYYY-MM-DD, got "${birthDate}"`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (!isRealDate(year, month, day)) throw new RangeError(`birthDate is not a real date: "${birthDate}"`);
  if (!Number.isInteger(individual) || individual < 0 || individual > 999) {
    throw new RangeError(`individual number must be an integer 0–999, got ${individual}`);
  }
  const yy = year % 100;
  if (centuryYear(yy, individual) !== year) {
    throw new RangeError(`individual number ${individual} is not allocated for birth year ${year}`);
  }
  const base = `${pad(day + (dnumber ? 40 : 0), 2)}${pad(month + 80, 2)}${pad(yy, 2)}${pad(individual, 3)}`;
  const digits = [...base].map(Number);
  const k1 = mod11(digits, K1_WEIGHTS);
  if (k1 === undefined) return undefined;
  digits.push(k1);
  const k2 = mod11(digits, K2_WEIGHTS);
  if (k2 === undefined) return undefined;
  return `${base}${k1}${k2}`;
}
