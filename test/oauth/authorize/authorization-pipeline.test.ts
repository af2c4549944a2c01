import { describe, expect, it, vi } from 'vitest';
import { CLIENT_DEFAULTS, type Client } from '../../../src/clients/client-types.js';
import { Params } from '../../../src/core/params.js';
import type { Acr, PipelineDeps } from '../../../src/oauth/authorize/authorization-request.js';
import { AUTHORIZATION_CHECKS, runAuthorizationPipeline, type PipelineFailure } from '../../../src/oauth/authorize/authorization-pipeline.js';
import { checkClient } from '../../../src/oauth/authorize/check-client.js';
import { checkRedirectUri } from '../../../src/oauth/authorize/check-redirect-uri.js';
import { checkResponseMode } from '../../../src/oauth/authorize/check-response-mode.js';
import { checkRepeatedParameters } from '../../../src/oauth/authorize/check-repeated-parameters.js';
import { checkRequestObject } from '../../../src/oauth/authorize/check-request-object.js';
import { checkResponseType } from '../../../src/oauth/authorize/check-response-type.js';
import { checkScope } from '../../../src/oauth/authorize/check-scope.js';
import { checkPkce } from '../../../src/oauth/authorize/check-pkce.js';
import { checkStateAndNonce } from '../../../src/oauth/authorize/check-state-nonce.js';
import { checkAcrValues } from '../../../src/oauth/authorize/check-acr-values.js';
import { checkPrompt } from '../../../src/oauth/authorize/check-prompt.js';
import { checkUiLocales } from '../../../src/oauth/authorize/check-ui-locales.js';
import { checkResource } from '../../../src/oauth/authorize/check-resource.js';
import { checkAuthorizationDetails } from '../../../src/oauth/authorize/check-authorization-details.js';

function makeClient(over: Partial<Client> = {}): Client {
  return {
    ...CLIENT_DEFAULTS, grant_types: ['authorization_code'], scopes: ['openid', 'profile'],
    client_id: 'client-a', client_name: 'Client A', description: 'test', client_orgno: '310900001',
    redirect_uris: ['https://a.example.test/callback'], post_logout_redirect_uris: [],
    active: true, created: '2025-01-01T00:00:00.000Z', last_updated: '2025-01-01T00:00:00.000Z', ...over,
  };
}

const A = makeClient();
const B = makeClient({ client_id: 'client-b', redirect_uris: ['https://b.example.test/callback'] });
const OFF = makeClient({ client_id: 'client-off', redirect_uris: ['https://off.example.test/callback'], active: false });
const CB = 'https://a.example.test/callback';
const CHALLENGE = 'YhKJpC67w6qB2KupfDuKocVarvxL8vb9WSmSB6-p-Zc';

function deps(over: Partial<PipelineDeps> = {}): PipelineDeps {
  return {
    getClient: async (id) => [A, B, OFF].find((c) => c.client_id === id),
    requireStateAndNonce: true,
    supportedAcr: new Set<Acr>(['substantial', 'high', 'entraid']),
    ...over,
  };
}

