import { describe, expect, it } from 'vitest';
import { isValidVerifier, verifyS256 } from '../../../src/oauth/token/pkce.js';

// spec §7.2
const VECTORS: [string, string][] = [
  ['oQEG5SwL-dQlUL2ZkteJV8v0Fxz9z6j4Y1Q_86gEq78', 'YhKJpC67w6qB2KupfDuKocVarvxL8vb9WSmSB6-p-Zc'],
  ['xyo94uhy3zKvgB0NJwLms86SwcjtWviEOpkBnGgaLlo', 'b7elB7ZyxIXgFyvBznKvxl7wOB-H17Pz0a3B62NIMFI'],
];

describe('verifyS256', () => {
  for (const [verifier, challenge] of VECTORS) {
    it(`spec §7.2 vector ${verifier.slice(0, 8)}… matches`, () => {
      expect(isValidVerifier(verifier)).toBe(true);
      expect(verifyS256(verifier, challenge)).toBe(true);
    });
  }

  it('does not cross-match the vectors', () => {
    expect(verifyS256(VECTORS[0]![0], VECTORS[1]![1])).toBe(false);
    expect(verifyS256(VECTORS[1]![0], VECTORS[0]![1])).toBe(false);
  });

  it('refuses a padded, case-changed, truncated or plain challenge', () => {
    const [v, c] = VECTORS[0]!;
    expect(verifyS256(v, `${c}=`)).toBe(false);
    expect(verifyS256(v, c.toLowerCase())).toBe(false);
    expect(verifyS256(v, c.slice(0, -1))).toBe(false);
    expect(verifyS256(v, v)).toBe(false); // method "plain" is not accepted
    expect(verifyS256(v, '')).toBe(false);
  });

  it('refuses the standard-base64 form of the challenge', () => {
    const [v, c] = VECTORS[0]!;
    expect(verifyS256(v, c.replace(/-/g, '+').replace(/_/g, '/'))).toBe(false);
  });

  it('refuses a verifier differing in one character', () => {
    const [v, c] = VECTORS[0]!;
    expect(v.endsWith('8')).toBe(true);
    expect(verifyS256(`${v.slice(0, -1)}9`, c)).toBe(false);
    expect(verifyS256(`P${v.slice(1)}`, c)).toBe(false);
    expect(verifyS256(`${v}a`, c)).toBe(false);
  });
});

describe('isValidVerifier', () => {
  it('accepts 43 to 128 unreserved characters', () => {
    expect(isValidVerifier('a'.repeat(43))).toBe(true);
    expect(isValidVerifier('a'.repeat(128))).toBe(true);
    expect(isValidVerifier('AZaz09-._~'.repeat(5))).toBe(true);
  });

  it('refuses too short and too long verifiers', () => {
    expect(isValidVerifier('')).toBe(false);
    expect(isValidVerifier('a'.repeat(42))).toBe(false);
    expect(isValidVerifier('a'.repeat(129))).toBe(false);
  });

  it('refuses characters outside [A-Za-z0-9-._~]', () => {
    const base = 'a'.repeat(42);
    for (const ch of ['+', '/', '=', ' ', '%', 'æ', 'ø', '\n', '!', '*']) {
      expect(isValidVerifier(base + ch)).toBe(false);
    }
  });

  it('refuses a trailing newline (the pattern is anchored)', () => {
    expect(isValidVerifier(`${VECTORS[0]![0]}\n`)).toBe(false);
  });
});
