import { describe, expect, it } from 'vitest';
import { requestIdOf } from '../../src/observability/request-id.js';
import { bearerMatches } from '../../src/observability/metrics-endpoint.js';

const of = (v: string | string[] | undefined) => requestIdOf({ headers: v === undefined ? {} : { 'x-request-id': v } });

describe('requestIdOf: a proxy X-Request-Id only when it is a short plain token', () => {
  it('keeps 1-64 characters of A-Za-z0-9._-', () => {
    expect(of('abc-123_X.y')).toBe('abc-123_X.y');
    expect(of('a'.repeat(64))).toBe('a'.repeat(64));
  });

  it('replaces anything else with a fresh id', () => {
    for (const bad of ['a'.repeat(65), '', 'a b', '{"level":60}', 'id\u2028x', 'x;y', 'Bearer abc', ['a', 'b']]) {
      const id = of(bad);
      expect(id, JSON.stringify(bad)).not.toBe(bad);
      expect(id).toMatch(/^[A-Za-z0-9_-]{12,}$/);
    }
    expect(of(undefined)).toMatch(/^[A-Za-z0-9_-]{12,}$/);
    expect(of(undefined)).not.toBe(of(undefined));
  });
});

describe('bearerMatches', () => {
  const T = 'Zx8-Qw3_Er5.Ty7~Ui9Op2As4Df6Gh1Jk0';
  it('accepts exactly "Bearer <token>" (scheme case-insensitive)', () => {
    expect(bearerMatches(`Bearer ${T}`, T)).toBe(true);
    expect(bearerMatches(`bearer ${T}`, T)).toBe(true);
  });
  it('refuses a missing, other-scheme, prefixed, extended or empty credential', () => {
    for (const h of [undefined, '', 'Bearer', 'Bearer ', `Basic ${T}`, `Bearer ${T}x`, `Bearer ${T.slice(0, -1)}`, `Bearer ${T} ${T}`, T]) {
      expect(bearerMatches(h, T), String(h)).toBe(false);
    }
  });
});
