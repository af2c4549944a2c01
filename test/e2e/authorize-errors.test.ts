import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { callbackParams, formFields, loginWithTestId, secretOf, startServer, webClient, type Step, type TestServer } from './harness.js';
import { CheckedBrowser, authorizeUrl, basicAuth, formBody, http, newPkce, obtainCode, redirectOf, type HttpResult } from './checks.js';

/** Characters that all need URL encoding, plus non-ASCII. */
const NASTY_STATE = 'a b&c=d/e?f#g+h%i"j<k>\'l;æøå';
const APP = 'app';
const APP_REDIRECT = redirectOf(APP);

describe('authorization endpoint errors (spec §5.2, §14)', () => {
  let server: TestServer;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = new ManualClock();
    server = await startServer({
      clock,
      clients: [
        webClient(APP),
        webClient('other'),
        webClient('withquery', { redirect_uris: ['https://withquery.example.test/callback?tenant=7'] }),
      ],
      // No eID for entraid here (the simulated Test Entra ID off), so that acr value is not offered.
      config: { testid: { test_entra: false } },
    });
  });
  afterAll(async () => server?.close());

  const url = (params: Record<string, string | string[] | undefined> = {}, client = APP) => authorizeUrl(server.issuer, client, params);

  /** An error page at the provider: 4xx HTML, no Location header, never a redirect. */
  function expectErrorPage(res: HttpResult | Step, status = 400): void {
    expect(res.status).toBe(status);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const body = 'text' in res ? res.text : res.html;
    expect(body).toMatch(/<html/);
  }

  /** An error redirected back to the client's registered redirect_uri with error, description, state and iss. */
  function expectRedirectError(res: HttpResult | Step, error: string, state: string | undefined, redirectUri = APP_REDIRECT): URLSearchParams {
    expect([302, 303], `expected a redirect, got ${res.status}: ${'text' in res ? res.text.slice(0, 500) : res.html.slice(0, 500)}`).toContain(res.status);
    const loc = new URL(res.location!);
    const registered = new URL(redirectUri);
    expect(`${loc.origin}${loc.pathname}`).toBe(`${registered.origin}${registered.pathname}`);
    for (const [k, v] of registered.searchParams) expect(loc.searchParams.get(k)).toBe(v);
    const p = loc.searchParams;
    expect(p.get('error')).toBe(error);
    expect(p.get('error_description')).toBeTruthy();
    expect(p.has('code')).toBe(false);
    if (state === undefined) expect(p.has('state')).toBe(false);
    else expect(p.get('state')).toBe(state);
    expect(p.get('iss')).toBe(server.issuer);
    return p;
  }

  describe('problems before the redirect URI is trusted → error page, no redirect', () => {
    const cases: [string, () => string][] = [
      ['unknown client_id', () => url({ client_id: 'no-such-client', redirect_uri: APP_REDIRECT })],
      ['missing client_id', () => url({ client_id: undefined })],
      ['empty client_id', () => url({ client_id: '' })],
      ['repeated client_id', () => url({ client_id: [APP, APP] })],
      ['client_id of another client with this redirect_uri', () => url({ client_id: 'other', redirect_uri: APP_REDIRECT })],
      ['missing redirect_uri', () => url({ redirect_uri: undefined })],
      ['empty redirect_uri', () => url({ redirect_uri: '' })],
      ['repeated redirect_uri', () => url({ redirect_uri: [APP_REDIRECT, APP_REDIRECT] })],
      ['redirect_uri with a trailing slash', () => url({ redirect_uri: `${APP_REDIRECT}/` })],
      ['redirect_uri with a different host case', () => url({ redirect_uri: 'https://APP.example.test/callback' })],
      ['redirect_uri with a different path case', () => url({ redirect_uri: 'https://app.example.test/Callback' })],
      ['redirect_uri with an extra query', () => url({ redirect_uri: `${APP_REDIRECT}?x=1` })],
      ['redirect_uri with a fragment', () => url({ redirect_uri: `${APP_REDIRECT}#x` })],
      ['redirect_uri with http instead of https', () => url({ redirect_uri: 'http://app.example.test/callback' })],
      ['redirect_uri with a port', () => url({ redirect_uri: 'https://app.example.test:443/callback' })],
      ['redirect_uri of another client', () => url({ redirect_uri: redirectOf('other') })],
      ['redirect_uri javascript:', () => url({ redirect_uri: 'javascript:alert(1)' })],
      ['registered redirect_uri without its query', () => url({ redirect_uri: 'https://withquery.example.test/callback' }, 'withquery')],
    ];
    for (const [name, make] of cases) {
      it(name, async () => {
        const res = await http(make());
        expectErrorPage(res);
        // even with an otherwise broken request, nothing is sent to any redirect_uri
        expect(res.text).not.toContain('action="https://');
      });
    }

    it('does not redirect even when the later parameters are also wrong', async () => {
      const res = await http(url({ client_id: 'nobody', response_type: 'token', scope: 'x', state: undefined }));
      expectErrorPage(res);
    });

    it('does not echo unvalidated input as markup on the error page', async () => {
      const res = await http(url({ client_id: '<script>alert(1)</script>' }));
      expectErrorPage(res);
      expect(res.text).not.toContain('<script>alert(1)</script>');
    });
  });

  describe('later problems → redirect back with error, error_description, state and iss', () => {
    it('returns state exactly as sent, even with characters that need encoding', async () => {
      const res = await http(url({ response_type: 'token', state: NASTY_STATE }));
      expectRedirectError(res, 'unsupported_response_type', NASTY_STATE);
      // and the redirect itself is a valid, encoded URL (no raw space or quote)
      expect(res.headers.get('location')).not.toMatch(/[ "<>]/);
    });

    it('keeps the query of a registered redirect_uri', async () => {
      const res = await http(url({ response_type: 'token', redirect_uri: 'https://withquery.example.test/callback?tenant=7' }, 'withquery'));
      expectRedirectError(res, 'unsupported_response_type', 'state-1', 'https://withquery.example.test/callback?tenant=7');
    });

    const cases: [string, Record<string, string | string[] | undefined>, string, string | undefined][] = [
      ['response_type=token', { response_type: 'token' }, 'unsupported_response_type', 'state-1'],
      ['response_type=code id_token', { response_type: 'code id_token' }, 'unsupported_response_type', 'state-1'],
      ['response_type=id_token', { response_type: 'id_token' }, 'unsupported_response_type', 'state-1'],
      ['missing response_type', { response_type: undefined }, 'invalid_request', 'state-1'],
      ['missing code_challenge', { code_challenge: undefined }, 'invalid_request', 'state-1'],
      ['code_challenge_method=plain', { code_challenge_method: 'plain' }, 'invalid_request', 'state-1'],
      ['missing code_challenge_method', { code_challenge_method: undefined }, 'invalid_request', 'state-1'],
      ['code_challenge with padding', { code_challenge: `${newPkce().challenge}=` }, 'invalid_request', 'state-1'],
      ['code_challenge too short', { code_challenge: 'abc' }, 'invalid_request', 'state-1'],
      ['code_challenge with invalid characters', { code_challenge: `${newPkce().challenge.slice(0, 42)}+` }, 'invalid_request', 'state-1'],
      ['missing state', { state: undefined }, 'invalid_request', undefined],
      ['empty state', { state: '' }, 'invalid_request', ''],
      ['missing nonce', { nonce: undefined }, 'invalid_request', 'state-1'],
      ['scope without openid', { scope: 'profile' }, 'invalid_scope', 'state-1'],
      ['scope with an unregistered scope', { scope: 'openid profile email' }, 'invalid_scope', 'state-1'],
      ['scope with a third-party API scope', { scope: 'openid idporten:dcr.read' }, 'invalid_scope', 'state-1'],
      ['missing scope', { scope: undefined }, 'invalid_request', 'state-1'],
      ['repeated scope', { scope: ['openid', 'openid profile'] }, 'invalid_request', 'state-1'],
      ['repeated nonce', { nonce: ['n1', 'n1'] }, 'invalid_request', 'state-1'],
      ['repeated response_type', { response_type: ['code', 'code'] }, 'invalid_request', 'state-1'],
      ['repeated state (cannot be echoed)', { state: ['s1', 's2'] }, 'invalid_request', undefined],
      ['request object', { request: 'eyJhbGciOiJub25lIn0.e30.' }, 'request_not_supported', 'state-1'],
      ['acr_values with no supported value', { acr_values: 'low' }, 'invalid_request', 'state-1'],
      ['acr_values for an eID that is not offered', { acr_values: 'entraid' }, 'invalid_request', 'state-1'],
      ['invalid prompt', { prompt: 'select_account' }, 'invalid_request', 'state-1'],
      ['prompt=none with login', { prompt: 'none login' }, 'invalid_request', 'state-1'],
      ['max_age not a number', { max_age: 'ten' }, 'invalid_request', 'state-1'],
      ['max_age negative', { max_age: '-1' }, 'invalid_request', 'state-1'],
      ['max_age fractional', { max_age: '1.5' }, 'invalid_request', 'state-1'],
      ['resource not a URI', { resource: 'not a uri' }, 'invalid_target', 'state-1'],
      ['resource relative', { resource: '/api/things' }, 'invalid_target', 'state-1'],
      ['resource with fragment', { resource: 'https://api.example.test/#frag' }, 'invalid_target', 'state-1'],
      ['authorization_details not JSON', { authorization_details: '[{' }, 'invalid_authorization_details', 'state-1'],
      ['authorization_details not an array', { authorization_details: '{"type":"ansattporten:altinn:resource"}' }, 'invalid_authorization_details', 'state-1'],
      ['authorization_details unknown type', { authorization_details: '[{"type":"ansattporten:unknown"}]' }, 'invalid_authorization_details', 'state-1'],
      ['authorization_details without resource', { authorization_details: '[{"type":"ansattporten:altinn:resource"}]' }, 'invalid_authorization_details', 'state-1'],
      ['authorization_details mixing types', {
        authorization_details: JSON.stringify([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:eksempel-tjeneste' }, { type: 'ansattporten:orgno' }]),
      }, 'invalid_authorization_details', 'state-1'],
      ['unsupported response_mode', { response_mode: 'fragment' }, 'invalid_request', 'state-1'],
      ['a parameter longer than the limit', { login_hint: 'x'.repeat(5000) }, 'invalid_request', 'state-1'],
    ];
    for (const [name, params, error, state] of cases) {
      it(`${name} → ${error}`, async () => {
        const res = await http(url(params));
        expectRedirectError(res, error, state);
      });
    }

    it('POST /authorize redirects errors back too (303 after a POST)', async () => {
      const b = new CheckedBrowser(server.issuer);
      const pkce = newPkce();
      const step = await b.request(`${server.issuer}/authorize`, {
        form: { client_id: APP, response_type: 'token', redirect_uri: APP_REDIRECT, scope: 'openid', state: NASTY_STATE, nonce: 'n', code_challenge: pkce.challenge, code_challenge_method: 'S256' },
      });
      expect(step.status).toBe(303);
      expectRedirectError(step, 'unsupported_response_type', NASTY_STATE);
    });

    it('POST /authorize with an unknown client is an error page', async () => {
      const res = await http(`${server.issuer}/authorize`, { form: { client_id: 'nobody', redirect_uri: APP_REDIRECT, response_type: 'code' } });
      expectErrorPage(res);
    });
  });

  describe('response_mode=form_post', () => {
    it('sends errors as an auto-posting form to the redirect_uri instead of a redirect', async () => {
      const res = await http(url({ response_mode: 'form_post', scope: 'profile', state: NASTY_STATE }));
      expect(res.status).toBe(200);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.text).toContain(`action="${APP_REDIRECT}"`);
      expect(res.text).toMatch(/method="post"/i);
      expect(res.text).toMatch(/<script[^>]*nonce=/);
      const p = callbackParams({ status: res.status, url: '', html: res.text, headers: res.headers });
      expect(p.get('error')).toBe('invalid_scope');
      expect(p.get('error_description')).toBeTruthy();
      expect(p.get('state')).toBe(NASTY_STATE);
      expect(p.get('iss')).toBe(server.issuer);
      expect(p.has('code')).toBe(false);
      // the page may post to the client: its CSP allows the redirect_uri origin as a form target
      expect(res.headers.get('content-security-policy')).toContain('https://app.example.test');
    });

    it('form_post with an unknown client is still an error page', async () => {
      const res = await http(url({ response_mode: 'form_post', client_id: 'nobody' }));
      expectErrorPage(res);
    });
  });

  describe('accepted requests', () => {
    it('ignores unknown parameters and completes the login', async () => {
      const b = new CheckedBrowser(server.issuer);
      const { params } = await obtainCode(b, server.issuer, APP, { params: { foo: 'bar', login_hint: 'eidas:true', display: 'page', claims_locales: 'nb', x_custom: '<&>' } });
      expect(params.get('state')).toBe('state-1');
      expect(params.get('iss')).toBe(server.issuer);
    });

    it('returns state exactly as sent on success', async () => {
      const b = new CheckedBrowser(server.issuer);
      const { params } = await obtainCode(b, server.issuer, APP, { params: { state: NASTY_STATE } });
      expect(params.get('state')).toBe(NASTY_STATE);
    });

    it('accepts acr_values with one supported value among unknown ones', async () => {
      const res = await http(url({ acr_values: 'low substantial' }));
      expect(res.status).toBe(302);
      expect(res.location).toMatch(new RegExp(`^${server.issuer}/login/select\\?flow=`));
    });

    it('POST /authorize with a form body works like GET', async () => {
      const b = new CheckedBrowser(server.issuer);
      const pkce = newPkce();
      const select = await b.go(`${server.issuer}/authorize`, {
        form: { client_id: APP, response_type: 'code', redirect_uri: APP_REDIRECT, scope: 'openid profile', state: 'posted', nonce: 'n', code_challenge: pkce.challenge, code_challenge_method: 'S256' },
      });
      expect(select.url).toContain('/login/select');
      const testid = await b.submit(select, '/login/select', { eid: 'testid' });
      const done = await b.submit(testid, '/login/testid', { pid: '15895010046', acr: 'substantial' });
      const p = callbackParams(done);
      expect(p.get('code')).toBeTruthy();
      expect(p.get('state')).toBe('posted');
      const tok = await http(`${server.issuer}/token`, {
        form: { grant_type: 'authorization_code', code: p.get('code')!, redirect_uri: APP_REDIRECT, code_verifier: pkce.verifier },
        headers: { authorization: basicAuth(APP, secretOf(APP)) },
      });
      expect(tok.status).toBe(200);
      expect(tok.json.id_token).toBeTruthy();
    });

    it('POST /authorize with a non-form body is not a 500', async () => {
      const res = await http(`${server.issuer}/authorize`, { method: 'POST', body: '{"client_id":"app"}', headers: { 'content-type': 'application/json' } });
      expectErrorPage(res);
      const bad = await http(`${server.issuer}/authorize`, { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } });
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect(bad.headers.get('location')).toBeNull();
    });
  });

  describe('prompt=none and cancelling', () => {
    it('prompt=none without a session → login_required', async () => {
      const b = new CheckedBrowser(server.issuer);
      const step = await b.go(url({ prompt: 'none', state: NASTY_STATE }));
      expectRedirectError(step, 'login_required', NASTY_STATE);
    });

    it('cancelling on the eID selector → access_denied with state and iss', async () => {
      const b = new CheckedBrowser(server.issuer);
      const select = await b.go(url({ state: NASTY_STATE }));
      expect(select.url).toContain('/login/select');
      const done = await b.submit(select, '/login/cancel');
      expectRedirectError(done, 'access_denied', NASTY_STATE);
    });

    it('cancelling on the TestID page → access_denied with state and iss', async () => {
      const b = new CheckedBrowser(server.issuer);
      const select = await b.go(url({ state: 'cancel-testid' }));
      const testid = await b.submit(select, '/login/select', { eid: 'testid' });
      expect(testid.url).toContain('/login/testid');
      const done = await b.submit(testid, '/login/cancel');
      expectRedirectError(done, 'access_denied', 'cancel-testid');
    });

    it('cancelling with form_post answers with an auto-posting form', async () => {
      const b = new CheckedBrowser(server.issuer);
      const select = await b.go(url({ state: 'fp', response_mode: 'form_post' }));
      const done = await b.submit(select, '/login/cancel');
      expect(done.status).toBe(200);
      expect(done.html).toContain(`action="${APP_REDIRECT}"`);
      const p = callbackParams(done);
      expect(p.get('error')).toBe('access_denied');
      expect(p.get('state')).toBe('fp');
      expect(p.get('iss')).toBe(server.issuer);
    });

    it('a cancelled flow cannot be continued', async () => {
      const b = new CheckedBrowser(server.issuer);
      const select = await b.go(url());
      const testid = await b.submit(select, '/login/select', { eid: 'testid' });
      await b.submit(testid, '/login/cancel');
      const again = await b.submit(testid, '/login/testid', { pid: '15895010046', acr: 'substantial' });
      expectErrorPage(again);
    });
  });

  describe('the login pages refuse forged and foreign posts', () => {
    async function toTestId(b: CheckedBrowser, params: Record<string, string | undefined> = {}) {
      const select = await b.go(url(params));
      const testid = await b.submit(select, '/login/select', { eid: 'testid' });
      expect(testid.url).toContain('/login/testid');
      return testid;
    }

    it('a TestID post without csrf → 403 page', async () => {
      const b = new CheckedBrowser(server.issuer);
      const page = await toTestId(b);
      const { flow } = formFields(page.html, '/login/testid');
      const res = await b.request(`${server.issuer}/login/testid`, { form: { flow: flow!, pid: '15895010046', acr: 'substantial' } });
      expectErrorPage(res, 403);
    });

    it('a TestID post with a wrong csrf → 403 page', async () => {
      const b = new CheckedBrowser(server.issuer);
      const page = await toTestId(b);
      const { flow } = formFields(page.html, '/login/testid');
      const res = await b.request(`${server.issuer}/login/testid`, { form: { flow: flow!, csrf: 'forged-csrf-value', pid: '15895010046', acr: 'substantial' } });
      expectErrorPage(res, 403);
    });

    it('an eID choice and a cancel without csrf → 403 page', async () => {
      const b = new CheckedBrowser(server.issuer);
      const select = await b.go(url());
      const { flow } = formFields(select.html, '/login/select');
      expectErrorPage(await b.request(`${server.issuer}/login/select`, { form: { flow: flow!, eid: 'testid' } }), 403);
      expectErrorPage(await b.request(`${server.issuer}/login/cancel`, { form: { flow: flow! } }), 403);
      expectErrorPage(await b.request(`${server.issuer}/login/select`, { form: { flow: flow!, csrf: ['a', 'b'], eid: 'testid' } }), 403);
    });

    it('a flow id from another browser is refused, with or without a browser cookie of its own', async () => {
      const victim = new CheckedBrowser(server.issuer);
      const page = await toTestId(victim);
      const fields = formFields(page.html, '/login/testid');
      // a browser with no cookies at all
      const fresh = new CheckedBrowser(server.issuer);
      expectErrorPage(await fresh.request(`${server.issuer}/login/testid`, { form: { ...fields, pid: '15895010046', acr: 'substantial' } }), 403);
      expectErrorPage(await fresh.request(`${server.issuer}/login/testid?flow=${fields.flow}`), 403);
      // a browser that has a flow of its own
      const attacker = new CheckedBrowser(server.issuer);
      await toTestId(attacker);
      expectErrorPage(await attacker.request(`${server.issuer}/login/testid`, { form: { ...fields, pid: '15895010046', acr: 'substantial' } }), 403);
      expectErrorPage(await attacker.request(`${server.issuer}/login/select?flow=${fields.flow}`), 403);
      // the victim's flow is unharmed
      const done = await victim.submit(page, '/login/testid', { pid: '15895010046', acr: 'substantial' });
      expect(callbackParams(done).get('code')).toBeTruthy();
    });

    it('unknown, malformed and missing flow ids are error pages', async () => {
      const b = new CheckedBrowser(server.issuer);
      await b.go(url());
      expectErrorPage(await b.request(`${server.issuer}/login/select?flow=doesnotexist`));
      expectErrorPage(await b.request(`${server.issuer}/login/select?flow=${encodeURIComponent('../../etc/passwd')}`));
      expectErrorPage(await b.request(`${server.issuer}/login/select`));
      expectErrorPage(await b.request(`${server.issuer}/login/testid`, { form: {} }));
    });
  });

  describe('TestID input', () => {
    async function toTestId(b: CheckedBrowser, params: Record<string, string | undefined> = {}) {
      const select = await b.go(url(params));
      return b.submit(select, '/login/select', { eid: 'testid' });
    }

    function expectTestIdError(step: Step): void {
      expect(step.status).toBe(400);
      expect(step.headers.get('location')).toBeNull();
      expect(step.html).toMatch(/class="error-message"[^>]*role="alert"/);
      expect(step.html).toContain('aria-invalid="true"');
      // the page is still the TestID form, so the user can correct the input
      expect(() => formFields(step.html, '/login/testid')).not.toThrow();
    }

    it('an invalid check digit → 400 page with a message; login continues when corrected', async () => {
      const b = new CheckedBrowser(server.issuer);
      const page = await toTestId(b);
      const bad = await b.submit(page, '/login/testid', { pid: '15895010047', acr: 'substantial' });
      expectTestIdError(bad);
      expect(bad.html).toContain('kontrollsiffer');
      const good = await b.submit(bad, '/login/testid', { pid: '15895010046', acr: 'substantial' });
      expect(callbackParams(good).get('code')).toBeTruthy();
    });

    it('a number that is not 11 digits, or is hostile, → 400 page', async () => {
      const b = new CheckedBrowser(server.issuer);
      const page = await toTestId(b);
      for (const pid of ['123', '1589501004x', '<script>x</script>', '1'.repeat(3000), '']) {
        const res = await b.submit(page, '/login/testid', { pid, acr: 'substantial' });
        expectTestIdError(res);
        expect(res.html).not.toContain('<script>x</script>');
      }
    });

    it('a non-synthetic national identity number → 400 page; login continues when corrected', async () => {
      const b = new CheckedBrowser(server.issuer);
      const page = await toTestId(b);
      const bad = await b.submit(page, '/login/testid', { pid: '15095010080', acr: 'substantial' });
      expectTestIdError(bad);
      expect(bad.html).toMatch(/syntetiske/);
      const good = await b.submit(bad, '/login/testid', { pid: '15895010046', acr: 'substantial' });
      expect(callbackParams(good).get('code')).toBeTruthy();
    });

    it('a level below the requested acr → 400 page; login continues at the right level', async () => {
      const b = new CheckedBrowser(server.issuer);
      const pkce = newPkce();
      const select = await b.go(authorizeUrl(server.issuer, APP, { acr_values: 'high' }, pkce.challenge));
      const page = await b.submit(select, '/login/select', { eid: 'testid' });
      expect(page.html).not.toContain('value="substantial"');
      const bad = await b.submit(page, '/login/testid', { pid: '15895010046', acr: 'substantial' });
      expectTestIdError(bad);
      const good = await b.submit(bad, '/login/testid', { pid: '15895010046', acr: 'high' });
      const code = callbackParams(good).get('code')!;
      const tok = await http(`${server.issuer}/token`, {
        form: { grant_type: 'authorization_code', code, redirect_uri: APP_REDIRECT, code_verifier: pkce.verifier },
        headers: { authorization: basicAuth(APP, secretOf(APP)) },
      });
      expect(tok.status).toBe(200);
      const idToken = JSON.parse(Buffer.from(tok.json.id_token.split('.')[1], 'base64url').toString());
      expect(idToken.acr).toBe('high');
    });

    it('an unknown eID choice → the selector again, not a 500', async () => {
      const b = new CheckedBrowser(server.issuer);
      const select = await b.go(url());
      const res = await b.submit(select, '/login/select', { eid: 'bankid' });
      expect(res.status).toBe(400);
      expect(() => formFields(res.html, '/login/select')).not.toThrow();
    });
  });

  describe('oversized and malformed input → a clear 4xx, never a 500', () => {
    it('a 100 kB query string', async () => {
      const res = await http(url({ login_hint: 'x'.repeat(100 * 1024) }));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('location')).toBeNull();
    });

    it('a 100 kB form body to /authorize, /login/testid, /par and /token', async () => {
      const big = formBody({ client_id: APP, redirect_uri: APP_REDIRECT, filler: 'x'.repeat(100 * 1024) });
      for (const path of ['/authorize', '/login/testid', '/par', '/token']) {
        const res = await http(`${server.issuer}${path}`, { method: 'POST', body: big, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        expect(res.status, path).toBe(413);
        expect(res.headers.get('location')).toBeNull();
      }
    });

    it('a 100 kB JSON body', async () => {
      const res = await http(`${server.issuer}/token`, { method: 'POST', body: JSON.stringify({ x: 'x'.repeat(100 * 1024) }), headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(413);
    });

    it('broken percent-encoding, NUL bytes and odd characters', async () => {
      for (const q of ['client_id=%E0%A4%A', 'client_id=%00', `client_id=${APP}&redirect_uri=%ZZ`, 'client_id=app%0d%0aSet-Cookie:x=1', '%%%%', '&&&&=&=']) {
        const res = await http(`${server.issuer}/authorize?${q}`);
        expect(res.status, q).toBeGreaterThanOrEqual(400);
        expect(res.headers.get('set-cookie') ?? '').not.toContain('x=1');
      }
    });

    it('a long redirect_uri, a long client_id and a huge state', async () => {
      expectErrorPage(await http(url({ client_id: 'c'.repeat(8000) })));
      expectErrorPage(await http(url({ redirect_uri: `${APP_REDIRECT}${'a'.repeat(8000)}` })));
      const res = await http(url({ state: 's'.repeat(8000) }));
      expect(res.status).toBeGreaterThanOrEqual(300);
      expect(res.status).toBeLessThan(500);
    });
  });

  describe('PAR (spec §6)', () => {
    const parForm = (extra: Record<string, string | undefined> = {}, challenge = newPkce().challenge) => {
      const all: Record<string, string | undefined> = {
        client_id: APP, response_type: 'code', redirect_uri: APP_REDIRECT, scope: 'openid profile', state: 'par-state', nonce: 'par-nonce',
        code_challenge: challenge, code_challenge_method: 'S256', ...extra,
      };
      return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<string, string>;
    };
    const push = (form: Record<string, string>, client = APP) =>
      http(`${server.issuer}/par`, { form, headers: { authorization: basicAuth(client, secretOf(client)) } });

    async function pushed(form = parForm()): Promise<string> {
      const res = await push(form);
      expect(res.status).toBe(201);
      return res.json.request_uri as string;
    }

    it('without client authentication → 401 invalid_client', async () => {
      const res = await http(`${server.issuer}/par`, { form: parForm() });
      expect(res.status).toBe(401);
      expect(res.json.error).toBe('invalid_client');
      expect(res.headers.get('www-authenticate')).toBeTruthy();
      expect(res.headers.get('cache-control')).toBe('no-store');
    });

    it('with no client at all → 401 invalid_client', async () => {
      const res = await http(`${server.issuer}/par`, { form: parForm({ client_id: undefined }) });
      expect(res.status).toBe(401);
      expect(res.json.error).toBe('invalid_client');
    });

    it('with a wrong secret → 401 invalid_client', async () => {
      const res = await http(`${server.issuer}/par`, { form: parForm(), headers: { authorization: basicAuth(APP, 'wrong-secret-that-is-long-enough-to-look-real') } });
      expect(res.status).toBe(401);
      expect(res.json.error).toBe('invalid_client');
    });

    const bad: [string, Record<string, string | undefined>, string][] = [
      ['missing code_challenge', { code_challenge: undefined }, 'invalid_request'],
      ['unregistered redirect_uri', { redirect_uri: `${APP_REDIRECT}/` }, 'invalid_request'],
      ['unsupported response_type', { response_type: 'token' }, 'unsupported_response_type'],
      ['scope without openid', { scope: 'profile' }, 'invalid_scope'],
      ['missing state', { state: undefined }, 'invalid_request'],
      ['a pushed request_uri', { request_uri: 'urn:ansattporten:abcdefghijklmnopqrstuvwxyz' }, 'invalid_request'],
      ['malformed authorization_details', { authorization_details: 'nope' }, 'invalid_authorization_details'],
      ['a body client_id that differs from the Basic credentials', { client_id: 'other' }, 'invalid_request'],
    ];
    for (const [name, extra, error] of bad) {
      it(`with ${name} → 400 JSON ${error}`, async () => {
        const res = await push(parForm(extra));
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toMatch(/application\/json/);
        expect(res.json.error).toBe(error);
        expect(res.json.error_description).toBeTruthy();
        expect(res.headers.get('location')).toBeNull();
      });
    }

    it('with a JSON body → 400 invalid_request', async () => {
      const res = await http(`${server.issuer}/par`, { method: 'POST', body: JSON.stringify(parForm()), headers: { 'content-type': 'application/json', authorization: basicAuth(APP, secretOf(APP)) } });
      expect(res.status).toBe(400);
      expect(res.json.error).toBe('invalid_request');
    });

    it('success → 201 with request_uri and expires_in 120, then a normal login; the request_uri is single use', async () => {
      const pkce = newPkce();
      const res = await push(parForm({ state: NASTY_STATE }, pkce.challenge));
      expect(res.status).toBe(201);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.json.expires_in).toBe(120);
      expect(res.json.request_uri).toMatch(/^urn:ansattporten:[A-Za-z0-9_-]+$/);
      const b = new CheckedBrowser(server.issuer);
      const authUrl = `${server.issuer}/authorize?client_id=${APP}&request_uri=${encodeURIComponent(res.json.request_uri)}`;
      const done = await loginWithTestId(b, authUrl);
      const p = callbackParams(done);
      expect(p.get('code')).toBeTruthy();
      expect(p.get('state')).toBe(NASTY_STATE);
      expect(p.get('iss')).toBe(server.issuer);
      // reused request_uri → error page
      expectErrorPage(await http(authUrl));
    });

    it('/authorize with request_uri but without client_id → error page', async () => {
      const uri = await pushed();
      expectErrorPage(await http(`${server.issuer}/authorize?request_uri=${encodeURIComponent(uri)}`));
    });

    it("/authorize with another client's client_id → error page", async () => {
      const uri = await pushed();
      expectErrorPage(await http(`${server.issuer}/authorize?client_id=other&request_uri=${encodeURIComponent(uri)}`));
    });

    it('/authorize with an unknown or malformed request_uri → error page', async () => {
      for (const uri of ['urn:ansattporten:doesnotexistdoesnotexist', 'urn:other:abc', 'https://evil.example/req', '']) {
        expectErrorPage(await http(`${server.issuer}/authorize?client_id=${APP}&request_uri=${encodeURIComponent(uri)}`));
      }
    });

    it('an expired request_uri (121 s) → error page', async () => {
      const uri = await pushed();
      clock.advance(121_000);
      expectErrorPage(await http(`${server.issuer}/authorize?client_id=${APP}&request_uri=${encodeURIComponent(uri)}`));
    });

    it('a request_uri used at 119 s still works', async () => {
      const uri = await pushed();
      clock.advance(119_000);
      const res = await http(`${server.issuer}/authorize?client_id=${APP}&request_uri=${encodeURIComponent(uri)}`);
      expect(res.status).toBe(302);
      expect(res.location).toContain('/login/select?flow=');
    });

    it('a query parameter that differs from the pushed one → error redirect with the pushed state', async () => {
      const uri = await pushed();
      const res = await http(`${server.issuer}/authorize?client_id=${APP}&request_uri=${encodeURIComponent(uri)}&scope=openid`);
      expectRedirectError(res, 'invalid_request', 'par-state');
    });

    it('a query redirect_uri that differs from the pushed one never sends the user there', async () => {
      const uri = await pushed();
      const res = await http(`${server.issuer}/authorize?client_id=${APP}&request_uri=${encodeURIComponent(uri)}&redirect_uri=${encodeURIComponent('https://evil.example.test/cb')}`);
      expect(res.location ?? '').not.toContain('evil.example.test');
    });

    it('the same value repeated in the query → accepted', async () => {
      const uri = await pushed();
      const q = new URLSearchParams({ client_id: APP, request_uri: uri, scope: 'openid profile', state: 'par-state', response_type: 'code' });
      const res = await http(`${server.issuer}/authorize?${q}`);
      expect(res.status).toBe(302);
      expect(res.location).toMatch(new RegExp(`^${server.issuer}/login/select\\?flow=`));
    });

    it('a repeated request_uri or client_id → error page', async () => {
      const uri = await pushed();
      const e = encodeURIComponent(uri);
      expectErrorPage(await http(`${server.issuer}/authorize?client_id=${APP}&request_uri=${e}&request_uri=${e}`));
      expectErrorPage(await http(`${server.issuer}/authorize?client_id=${APP}&client_id=${APP}&request_uri=${e}`));
    });
  });
});

describe('state and nonce policy switched off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ clients: [webClient(APP)], config: { policy: { require_state_and_nonce: false } } });
  });
  afterAll(async () => server?.close());

  it('accepts a request without state and nonce and logs in', async () => {
    const b = new CheckedBrowser(server.issuer);
    const c = await obtainCode(b, server.issuer, APP, { params: { state: undefined, nonce: undefined } });
    expect(c.params.has('state')).toBe(false);
    expect(c.params.get('iss')).toBe(server.issuer);
    const tok = await http(`${server.issuer}/token`, {
      form: { grant_type: 'authorization_code', code: c.code, redirect_uri: c.redirectUri, code_verifier: c.verifier },
      headers: { authorization: basicAuth(APP, secretOf(APP)) },
    });
    expect(tok.status).toBe(200);
    const idToken = JSON.parse(Buffer.from(tok.json.id_token.split('.')[1], 'base64url').toString());
    expect(idToken.nonce).toBeUndefined();
  });

  it('accepts a missing state or a missing nonce alone', async () => {
    for (const params of [{ state: undefined }, { nonce: undefined }]) {
      const res = await http(authorizeUrl(server.issuer, APP, params));
      expect(res.status).toBe(302);
      expect(res.location).toMatch(new RegExp(`^${server.issuer}/login/select\\?flow=`));
    }
  });

  it('still requires PKCE', async () => {
    const res = await http(authorizeUrl(server.issuer, APP, { state: undefined, nonce: undefined, code_challenge: undefined }));
    expect(res.status).toBe(302);
    const p = new URL(res.location!).searchParams;
    expect(p.get('error')).toBe('invalid_request');
    expect(p.has('state')).toBe(false);
    expect(p.get('iss')).toBe(server.issuer);
  });
});