/** A complete, valid request; `over` replaces (or with undefined removes) parameters. */
function query(over: Record<string, string | undefined> = {}): Record<string, string> {
  const q: Record<string, string | undefined> = {
    client_id: 'client-a', redirect_uri: CB, response_type: 'code', scope: 'openid profile',
    state: 'st-123', nonce: 'n-456', code_challenge: CHALLENGE, code_challenge_method: 'S256', ...over,
  };
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

const P = (q: Record<string, string> | string) => Params.fromSearchParams(new URLSearchParams(q));

async function fail(q: Record<string, string> | string, opts: { mode?: 'authorize' | 'par'; client?: Client; deps?: PipelineDeps } = {}): Promise<PipelineFailure> {
  const r = await runAuthorizationPipeline(P(q), opts.deps ?? deps(), opts.mode ?? 'authorize', opts.client);
  if (r.ok) throw new Error(`expected a failure for ${JSON.stringify(q)}`);
  return r.failure;
}

function expectPage(f: PipelineFailure, error: string) {
  expect(f.error.error).toBe(error);
  expect(f.error.delivery).toBe('page');
  expect(f.redirectUri).toBeUndefined();
  expect(f.state).toBeUndefined();
  expect('redirectUri' in f).toBe(false);
}

/** `state: null` means the failure must carry no state. */
function expectRedirect(f: PipelineFailure, error: string, state: string | null = 'st-123') {
  expect(f.error.error).toBe(error);
  expect(f.error.delivery).toBe('redirect');
  expect(f.redirectUri).toBe(CB);
  if (state === null) expect('state' in f).toBe(false);
  else expect(f.state).toBe(state);
}

describe('runAuthorizationPipeline: the check order', () => {
  it('runs exactly the checks of spec §5.2 in order', () => {
    expect(AUTHORIZATION_CHECKS).toEqual([
      checkClient, checkRedirectUri, checkResponseMode, checkRepeatedParameters, checkRequestObject, checkResponseType,
      checkScope, checkPkce, checkStateAndNonce, checkAcrValues, checkPrompt, checkUiLocales, checkResource, checkAuthorizationDetails,
    ]);
  });
});

describe('runAuthorizationPipeline: success', () => {
  it('returns the validated request with every field filled in', async () => {
    const rar = JSON.stringify([{ type: 'ansattporten:orgno' }]);
    const r = await runAuthorizationPipeline(
      P(query({ response_mode: 'form_post', acr_values: 'idporten-loa-high substantial', prompt: 'login', max_age: '600', ui_locales: 'en-GB nb', resource: 'https://api.example.no/', authorization_details: rar, unknown_param: 'ignored' })),
      deps(), 'authorize',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.request).toEqual({
      clientId: 'client-a',
      clientName: 'Client A',
      redirectUri: CB,
      responseMode: 'form_post',
      scope: ['openid', 'profile'],
      state: 'st-123',
      nonce: 'n-456',
      codeChallenge: CHALLENGE,
      acrValues: ['high', 'substantial'],
      prompt: { none: false, login: true },
      maxAge: 600,
      uiLocales: ['en', 'nb'],
      resource: 'https://api.example.no/',
      authorizationDetails: { type: 'ansattporten:orgno', items: [], representationRequired: false, allowMultiple: false },
    });
  });

  it('fills in defaults for a minimal request', async () => {
    const r = await runAuthorizationPipeline(P(query({ scope: 'openid' })), deps(), 'authorize');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.request.responseMode).toBe('query');
    expect(r.request.acrValues).toEqual(['substantial']);
    expect(r.request.prompt).toEqual({ none: false, login: false });
    expect(r.request.uiLocales).toEqual([]);
    expect(r.request.maxAge).toBeUndefined();
    expect(r.request.resource).toBeUndefined();
    expect(r.request.authorizationDetails).toBeUndefined();
  });

  it('lets state and nonce be omitted when the policy does not require them', async () => {
    const r = await runAuthorizationPipeline(P(query({ state: undefined, nonce: undefined })), deps({ requireStateAndNonce: false }), 'authorize');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.request.state).toBeUndefined();
  });

  it('resolves the client only once, by the requested client_id', async () => {
    const getClient = vi.fn(deps().getClient);
    await runAuthorizationPipeline(P(query()), deps({ getClient }), 'authorize');
    expect(getClient).toHaveBeenCalledTimes(1);
    expect(getClient).toHaveBeenCalledWith('client-a');
  });
});

describe('runAuthorizationPipeline: errors before the redirect URI is trusted → error page', () => {
  it('unknown client', async () => {
    expectPage(await fail(query({ client_id: 'nobody' })), 'invalid_client');
  });

  it('deactivated client', async () => {
    expectPage(await fail(query({ client_id: 'client-off', redirect_uri: 'https://off.example.test/callback' })), 'invalid_client');
  });

  it('missing client_id', async () => {
    expectPage(await fail(query({ client_id: undefined })), 'invalid_request');
  });

  it('repeated client_id', async () => {
    expectPage(await fail(`client_id=client-a&client_id=client-a&redirect_uri=${encodeURIComponent(CB)}&state=s`), 'invalid_request');
  });

  it('unregistered redirect_uri', async () => {
    expectPage(await fail(query({ redirect_uri: 'https://evil.example/callback' })), 'invalid_request');
    expectPage(await fail(query({ redirect_uri: `${CB}/` })), 'invalid_request');
  });

  it("another client's redirect_uri", async () => {
    expectPage(await fail(query({ redirect_uri: 'https://b.example.test/callback' })), 'invalid_request');
  });

  it('missing or empty redirect_uri', async () => {
    expectPage(await fail(query({ redirect_uri: undefined })), 'invalid_request');
    expectPage(await fail(query({ redirect_uri: '' })), 'invalid_request');
  });

  it('repeated redirect_uri', async () => {
    const qs = new URLSearchParams(query());
    qs.append('redirect_uri', CB);
    expectPage(await fail(qs.toString()), 'invalid_request');
  });

  it('a page error is never turned into a redirect, even when everything else is also wrong', async () => {
    const f = await fail(query({ redirect_uri: 'https://evil.example/', response_type: 'token', scope: 'x', code_challenge: undefined }));
    expectPage(f, 'invalid_request');
  });
});

