/**
 * Norwegian organisation numbers (Enhetsregisteret): 9 digits, the last a mod-11 check digit
 * over the first 8 with weights 3,2,7,6,5,4,3,2 (remainder 0 → 0; computed 10 → no valid number).
 */

const WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const;

function checkDigit(prefix8: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(prefix8[i]) * WEIGHTS[i]!;
  const r = 11 - (sum % 11);
  if (r === 11) return 0;
  if (r === 10) return undefined;
  return r;
}

export function isValidOrgno(s: string): boolean {
  if (typeof s !== 'string' || !/^[0-9]{9}$/.test(s)) return false;
  const c = checkDigit(s.slice(0, 8));
  return c !== undefined && c === Number(s[8]);
}

/**
 * The organisation number with prefix `prefix8` (8 digits) and its check digit, or undefined
 * when no check digit is possible for this prefix. Throws a RangeError for a malformed prefix.
 */
export function makeOrgno(prefix8: string): string | undefined {
  if (typeof prefix8 !== 'string' || !/^[0-9]{8}$/.test(prefix8)) {
    throw new RangeError(`orgno prefix must be 8 digits, got "${String(prefix8)}"`);
  }
  const c = checkDigit(prefix8);
  return c === undefined ? undefined : `${prefix8}${c}`;
}
