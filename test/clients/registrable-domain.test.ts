import { describe, expect, it } from 'vitest';
import { registrableDomain } from '../../src/clients/validation/registrable-domain.js';

describe('registrableDomain (eTLD+1 by the Public Suffix List)', () => {
  it.each([
    ['fag.example.no', 'example.no'],
    ['example.no', 'example.no'],
    ['a.b.c.example.com', 'example.com'],
    ['app.oslo.kommune.no', 'oslo.kommune.no'],
    ['www.example.co.uk', 'example.co.uk'],
    ['alice.github.io', 'alice.github.io'], // private section: github.io is a suffix
    ['a.example.test', 'example.test'], // unknown TLDs count as one label
  ])('%s → %s', (host, site) => {
    expect(registrableDomain(host)).toBe(site);
  });

  it.each(['127.0.0.1', '[::1]', '10.1.2.3', '[2001:db8::1]', 'localhost', 'kommune.no', 'co.uk', 'no'])(
    '%s has no registrable domain and stands for itself', (host) => {
      expect(registrableDomain(host)).toBe(host);
    });
});
