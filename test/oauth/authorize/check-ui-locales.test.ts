import { describe, expect, it } from 'vitest';
import { ctx } from './check-test-helpers.js';

import { checkUiLocales } from '../../../src/oauth/authorize/check-ui-locales.js';

async function locales(raw: string | undefined): Promise<string[] | undefined> {
  const c = ctx(raw === undefined ? {} : { ui_locales: raw });
  await checkUiLocales(c);
  return c.req.uiLocales;
}

describe('checkUiLocales', () => {
  it('is empty when absent or empty', async () => {
    expect(await locales(undefined)).toEqual([]);
    expect(await locales('')).toEqual([]);
  });

  it('keeps the supported languages in preference order', async () => {
    expect(await locales('nb')).toEqual(['nb']);
    expect(await locales('en nb')).toEqual(['en', 'nb']);
    expect(await locales('se nn')).toEqual(['se', 'nn']);
  });

  it('reduces region tags and case to the language', async () => {
    expect(await locales('nb-NO')).toEqual(['nb']);
    expect(await locales('EN-GB nn-no')).toEqual(['en', 'nn']);
  });

  it('treats the macro language "no" as Bokmål', async () => {
    expect(await locales('no')).toEqual(['nb']);
    expect(await locales('no-NO en')).toEqual(['nb', 'en']);
  });

  it('ignores unsupported tags instead of failing', async () => {
    expect(await locales('de fr')).toEqual([]);
    expect(await locales('de  en sv')).toEqual(['en']);
    expect(await locales('<script>')).toEqual([]);
  });
});
