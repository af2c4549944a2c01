import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { estimateEntropyBits, MIN_SECRET_BITS, weakSecretReason } from '../../src/core/secret-entropy.js';

describe('estimateEntropyBits: length × log2(alphabet of the character classes present)', () => {
  it('one repeated character carries nothing, however long', () => {
    expect(estimateEntropyBits('')).toBe(0);
    expect(estimateEntropyBits('a')).toBe(0);
    expect(estimateEntropyBits('x'.repeat(200))).toBe(0);
  });

  it('sums the classes that occur', () => {
    expect(estimateEntropyBits('abcd')).toBeCloseTo(4 * Math.log2(26));
    expect(estimateEntropyBits('abcD')).toBeCloseTo(4 * Math.log2(52));
    expect(estimateEntropyBits('ab1D')).toBeCloseTo(4 * Math.log2(62));
    expect(estimateEntropyBits('ab1-')).toBeCloseTo(4 * Math.log2(26 + 10 + 33));
    expect(estimateEntropyBits('aB1-')).toBeCloseTo(4 * Math.log2(95));
    expect(estimateEntropyBits('æøåa')).toBeCloseTo(4 * Math.log2(26 + 128));
  });

  it('few distinct characters limit the bits per character', () => {
    expect(estimateEntropyBits('ab'.repeat(40))).toBeCloseTo(80);
    expect(estimateEntropyBits('abc'.repeat(30))).toBeCloseTo(90 * Math.log2(3));
  });
});

describe('weakSecretReason (minimum 128 bits)', () => {
  it('names one repeated character', () => {
    expect(weakSecretReason('a'.repeat(64))).toBe('is one repeated character');
  });

  it('refuses short or low-variety secrets with the estimate', () => {
    expect(MIN_SECRET_BITS).toBe(128);
    expect(weakSecretReason('password')).toMatch(/too little entropy \(about 37 bits estimated, at least 128 needed/);
    expect(weakSecretReason('abcdefghijklmnopqrstuvwxyz')).toMatch(/about 122 bits/); // 26 lowercase letters
    expect(weakSecretReason('ab'.repeat(60))).toMatch(/about 120 bits/);
    expect(weakSecretReason('0123456789'.repeat(3))).toMatch(/about 99 bits/);
  });

  it('accepts generated secrets: 16 random bytes as hex or base64url, 32 as base64', () => {
    for (let i = 0; i < 20; i++) {
      expect(weakSecretReason(randomBytes(16).toString('hex'))).toBeUndefined();
      expect(weakSecretReason(randomBytes(24).toString('base64url'))).toBeUndefined();
      expect(weakSecretReason(randomBytes(32).toString('base64'))).toBeUndefined();
    }
    expect(weakSecretReason('abcdefghijklmnopqrstuvwxyzab')).toBeUndefined(); // 28 × log2(26) ≈ 131.6
  });

  it('a custom minimum', () => {
    expect(weakSecretReason('password', 30)).toBeUndefined();
    expect(weakSecretReason('password', 40)).toMatch(/at least 40/);
  });
});
