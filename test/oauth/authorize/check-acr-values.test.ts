import { describe, expect, it } from 'vitest';
import type { Acr, PipelineDeps } from '../../../src/oauth/authorize/authorization-request.js';
import { DEPS, ctx, errorOf } from './check-test-helpers.js';

import { checkAcrValues, parseAcrValues } from '../../../src/oauth/authorize/check-acr-values.js';

const only = (...acr: Acr[]): PipelineDeps => ({ ...DEPS, supportedAcr: new Set(acr) });

describe('parseAcrValues', () => {
  it('defaults to substantial when absent or empty', () => {
    expect(parseAcrValues(undefined)).toEqual(['substantial']);
    expect(parseAcrValues('')).toEqual(['substantial']);
  });

  it('keeps request order and removes duplicates', () => {
    expect(parseAcrValues('high substantial')).toEqual(['high', 'substantial']);
    expect(parseAcrValues('entraid substantial entraid')).toEqual(['entraid', 'substantial']);
  });

  it('maps the legacy idporten-loa-* spellings to the short form', () => {
    expect(parseAcrValues('idporten-loa-substantial')).toEqual(['substantial']);
    expect(parseAcrValues('idporten-loa-high')).toEqual(['high']);
    expect(parseAcrValues('idporten-loa-high high')).toEqual(['high']);
  });

  it('drops unknown values (low, level4, wrong case) and empty items', () => {
    expect(parseAcrValues('low')).toEqual([]);
    expect(parseAcrValues('Level4 HIGH  high')).toEqual(['high']);
    expect(parseAcrValues('  substantial  ')).toEqual(['substantial']);
  });
});

describe('checkAcrValues', () => {
  it('defaults to substantial', async () => {
    const c = ctx({});
    await checkAcrValues(c);
    expect(c.req.acrValues).toEqual(['substantial']);
  });

  it('treats an empty acr_values as absent (RFC 6749 §3.1)', async () => {
    const c = ctx('acr_values=');
    await checkAcrValues(c);
    expect(c.req.acrValues).toEqual(['substantial']);
  });

  it('accepts high, entraid and combinations', async () => {
    for (const [raw, want] of [
      ['high', ['high']],
      ['entraid', ['entraid']],
      ['entraid substantial', ['entraid', 'substantial']],
      ['idporten-loa-high', ['high']],
    ] as const) {
      const c = ctx({ acr_values: raw });
      await checkAcrValues(c);
      expect(c.req.acrValues).toEqual(want);
    }
  });

  it('refuses acr_values with no known value', async () => {
    for (const raw of ['low', 'Level3', 'HIGH', ' ']) {
      const c = ctx({ acr_values: raw });
      const e = await errorOf(checkAcrValues, c);
      expect(e.error).toBe('invalid_request');
      expect(e.delivery).toBe('redirect');
      expect(c.req.acrValues).toBeUndefined();
    }
  });

  it('keeps only the values an available eID can satisfy', async () => {
    const c = ctx({ acr_values: 'entraid substantial' }, { deps: only('substantial', 'high') });
    await checkAcrValues(c);
    expect(c.req.acrValues).toEqual(['substantial']);
  });

  it('refuses when no requested value is supported by the deployment', async () => {
    expect((await errorOf(checkAcrValues, ctx({ acr_values: 'entraid' }, { deps: only('substantial', 'high') }))).error).toBe('invalid_request');
    expect((await errorOf(checkAcrValues, ctx({}, { deps: only('entraid') }))).error).toBe('invalid_request');
  });
});