describe('runAuthorizationPipeline: later problems → redirect back with state', () => {
  const cases: [string, Record<string, string | undefined>, string][] = [
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['missing response_type', { response_type: undefined }, 'invalid_request'],
    ['unsupported response_mode', { response_mode: 'fragment' }, 'invalid_request'],
    ['a request object', { request: 'eyJ.eyJ.sig' }, 'request_not_supported'],
    ['scope without openid', { scope: 'profile' }, 'invalid_scope'],
    ['unregistered scope', { scope: 'openid admin' }, 'invalid_scope'],
    ['missing scope', { scope: undefined }, 'invalid_request'],
    ['missing code_challenge', { code_challenge: undefined }, 'invalid_request'],
    ['plain PKCE', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['missing nonce', { nonce: undefined }, 'invalid_request'],
    ['unsupported acr_values', { acr_values: 'low' }, 'invalid_request'],
    ['bad prompt', { prompt: 'none login' }, 'invalid_request'],
    ['bad max_age', { max_age: '-5' }, 'invalid_request'],
    ['relative resource', { resource: '/api' }, 'invalid_target'],
    ['malformed authorization_details', { authorization_details: '{' }, 'invalid_authorization_details'],
    ['unknown RAR type', { authorization_details: '[{"type":"x"}]' }, 'invalid_authorization_details'],
    ['too long parameter', { login_hint: 'x'.repeat(5000) }, 'invalid_request'],
  ];
  for (const [what, over, error] of cases) {
    it(`${what} → ${error}`, async () => {
      expectRedirect(await fail(query(over)), error);
    });
  }

  it('a repeated parameter → invalid_request, redirected', async () => {
    expectRedirect(await fail(`${new URLSearchParams(query()).toString()}&scope=openid`), 'invalid_request');
  });

  it('missing state (policy on) → redirect without state', async () => {
    expectRedirect(await fail(query({ state: undefined })), 'invalid_request', null);
  });

  it('a repeated state is not echoed back', async () => {
    const f = await fail(`${new URLSearchParams(query()).toString()}&state=other`);
    expectRedirect(f, 'invalid_request', null);
  });

  it('returns the state exactly as sent', async () => {
    const state = 'a b+c&d=é/%';
    expectRedirect(await fail(query({ state, response_type: 'token' })), 'unsupported_response_type', state);
  });

  it('an error with policy off and no state has no state in the failure', async () => {
    const f = await fail(query({ state: undefined, response_type: 'token' }), { deps: deps({ requireStateAndNonce: false }) });
    expectRedirect(f, 'unsupported_response_type', null);
  });

  it('uses form_post for the error when form_post was requested', async () => {
    const f = await fail(query({ response_mode: 'form_post', scope: 'profile' }));
    expectRedirect(f, 'invalid_scope');
    expect(f.responseMode).toBe('form_post');
  });

  it('falls back to query when the response_mode itself is bad', async () => {
    const f = await fail(query({ response_mode: 'fragment.jwt' }));
    expect(f.responseMode).toBe('query');
  });

  for (const [value, mode] of [['query.jwt', 'query.jwt'], ['form_post.jwt', 'form_post.jwt'], ['jwt', 'query.jwt']] as const) {
    it(`uses the JARM mode for the error when response_mode=${value} was requested (JARM §2.3)`, async () => {
      const f = await fail(query({ response_mode: value, scope: 'profile' }));
      expectRedirect(f, 'invalid_scope');
      expect(f.responseMode).toBe(mode);
      expect(f.clientId).toBe('client-a');
    });
  }

  it('uses query for page errors', async () => {
    expect((await fail(query({ client_id: 'nobody', response_mode: 'form_post' }))).responseMode).toBe('query');
  });
});

describe('runAuthorizationPipeline: first failing check wins', () => {
  const order: [string, Record<string, string | undefined>, string][] = [
    ['bad response_type AND missing PKCE', { response_type: 'token', code_challenge: undefined, code_challenge_method: undefined }, 'unsupported_response_type'],
    ['request object AND bad response_type', { request: 'x', response_type: 'token' }, 'request_not_supported'],
    ['bad response_mode AND bad response_type', { response_mode: 'fragment', response_type: 'token' }, 'invalid_request'],
    ['bad response_type AND bad scope', { response_type: 'id_token', scope: 'email' }, 'unsupported_response_type'],
    ['bad scope AND missing PKCE', { scope: 'email openid', code_challenge: undefined }, 'invalid_scope'],
    ['missing PKCE AND missing state', { code_challenge: undefined, state: undefined }, 'invalid_request'],
    ['missing nonce AND bad acr', { nonce: undefined, acr_values: 'low' }, 'invalid_request'],
    ['bad acr AND bad resource', { acr_values: 'low', resource: 'rel' }, 'invalid_request'],
    ['bad resource AND bad RAR', { resource: 'rel', authorization_details: '{' }, 'invalid_target'],
  ];
  for (const [what, over, error] of order) {
    it(`${what} → ${error}`, async () => {
      const f = await fail(query(over));
      expect(f.error.error).toBe(error);
      expect(f.error.delivery).toBe('redirect');
    });
  }

  it('missing PKCE is reported before missing state', async () => {
    const f = await fail(query({ code_challenge: undefined, state: undefined }));
    expect(f.error.description).toMatch(/code_challenge/);
  });

  it('missing nonce is reported before a bad acr', async () => {
    const f = await fail(query({ nonce: undefined, acr_values: 'low' }));
    expect(f.error.description).toMatch(/nonce/);
  });

  it('a bad response_mode is reported before a repeated parameter', async () => {
    const f = await fail(`${new URLSearchParams(query({ response_mode: 'fragment' })).toString()}&scope=openid`);
    expect(f.error.description).toMatch(/response_mode/);
  });

  it('unknown client is reported before a bad redirect_uri', async () => {
    expectPage(await fail(query({ client_id: 'nobody', redirect_uri: 'https://evil.example/' })), 'invalid_client');
  });
});

describe("runAuthorizationPipeline: 'par' mode", () => {
  const par = (q: Record<string, string> | string, client: Client = A) => fail(q, { mode: 'par', client });

  it('accepts a valid pushed request for the authenticated client without looking it up', async () => {
    const getClient = vi.fn(async () => undefined);
    const r = await runAuthorizationPipeline(P(query({ client_id: undefined })), deps({ getClient }), 'par', A);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.request.clientId).toBe('client-a');
    expect(getClient).not.toHaveBeenCalled();
  });

  const cases: [string, Record<string, string | undefined>, string][] = [
    ['unregistered redirect_uri', { redirect_uri: 'https://evil.example/' }, 'invalid_request'],
    ['missing redirect_uri', { redirect_uri: undefined }, 'invalid_request'],
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['bad scope', { scope: 'openid admin' }, 'invalid_scope'],
    ['missing PKCE', { code_challenge: undefined }, 'invalid_request'],
    ['missing state', { state: undefined }, 'invalid_request'],
    ['request_uri pushed', { request_uri: 'urn:x' }, 'invalid_request'],
    ['request object', { request: 'x' }, 'request_not_supported'],
    ['bad resource', { resource: 'x' }, 'invalid_target'],
    ['bad RAR', { authorization_details: '[]' }, 'invalid_authorization_details'],
    ['bad response_mode', { response_mode: 'fragment' }, 'invalid_request'],
  ];
  for (const [what, over, error] of cases) {
    it(`${what} → JSON ${error}, status 400, no redirect`, async () => {
      const f = await par(query(over));
      expect(f.error.error).toBe(error);
      expect(f.error.delivery).toBe('json');
      expect(f.error.status).toBe(400);
      expect(f.redirectUri).toBeUndefined();
      expect(f.state).toBeUndefined();
    });
  }

  it('repeated redirect_uri and repeated parameters are JSON errors', async () => {
    const qs = new URLSearchParams(query());
    qs.append('redirect_uri', CB);
    expect((await par(qs.toString())).error.delivery).toBe('json');
    const qs2 = new URLSearchParams(query());
    qs2.append('nonce', 'x');
    expect((await par(qs2.toString())).error.delivery).toBe('json');
  });

  it("another client's redirect_uri is refused for the authenticated client", async () => {
    const f = await par(query({ redirect_uri: 'https://b.example.test/callback' }));
    expect(f.error.error).toBe('invalid_request');
    expect(f.error.delivery).toBe('json');
  });

  it('uses the authenticated client, not a client_id in the body', async () => {
    const f = await par(query({ client_id: 'client-b', redirect_uri: 'https://b.example.test/callback' }));
    expect(f.error.error).toBe('invalid_request'); // B's redirect_uri is not A's
    const r = await runAuthorizationPipeline(P(query({ client_id: 'client-b' })), deps(), 'par', A);
    expect(r.ok && r.request.clientId).toBe('client-a');
  });
});

describe('runAuthorizationPipeline: unexpected exceptions', () => {
  it('propagates errors that are not OAuth errors (e.g. a store failure)', async () => {
    const boom = new Error('database is down');
    await expect(runAuthorizationPipeline(P(query()), deps({ getClient: async () => { throw boom; } }), 'authorize')).rejects.toBe(boom);
  });
});
