import { describe, expect, it } from 'vitest';
import { CLIENT_DEFAULTS, type Client } from '../../../src/clients/client-types.js';
import { OAuthError } from '../../../src/core/oauth-error.js';
import { Params } from '../../../src/core/params.js';
import type { Acr, Check, PipelineContext, PipelineDeps } from '../../../src/oauth/authorize/authorization-request.js';

function makeClient(over: Partial<Client> = {}): Client {
  return {
    ...CLIENT_DEFAULTS, grant_types: ['authorization_code'], scopes: ['openid', 'profile'],
    client_id: 'client-a', client_name: 'Client A', description: 'test', client_orgno: '310900001',
    redirect_uris: ['https://a.example.test/callback'], post_logout_redirect_uris: [],
    active: true, created: '2025-01-01T00:00:00.000Z', last_updated: '2025-01-01T00:00:00.000Z', ...over,
  };
}

const DEPS: PipelineDeps = {
  getClient: async () => undefined,
  requireStateAndNonce: true,
  supportedAcr: new Set<Acr>(['substantial', 'high', 'entraid']),
};

/** A context as the checks after client and redirect_uri see it. */
function ctx(q: string | Record<string, string | undefined>, over: Partial<PipelineContext> = {}): PipelineContext {
  const sp = typeof q === 'string'
    ? new URLSearchParams(q)
    : new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined));
  return {
    params: Params.fromSearchParams(sp), deps: DEPS, mode: 'authorize', client: makeClient(),
    redirectUri: 'https://a.example.test/callback', responseMode: 'query', req: {}, ...over,
  };
}

async function errorOf(check: Check, c: PipelineContext): Promise<OAuthError> {
  try {
    await check(c);
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    return e as OAuthError;
  }
  throw new Error('expected the check to fail');
}
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
