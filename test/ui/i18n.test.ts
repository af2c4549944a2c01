import { describe, expect, it } from 'vitest';
import { LANGUAGE_NAMES, LOCALES, MESSAGES, pickLocale, t, type MessageKey } from '../../src/ui/index.js';

const placeholders = (s: string) => [...s.matchAll(/\{([a-zA-Z0-9_]+)\}/g)].map((m) => m[1]).sort();

describe('i18n dictionary', () => {
  it('has the four locales', () => {
    expect([...LOCALES]).toEqual(['nb', 'nn', 'en', 'se']);
    for (const l of LOCALES) expect(LANGUAGE_NAMES[l].length).toBeGreaterThan(0);
  });

  const keys = Object.keys(MESSAGES) as MessageKey[];
  it('has a reasonable number of keys', () => {
    expect(keys.length).toBeGreaterThan(50);
  });

  for (const key of keys) {
    it(`"${key}" exists in every locale with the same placeholders`, () => {
      const entry = MESSAGES[key] as Record<string, string>;
      expect(Object.keys(entry).sort()).toEqual([...LOCALES].sort());
      const ref = placeholders(entry.nb ?? '');
      for (const l of LOCALES) {
        const text = entry[l];
        expect(typeof text).toBe('string');
        expect((text ?? '').trim().length, `${key}.${l}`).toBeGreaterThan(0);
        expect(text, `${key}.${l} has no stray whitespace`).toBe((text ?? '').trim());
        expect(placeholders(text ?? ''), `${key}.${l} placeholders`).toEqual(ref);
      }
    });
  }

  it('Nynorsk and English differ from Bokmål where they should', () => {
    expect(t('nn', 'org.title')).not.toBe(t('nb', 'org.title'));
    expect(t('en', 'org.title')).not.toBe(t('nb', 'org.title'));
    expect(t('se', 'org.title')).not.toBe(t('nb', 'org.title'));
  });
});

describe('t()', () => {
  it('fills placeholders and leaves unknown ones', () => {
    expect(t('en', 'common.loginTo', { client: 'Demo' })).toBe('Log in to Demo');
    expect(t('en', 'common.loginTo')).toBe('Log in to {client}');
    expect(t('nb', 'org.count', { shown: 3, total: 300 })).toBe('Viser 3 av 300 virksomheter');
  });
  it('does not interpret $ patterns in values', () => {
    expect(t('en', 'common.loginTo', { client: "$& $'" })).toBe("Log in to $& $'");
  });
});

describe('pickLocale', () => {
  it('returns the first supported candidate', () => {
    expect(pickLocale([undefined, 'en', 'nn'])).toBe('en');
    expect(pickLocale(['de', 'se'])).toBe('se');
    expect(pickLocale(['fr de', 'nn en'])).toBe('nn');
    expect(pickLocale(['nn-NO,nn;q=0.9,en;q=0.8'])).toBe('nn');
    expect(pickLocale(['nb-NO'])).toBe('nb');
    expect(pickLocale(['EN'])).toBe('en');
    expect(pickLocale(['no'])).toBe('nb');
    expect(pickLocale(['sme'])).toBe('se');
  });
  it('defaults to nb', () => {
    expect(pickLocale([])).toBe('nb');
    expect(pickLocale([undefined, '', 'de', 'sv'])).toBe('nb');
  });
});
