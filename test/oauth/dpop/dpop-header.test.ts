import { describe, expect, it } from 'vitest';
import { singleDpopHeader } from '../../../src/oauth/dpop/dpop-header.js';
import { DpopProofError } from '../../../src/oauth/dpop/dpop-proof.js';
import { sameHtu } from '../../../src/oauth/dpop/htu.js';

describe('singleDpopHeader (RFC 9449 §4.3 item 1)', () => {
  it('returns the one DPoP header, whatever its name case', () => {
    expect(singleDpopHeader(['Host', 'x', 'DPoP', 'a.b.c'])).toBe('a.b.c');
    expect(singleDpopHeader(['dpop', ' a.b.c '])).toBe('a.b.c');
  });
  it('is undefined without one', () => {
    expect(singleDpopHeader(['Authorization', 'Bearer x'])).toBeUndefined();
  });
  it('refuses two DPoP headers, or two proofs in one', () => {
    expect(() => singleDpopHeader(['DPoP', 'a.b.c', 'dpop', 'd.e.f'])).toThrow(DpopProofError);
    expect(() => singleDpopHeader(['DPoP', 'a.b.c, d.e.f'])).toThrow(DpopProofError);
    expect(() => singleDpopHeader(['DPoP', 'a.b.c d.e.f'])).toThrow(DpopProofError);
  });
});

describe('sameHtu (RFC 9449 §4.3 item 9)', () => {
  it('ignores query and fragment and normalises case and default ports', () => {
    expect(sameHtu('https://AP.example.test/token?x=1#y', 'https://ap.example.test/token')).toBe(true);
    expect(sameHtu('https://ap.example.test:443/token', 'https://ap.example.test/token')).toBe(true);
  });
  it('differs on path, scheme, host, port; refuses non-http URLs and garbage', () => {
    expect(sameHtu('https://ap.example.test/token/', 'https://ap.example.test/token')).toBe(false);
    expect(sameHtu('http://ap.example.test/token', 'https://ap.example.test/token')).toBe(false);
    expect(sameHtu('https://ap.example.test:444/token', 'https://ap.example.test/token')).toBe(false);
    expect(sameHtu('javascript:alert(1)', 'https://ap.example.test/token')).toBe(false);
    expect(sameHtu('', 'https://ap.example.test/token')).toBe(false);
  });
});
