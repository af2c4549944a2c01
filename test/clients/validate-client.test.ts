import { describe, it, expect, beforeAll } from 'vitest';
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { validateClientInput, type ValidateClientOptions } from '../../src/clients/validation/validate-client.js';
import { validateJwks } from '../../src/clients/validation/client-jwks.js';
import type { FieldError } from '../../src/clients/validation/field-reader.js';
import { CLIENT_DEFAULTS, type Client } from '../../src/clients/client-types.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const NOW_ISO = '2025-01-15T12:00:00.000Z';
const ORGNO = '991825827';
const DEV: ValidateClientOptions = { production: false, now: NOW };
const PROD: ValidateClientOptions = { production: true, now: NOW };

function minimal(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    client_name: 'Fiktiv fagsystem',
    client_orgno: ORGNO,
    redirect_uris: ['https://fag.example.no/callback'],
    ...extra,
  };
}

function ok(input: unknown, opts: ValidateClientOptions = DEV): Client {
  const r = validateClientInput(input, opts);
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.errors)}`);
  return r.client;
}
function errs(input: unknown, opts: ValidateClientOptions = DEV): FieldError[] {
  const r = validateClientInput(input, opts);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}
/** Errors as `field: message` strings. */
function errLines(input: unknown, opts: ValidateClientOptions = DEV): string[] {
  return errs(input, opts).map((e) => `${e.field}: ${e.message}`);
}
function fieldsOf(input: unknown, opts: ValidateClientOptions = DEV): string[] {
  return errs(input, opts).map((e) => e.field);
}

let rsa1: JsonWebKey;
let rsa2: JsonWebKey;
let rsaSmall: JsonWebKey;
let rsaPrivate: JsonWebKey;
let ec: JsonWebKey;
const jwk = (k: JsonWebKey, extra: Record<string, unknown> = {}) => ({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: 'k1', e: k.e, n: k.n, ...extra });

beforeAll(() => {
  const gen = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits });
  const a = gen(2048);
  rsa1 = a.publicKey.export({ format: 'jwk' });
  rsaPrivate = a.privateKey.export({ format: 'jwk' });
  rsa2 = gen(2048).publicKey.export({ format: 'jwk' });
  rsaSmall = gen(1024).publicKey.export({ format: 'jwk' });
  ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
});

describe('validateClientInput: defaults', () => {
  it('fills in every default for a minimal web client', () => {
    const c = ok(minimal());
    expect(c).toEqual({
      client_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      client_name: 'Fiktiv fagsystem',
      description: '',
      client_orgno: ORGNO,
      integration_type: 'ansattporten',
      application_type: 'web',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      scopes: ['openid', 'profile'],
      redirect_uris: ['https://fag.example.no/callback'],
      post_logout_redirect_uris: [],
      frontchannel_logout_session_required: false,
      backchannel_logout_session_required: false,
      sso_disabled: true,
      code_challenge_method: 'S256',
      access_token_lifetime: CLIENT_DEFAULTS.access_token_lifetime,
      authorization_lifetime: CLIENT_DEFAULTS.authorization_lifetime,
      refresh_token_lifetime: CLIENT_DEFAULTS.refresh_token_lifetime,
      refresh_token_usage: 'ONETIME',
      active: true,
      created: NOW_ISO,
      last_updated: NOW_ISO,
    });
    expect(c).not.toHaveProperty('client_uri');
    expect(c).not.toHaveProperty('jwks');
    expect(c).not.toHaveProperty('frontchannel_logout_uri');
  });

  it('generates a new client_id each time when absent, keeps a given one', () => {
    expect(ok(minimal()).client_id).not.toBe(ok(minimal()).client_id);
    expect(ok(minimal({ client_id: 'my-app' })).client_id).toBe('my-app');
  });

  it('does not share default arrays between clients', () => {
    const a = ok(minimal());
    a.scopes.push('x');
    a.grant_types.push('refresh_token');
    expect(ok(minimal()).scopes).toEqual(['openid', 'profile']);
    expect(ok(minimal()).grant_types).toEqual(['authorization_code']);
    expect(CLIENT_DEFAULTS.scopes).toEqual(['openid', 'profile']);
  });

  it('defaults token_endpoint_auth_method to none for browser and native clients', () => {
    expect(ok(minimal({ application_type: 'browser' })).token_endpoint_auth_method).toBe('none');
    expect(ok(minimal({ application_type: 'native' })).token_endpoint_auth_method).toBe('none');
  });

  it('treats JSON null as absent', () => {
    const c = ok(minimal({ client_uri: null, frontchannel_logout_uri: null, jwks: null, description: null, scopes: null }));
    expect(c.description).toBe('');
    expect(c.scopes).toEqual(['openid', 'profile']);
    expect(c).not.toHaveProperty('client_uri');
  });

  it('accepts the full example from the spec (§15.3)', () => {
    const c = ok({
      integration_type: 'ansattporten',
      application_type: 'web',
      client_name: 'Fiktiv fagsystem',
      client_orgno: ORGNO,
      description: 'Employee login for the fictitious case system',
      token_endpoint_auth_method: 'private_key_jwt',
      grant_types: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'profile'],
      redirect_uris: ['https://fag.example.no/callback'],
      post_logout_redirect_uris: ['https://fag.example.no/logged-out'],
      frontchannel_logout_uri: 'https://fag.example.no/fcl',
      frontchannel_logout_session_required: true,
      refresh_token_usage: 'ONETIME',
    }, PROD);
    expect(c.token_endpoint_auth_method).toBe('private_key_jwt');
    expect(c.frontchannel_logout_uri).toBe('https://fag.example.no/fcl');
    expect(c.frontchannel_logout_session_required).toBe(true);
    expect(c.grant_types).toEqual(['authorization_code', 'refresh_token']);
  });

  it('keeps all optional fields', () => {
    const c = ok(minimal({
      client_uri: 'https://fag.example.no',
      supplier_orgno: '974760673',
      description: 'desc',
      code_challenge_method: 'none',
      access_token_lifetime: 600,
      authorization_lifetime: 3600,
      refresh_token_lifetime: 3600,
      refresh_token_usage: 'REUSE',
    }));
    expect(c).toMatchObject({
      client_uri: 'https://fag.example.no',
      supplier_orgno: '974760673',
      description: 'desc',
      code_challenge_method: 'none',
      access_token_lifetime: 600,
      authorization_lifetime: 3600,
      refresh_token_lifetime: 3600,
      refresh_token_usage: 'REUSE',
    });
  });
});

describe('validateClientInput: basic fields', () => {
  it.each([null, [], 'x', 42, undefined])('rejects non-object input %j', (v) => {
    expect(errs(v)).toEqual([{ field: '', message: expect.stringMatching(/^must be a JSON object/) }]);
  });

  it('requires client_name, client_orgno and redirect_uris', () => {
    expect(errLines({})).toEqual(['client_name: is required', 'client_orgno: is required', 'redirect_uris: is required']);
  });

  it('rejects an empty or blank client_name, and non-string values', () => {
    expect(errLines(minimal({ client_name: '  ' }))).toEqual(['client_name: must not be empty']);
    expect(errLines(minimal({ client_name: 5 }))).toEqual(['client_name: must be a string (got number)']);
    expect(errLines(minimal({ description: ['x'] }))).toEqual(['description: must be a string (got array)']);
  });

  it('names unknown fields', () => {
    expect(errLines(minimal({ display_name: 'x', logo: 'y' }))).toEqual(['display_name: unknown field', 'logo: unknown field']);
  });

  it('accepts and ignores client_secret and server-managed fields', () => {
    const c = ok(minimal({ client_secret: 'secret-secret', active: false, created: '2020-01-01T00:00:00Z', last_updated: 'x' }));
    expect(c).not.toHaveProperty('client_secret');
    expect(c.active).toBe(true);
    expect(c.created).toBe(NOW_ISO);
    expect(c.last_updated).toBe(NOW_ISO);
  });

  it('validates client_id', () => {
    expect(fieldsOf(minimal({ client_id: '' }))).toEqual(['client_id']);
    expect(fieldsOf(minimal({ client_id: 'has space' }))).toEqual(['client_id']);
    expect(fieldsOf(minimal({ client_id: 12 }))).toEqual(['client_id']);
    expect(fieldsOf(minimal({ client_id: 'x'.repeat(256) }))).toEqual(['client_id']);
    expect(ok(minimal({ client_id: 'oidc_ansattporten_demo.v2' })).client_id).toBe('oidc_ansattporten_demo.v2');
  });

  it.each([
    ['991825828', 'client_orgno: check digit mismatch ("991825828")'],
    ['99182582', 'client_orgno: must be a 9-digit organisation number ("99182582")'.replace('("', '(got "')],
    [991825827, 'client_orgno: must be a string (got number)'],
  ])('client_orgno %j', (v, line) => {
    expect(errLines(minimal({ client_orgno: v }))).toEqual([line]);
  });

  it('validates supplier_orgno', () => {
    expect(errLines(minimal({ supplier_orgno: '974760670' }))).toEqual(['supplier_orgno: check digit mismatch ("974760670")']);
  });

  it('validates client_uri as an absolute http(s) URL', () => {
    expect(fieldsOf(minimal({ client_uri: '/relative' }))).toEqual(['client_uri']);
    expect(fieldsOf(minimal({ client_uri: 'ftp://x.no' }))).toEqual(['client_uri']);
  });

  it.each(['idporten', 'maskinporten', 'api_klient', 5])('integration_type %j is rejected', (v) => {
    expect(errLines(minimal({ integration_type: v }))).toEqual([`integration_type: must be "ansattporten" (got ${JSON.stringify(v)})`]);
  });

  it('integration_type cannot change on update', () => {
    const existing = { ...ok(minimal()), integration_type: 'idporten' } as unknown as Client;
    expect(fieldsOf(minimal({ integration_type: 'ansattporten' }), { ...DEV, existing })).toEqual(['integration_type']);
    expect(fieldsOf(minimal(), { ...DEV, existing })).toEqual(['integration_type']);
  });
});

describe('validateClientInput: application type, auth method, grants, scopes', () => {
  it.each([
    ['web', 'client_secret_basic', true],
    ['web', 'client_secret_post', true],
    ['web', 'private_key_jwt', true],
    ['web', 'none', false],
    ['browser', 'none', true],
    ['browser', 'client_secret_basic', false],
    ['browser', 'private_key_jwt', false],
    ['native', 'none', true],
    ['native', 'client_secret_post', false],
  ])('%s + %s → %s', (application_type, token_endpoint_auth_method, valid) => {
    const r = validateClientInput(minimal({ application_type, token_endpoint_auth_method }), DEV);
    expect(r.ok).toBe(valid);
    if (!r.ok) expect(r.errors.map((e) => e.field)).toEqual(['token_endpoint_auth_method']);
  });

  it('rejects unknown application types and auth methods', () => {
    expect(errLines(minimal({ application_type: 'spa' }))).toEqual(['application_type: must be one of "web", "browser", "native" (got "spa")']);
    expect(fieldsOf(minimal({ token_endpoint_auth_method: 'client_secret_jwt' }))).toEqual(['token_endpoint_auth_method']);
  });

  it('validates grant_types', () => {
    expect(ok(minimal({ grant_types: ['refresh_token', 'authorization_code'] })).grant_types).toEqual(['refresh_token', 'authorization_code']);
    expect(errLines(minimal({ grant_types: ['refresh_token'] }))).toEqual(['grant_types: must contain "authorization_code"']);
    expect(errLines(minimal({ grant_types: [] }))).toEqual(['grant_types: must contain "authorization_code"']);
    expect(fieldsOf(minimal({ grant_types: ['authorization_code', 'client_credentials'] }))).toEqual(['grant_types[1]']);
    expect(fieldsOf(minimal({ grant_types: ['authorization_code', 'urn:ietf:params:oauth:grant-type:jwt-bearer'] }))).toEqual(['grant_types[1]']);
    expect(fieldsOf(minimal({ grant_types: ['authorization_code', 'authorization_code'] }))).toEqual(['grant_types[1]']);
    expect(fieldsOf(minimal({ grant_types: 'authorization_code' }))).toEqual(['grant_types']);
    expect(fieldsOf(minimal({ grant_types: ['authorization_code', 1] }))).toEqual(['grant_types[1]']);
  });

  it('public clients may have refresh tokens', () => {
    expect(ok(minimal({ application_type: 'browser', grant_types: ['authorization_code', 'refresh_token'] })).grant_types).toContain('refresh_token');
  });

  it('validates scopes', () => {
    expect(ok(minimal({ scopes: ['openid'] })).scopes).toEqual(['openid']);
    expect(ok(minimal({ scopes: ['openid', 'profile', 'prefix:sub.scope'] })).scopes).toHaveLength(3);
    expect(errLines(minimal({ scopes: ['profile'] }))).toEqual(['scopes: must contain "openid"']);
    expect(fieldsOf(minimal({ scopes: ['openid', 'two words'] }))).toEqual(['scopes[1]']);
    expect(fieldsOf(minimal({ scopes: ['openid', ''] }))).toEqual(['scopes[1]']);
    expect(fieldsOf(minimal({ scopes: ['openid', 'openid'] }))).toEqual(['scopes[1]']);
    expect(fieldsOf(minimal({ scopes: 'openid profile' }))).toEqual(['scopes']);
  });

  it('sso_disabled is accepted but always stored as true', () => {
    expect(ok(minimal({ sso_disabled: false })).sso_disabled).toBe(true);
    expect(ok(minimal({ sso_disabled: true })).sso_disabled).toBe(true);
    expect(fieldsOf(minimal({ sso_disabled: 'false' }))).toEqual(['sso_disabled']);
  });

  it('validates code_challenge_method, and public clients must use S256', () => {
    expect(fieldsOf(minimal({ code_challenge_method: 'plain' }))).toEqual(['code_challenge_method']);
    expect(ok(minimal({ code_challenge_method: 'none' })).code_challenge_method).toBe('none');
    expect(fieldsOf(minimal({ application_type: 'browser', code_challenge_method: 'none' }))).toEqual(['code_challenge_method']);
    expect(fieldsOf(minimal({ application_type: 'native', code_challenge_method: 'none' }))).toEqual(['code_challenge_method']);
  });

  it('validates lifetimes', () => {
    for (const v of [0, -1, 1.5, '120', Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(fieldsOf(minimal({ access_token_lifetime: v }))).toEqual(['access_token_lifetime']);
    }
    expect(errLines(minimal({ access_token_lifetime: 7201 }))).toEqual(['access_token_lifetime: must not exceed authorization_lifetime (7201 > 7200)']);
    expect(errLines(minimal({ refresh_token_lifetime: 100, authorization_lifetime: 60, access_token_lifetime: 60 }))).toEqual([
      'refresh_token_lifetime: must not exceed authorization_lifetime (100 > 60)',
    ]);
    expect(ok(minimal({ access_token_lifetime: 7200, refresh_token_lifetime: 7200 })).access_token_lifetime).toBe(7200);
    // the default refresh lifetime (600) exceeds a short authorization lifetime
    expect(fieldsOf(minimal({ authorization_lifetime: 300 }))).toEqual(['refresh_token_lifetime']);
  });

  it('validates refresh_token_usage', () => {
    expect(fieldsOf(minimal({ refresh_token_usage: 'onetime' }))).toEqual(['refresh_token_usage']);
    expect(ok(minimal({ refresh_token_usage: 'REUSE' })).refresh_token_usage).toBe('REUSE');
  });

  it('validates booleans', () => {
    expect(fieldsOf(minimal({ frontchannel_logout_session_required: 'true' }))).toEqual(['frontchannel_logout_session_required']);
    expect(fieldsOf(minimal({ backchannel_logout_session_required: 1 }))).toEqual(['backchannel_logout_session_required']);
  });
});

describe('validateClientInput: redirect URIs', () => {
  it('requires a non-empty array', () => {
    expect(errLines(minimal({ redirect_uris: [] }))).toEqual(['redirect_uris: must not be empty']);
    expect(errLines(minimal({ redirect_uris: 'https://a.no/cb' }))).toEqual(['redirect_uris: must be an array (got string)']);
  });

  it.each([
    ['fag.example.no/callback', 'must be an absolute URL'],
    ['/callback', 'must be an absolute URL'],
    ['', 'must be an absolute URL'],
    ['https://fag.example.no/cb#frag', 'must not contain a fragment'],
    ['https://fag.example.no/cb#', 'must not contain a fragment'],
    ['https://user:pw@fag.example.no/cb', 'must not contain user credentials'],
    ['https://fag.example.no/c b', 'must be an absolute URL'],
    ['javascript:alert(1)', 'must be an http or https URL'],
    ['no.example.app:/callback', 'must be an http or https URL'],
  ])('rejects %j (%s) and names the index', (uri, msg) => {
    const e = errs(minimal({ redirect_uris: ['https://ok.example.no/cb', uri] }));
    expect(e).toHaveLength(1);
    expect(e[0]!.field).toBe('redirect_uris[1]');
    expect(e[0]!.message).toContain(msg);
  });

  it('names every bad element', () => {
    expect(fieldsOf(minimal({ redirect_uris: ['x', 'https://a.no/cb', 5, 'https://a.no/cb'] }))).toEqual([
      'redirect_uris[2]',
      'redirect_uris[3]',
    ]);
    expect(fieldsOf(minimal({ redirect_uris: ['x', 'y'] }))).toEqual(['redirect_uris[0]', 'redirect_uris[1]']);
  });

  it('keeps query strings and the exact string', () => {
    expect(ok(minimal({ redirect_uris: ['https://Fag.Example.no:8443/cb?x=1'] })).redirect_uris).toEqual(['https://Fag.Example.no:8443/cb?x=1']);
  });

  describe('outside production', () => {
    it.each(['http://localhost:3000/cb', 'http://127.0.0.1/cb', 'http://[::1]:8080/cb', 'http://fag.example.no/cb', 'https://localhost/cb'])(
      'allows %s for web clients',
      (uri) => {
        expect(ok(minimal({ redirect_uris: [uri] })).redirect_uris).toEqual([uri]);
      },
    );
  });

  describe('in production', () => {
    it.each(['http://fag.example.no/cb', 'http://localhost:3000/cb', 'http://127.0.0.1/cb', 'https://localhost/cb', 'https://127.0.0.1/cb'])(
      'rejects %s for web clients',
      (uri) => {
        expect(fieldsOf(minimal({ redirect_uris: [uri] }), PROD)).toEqual(['redirect_uris[0]']);
      },
    );

    it('the message says https is required', () => {
      expect(errLines(minimal({ redirect_uris: ['http://fag.example.no/cb'] }), PROD)).toEqual([
        'redirect_uris[0]: must use https in production ("http://fag.example.no/cb")',
      ]);
    });

    it.each(['http://127.0.0.1/cb', 'http://127.0.0.1:51234/cb', 'http://[::1]/cb', 'http://localhost:8080/cb'])('allows loopback %s for native clients', (uri) => {
      expect(ok(minimal({ application_type: 'native', redirect_uris: [uri] }), PROD).redirect_uris).toEqual([uri]);
    });

    it('rejects loopback for browser clients and non-loopback http for native clients', () => {
      expect(fieldsOf(minimal({ application_type: 'browser', redirect_uris: ['http://127.0.0.1/cb'] }), PROD)).toEqual(['redirect_uris[0]']);
      expect(fieldsOf(minimal({ application_type: 'native', redirect_uris: ['http://app.example.no/cb'] }), PROD)).toEqual(['redirect_uris[0]']);
      expect(fieldsOf(minimal({ application_type: 'native', redirect_uris: ['http://127.0.0.2/cb'] }), PROD)).toEqual(['redirect_uris[0]']);
    });

    it('applies the same rules to post_logout_redirect_uris', () => {
      expect(fieldsOf(minimal({ post_logout_redirect_uris: ['https://a.no/out', 'http://a.no/out'] }), PROD)).toEqual(['post_logout_redirect_uris[1]']);
      expect(ok(minimal({ post_logout_redirect_uris: ['http://a.no/out'] }), DEV).post_logout_redirect_uris).toEqual(['http://a.no/out']);
    });
  });

  it('post_logout_redirect_uris: type, fragment, duplicates', () => {
    expect(fieldsOf(minimal({ post_logout_redirect_uris: 'https://a.no/' }))).toEqual(['post_logout_redirect_uris']);
    expect(fieldsOf(minimal({ post_logout_redirect_uris: ['https://a.no/#x'] }))).toEqual(['post_logout_redirect_uris[0]']);
    expect(fieldsOf(minimal({ post_logout_redirect_uris: ['https://a.no/', 'https://a.no/'] }))).toEqual(['post_logout_redirect_uris[1]']);
  });
});

describe('validateClientInput: logout URIs', () => {
  it('front- and back-channel URIs must be in the registrable domain (eTLD+1) of a redirect URI', () => {
    const c = ok(minimal({
      redirect_uris: ['https://fag.example.no/callback', 'https://app.other.example/cb'],
      frontchannel_logout_uri: 'https://other.example/fcl',
      backchannel_logout_uri: 'https://fag.example.no:8443/bcl',
    }));
    expect(c.frontchannel_logout_uri).toBe('https://other.example/fcl');
    expect(c.backchannel_logout_uri).toBe('https://fag.example.no:8443/bcl');
    // another host in the same registrable domain, including the registrable domain itself
    expect(ok(minimal({ frontchannel_logout_uri: 'https://logout.example.no/fcl' })).frontchannel_logout_uri).toBe('https://logout.example.no/fcl');
    expect(ok(minimal({ backchannel_logout_uri: 'https://example.no/bcl' })).backchannel_logout_uri).toBe('https://example.no/bcl');
    expect(errLines(minimal({ frontchannel_logout_uri: 'https://evil.example.com/fcl' }))).toEqual([
      'frontchannel_logout_uri: host "evil.example.com" must be in the same registrable domain as one of the redirect_uris ("example.no")',
    ]);
    expect(fieldsOf(minimal({ backchannel_logout_uri: 'https://example.com/bcl' }))).toEqual(['backchannel_logout_uri']);
    expect(fieldsOf(minimal({ backchannel_logout_uri: 'https://fag.example.no.evil.com/bcl' }))).toEqual(['backchannel_logout_uri']);
  });

  it('a logout URI on a redirect URI\'s own host is accepted; a refusal names each registrable domain once, in order', () => {
    const redirect_uris = ['https://a.example.no/cb', 'https://app.other.example/cb', 'https://b.example.no/cb', 'https://a.example.no/cb2'];
    expect(ok(minimal({ redirect_uris, frontchannel_logout_uri: 'https://app.other.example/fcl' })).frontchannel_logout_uri).toBe('https://app.other.example/fcl');
    expect(ok(minimal({ redirect_uris, backchannel_logout_uri: 'https://b.example.no/bcl' })).backchannel_logout_uri).toBe('https://b.example.no/bcl');
    expect(errLines(minimal({ redirect_uris, backchannel_logout_uri: 'https://example.com/bcl' }))).toEqual([
      'backchannel_logout_uri: host "example.com" must be in the same registrable domain as one of the redirect_uris ("example.no", "other.example")',
    ]);
  });

  it('the registrable domain follows the Public Suffix List, private section included', () => {
    // kommune.no is a public suffix: two municipalities are two sites
    const kommune = { redirect_uris: ['https://app.oslo.kommune.no/cb'] };
    expect(ok(minimal({ ...kommune, backchannel_logout_uri: 'https://logout.oslo.kommune.no/bcl' })).backchannel_logout_uri).toBe('https://logout.oslo.kommune.no/bcl');
    expect(fieldsOf(minimal({ ...kommune, backchannel_logout_uri: 'https://bergen.kommune.no/bcl' }))).toEqual(['backchannel_logout_uri']);
    expect(fieldsOf(minimal({ ...kommune, backchannel_logout_uri: 'https://kommune.no/bcl' }))).toEqual(['backchannel_logout_uri']);
    // co.uk (ICANN) and github.io (private section) likewise
    expect(fieldsOf(minimal({ redirect_uris: ['https://a.example.co.uk/cb'], frontchannel_logout_uri: 'https://b.other.co.uk/fcl' }))).toEqual(['frontchannel_logout_uri']);
    expect(ok(minimal({ redirect_uris: ['https://a.example.co.uk/cb'], frontchannel_logout_uri: 'https://b.example.co.uk/fcl' })).frontchannel_logout_uri).toBe('https://b.example.co.uk/fcl');
    expect(fieldsOf(minimal({ redirect_uris: ['https://alice.github.io/cb'], frontchannel_logout_uri: 'https://mallory.github.io/fcl' }))).toEqual(['frontchannel_logout_uri']);
  });

  it('IP addresses and localhost need the very same host as a redirect URI', () => {
    const native = { application_type: 'native', token_endpoint_auth_method: 'none' };
    expect(ok(minimal({ ...native, redirect_uris: ['http://127.0.0.1/cb'], backchannel_logout_uri: 'http://127.0.0.1:9000/bcl' })).backchannel_logout_uri).toBe('http://127.0.0.1:9000/bcl');
    expect(fieldsOf(minimal({ ...native, redirect_uris: ['http://127.0.0.1/cb'], backchannel_logout_uri: 'http://[::1]/bcl' }))).toEqual(['backchannel_logout_uri']);
    expect(fieldsOf(minimal({ redirect_uris: ['https://10.0.0.1/cb'], frontchannel_logout_uri: 'https://10.0.0.2/fcl' }))).toEqual(['frontchannel_logout_uri']);
    expect(ok(minimal({ redirect_uris: ['https://[2001:db8::1]/cb'], frontchannel_logout_uri: 'https://[2001:db8::1]:8443/fcl' })).frontchannel_logout_uri).toBe('https://[2001:db8::1]:8443/fcl');
    expect(fieldsOf(minimal({ redirect_uris: ['https://[2001:db8::1]/cb'], frontchannel_logout_uri: 'https://[2001:db8::2]/fcl' }))).toEqual(['frontchannel_logout_uri']);
    expect(fieldsOf(minimal({ redirect_uris: ['http://localhost:3000/cb'], frontchannel_logout_uri: 'http://app.localhost/fcl' }))).toEqual(['frontchannel_logout_uri']);
    expect(ok(minimal({ redirect_uris: ['http://localhost:3000/cb'], frontchannel_logout_uri: 'http://localhost:4000/fcl' })).frontchannel_logout_uri).toBe('http://localhost:4000/fcl');
  });

  it('logout URIs must be absolute, without fragment, https in production', () => {
    expect(fieldsOf(minimal({ frontchannel_logout_uri: '/fcl' }))).toEqual(['frontchannel_logout_uri']);
    expect(fieldsOf(minimal({ frontchannel_logout_uri: 'https://fag.example.no/fcl#x' }))).toEqual(['frontchannel_logout_uri']);
    expect(fieldsOf(minimal({ backchannel_logout_uri: 'http://fag.example.no/bcl' }), PROD)).toEqual(['backchannel_logout_uri']);
    expect(fieldsOf(minimal({ backchannel_logout_uri: 42 }))).toEqual(['backchannel_logout_uri']);
  });

  it('does not add a host error when the redirect URIs are themselves invalid', () => {
    expect(fieldsOf(minimal({ redirect_uris: ['nope'], frontchannel_logout_uri: 'https://x.no/fcl' }))).toEqual(['redirect_uris[0]']);
  });

  it('backchannel_logout_session_required follows backchannel_logout_uri', () => {
    expect(ok(minimal({ backchannel_logout_uri: 'https://fag.example.no/bcl' })).backchannel_logout_session_required).toBe(true);
    expect(ok(minimal({ backchannel_logout_session_required: true })).backchannel_logout_session_required).toBe(false);
    expect(ok(minimal({ backchannel_logout_uri: 'https://fag.example.no/bcl', backchannel_logout_session_required: false })).backchannel_logout_session_required).toBe(true);
  });
});

describe('validateClientInput: jwks', () => {
  it('accepts up to 5 RSA keys and stamps created/last_updated', () => {
    const c = ok(minimal({ token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk(rsa1), jwk(rsa2, { kid: 'k2', alg: 'RS512' })] } }));
    expect(c.jwks).toEqual({ keys: [jwk(rsa1), jwk(rsa2, { kid: 'k2', alg: 'RS512' })], created: NOW_ISO, last_updated: NOW_ISO });
    const five = [1, 2, 3, 4, 5].map((i) => jwk(rsa1, { kid: `k.${i}_x-y` }));
    expect(ok(minimal({ jwks: { keys: five } })).jwks!.keys).toHaveLength(5);
  });

  it('accepts an empty key set and ignores given timestamps', () => {
    expect(ok(minimal({ jwks: { keys: [], created: 'x', last_updated: 'y' } })).jwks).toEqual({ keys: [], created: NOW_ISO, last_updated: NOW_ISO });
  });

  it('keeps x5c and other public members', () => {
    const k = jwk(rsa1, { x5c: ['MIIBIjAN+/=='], x5t: 'abc' });
    expect(ok(minimal({ jwks: { keys: [k] } })).jwks!.keys[0]).toEqual(k);
  });

  it('rejects more than 5 keys', () => {
    const six = [1, 2, 3, 4, 5, 6].map((i) => jwk(rsa1, { kid: `k${i}` }));
    expect(errLines(minimal({ jwks: { keys: six } }))).toEqual(['jwks.keys: must contain at most 5 keys (got 6)']);
  });

  it.each([
    [{ kty: 'EC' }, 'jwks.keys[0].kty'],
    [{ kty: undefined }, 'jwks.keys[0].kty'],
    [{ alg: 'ES256' }, 'jwks.keys[0].alg'],
    [{ alg: 'PS256' }, 'jwks.keys[0].alg'],
    [{ alg: undefined }, 'jwks.keys[0].alg'],
    [{ use: 'enc' }, 'jwks.keys[0].use'],
    [{ use: undefined }, 'jwks.keys[0].use'],
    [{ kid: undefined }, 'jwks.keys[0].kid'],
    [{ kid: 'has space' }, 'jwks.keys[0].kid'],
    [{ kid: 'a/b' }, 'jwks.keys[0].kid'],
    [{ kid: '' }, 'jwks.keys[0].kid'],
    [{ kid: 5 }, 'jwks.keys[0].kid'],
    [{ e: undefined }, 'jwks.keys[0].e'],
    [{ n: 'not base64url!' }, 'jwks.keys[0].n'],
    [{ n: 5 }, 'jwks.keys[0].n'],
    [{ d: 'abc' }, 'jwks.keys[0].d'],
    [{ x5c: 'abc' }, 'jwks.keys[0].x5c'],
    [{ x5c: [] }, 'jwks.keys[0].x5c'],
    [{ x5c: ['a_b-c'] }, 'jwks.keys[0].x5c[0]'],
  ])('rejects key member %j at %s', (patch, field) => {
    const k: Record<string, unknown> = jwk(rsa1);
    for (const [m, v] of Object.entries(patch)) {
      if (v === undefined) delete k[m];
      else k[m] = v;
    }
    expect(fieldsOf(minimal({ jwks: { keys: [k] } }))).toEqual([field]);
  });

  it('rejects a private key', () => {
    const k = { ...rsaPrivate, alg: 'RS256', use: 'sig', kid: 'p' };
    const f = fieldsOf(minimal({ jwks: { keys: [k] } }));
    expect(f).toEqual(expect.arrayContaining(['jwks.keys[0].d', 'jwks.keys[0].p', 'jwks.keys[0].q']));
  });

  it('rejects an EC key', () => {
    const f = fieldsOf(minimal({ jwks: { keys: [{ ...ec, alg: 'RS256', use: 'sig', kid: 'e' }] } }));
    expect(f).toContain('jwks.keys[0].kty');
  });

  it('rejects keys smaller than 2048 bits', () => {
    expect(errLines(minimal({ jwks: { keys: [jwk(rsaSmall)] } }))).toEqual(['jwks.keys[0].n: RSA modulus must be at least 2048 bits (got 1024)']);
  });

  it('rejects a structurally valid but unusable key', () => {
    expect(errLines(minimal({ jwks: { keys: [jwk(rsa1, { n: 'AAAA' })] } }))).toEqual([
      expect.stringMatching(/^jwks\.keys\[0\](\.n)?: /),
    ]);
  });

  it.each(['AA', 'Ag', 'AQ', 'AQAA'])('rejects the public exponent %s (0, 2, 1, 65536)', (e) => {
    expect(errLines(minimal({ jwks: { keys: [jwk(rsa1, { e })] } }))).toEqual(['jwks.keys[0].e: must be an odd RSA public exponent of at least 3']);
  });

  it('accepts exponent 3', () => {
    expect(ok(minimal({ jwks: { keys: [jwk(rsa1, { e: 'Aw' })] } })).jwks!.keys[0]!.e).toBe('Aw');
  });

  it('rejects duplicate kids', () => {
    expect(errLines(minimal({ jwks: { keys: [jwk(rsa1), jwk(rsa2)] } }))).toEqual(['jwks.keys[1].kid: duplicate kid "k1" (also jwks.keys[0])']);
  });

  it('rejects malformed key sets', () => {
    expect(fieldsOf(minimal({ jwks: [jwk(rsa1)] }))).toEqual(['jwks']);
    expect(fieldsOf(minimal({ jwks: {} }))).toEqual(['jwks.keys']);
    expect(fieldsOf(minimal({ jwks: { keys: 'x' } }))).toEqual(['jwks.keys']);
    expect(fieldsOf(minimal({ jwks: { keys: [], extra: 1 } }))).toEqual(['jwks.extra']);
    expect(fieldsOf(minimal({ jwks: { keys: ['x'] } }))).toEqual(['jwks.keys[0]']);
  });

  it('validateJwks can be used on its own', () => {
    const errors: FieldError[] = [];
    expect(validateJwks({ keys: [jwk(rsa1)] }, 'body', errors)).toEqual([jwk(rsa1)]);
    expect(errors).toEqual([]);
    expect(validateJwks({ keys: [jwk(rsa1, { use: 'enc' })] }, 'body', errors)).toBeUndefined();
    expect(errors).toEqual([{ field: 'body.keys[0].use', message: 'must be "sig" (got "enc")' }]);
  });
});

describe('validateClientInput: updates', () => {
  const LATER = NOW + 3600_000;
  const LATER_ISO = new Date(LATER).toISOString();

  it('keeps client_id and created, refreshes last_updated', () => {
    const existing = ok(minimal({ client_id: 'my-app' }));
    const c = ok(minimal({ client_name: 'Nytt navn' }), { production: false, now: LATER, existing });
    expect(c.client_id).toBe('my-app');
    expect(c.client_name).toBe('Nytt navn');
    expect(c.created).toBe(NOW_ISO);
    expect(c.last_updated).toBe(LATER_ISO);
  });

  it('client_id cannot change', () => {
    const existing = ok(minimal({ client_id: 'my-app' }));
    expect(errLines(minimal({ client_id: 'other' }), { ...DEV, existing })).toEqual(['client_id: cannot be changed (is "my-app")']);
    expect(ok(minimal({ client_id: 'my-app' }), { ...DEV, existing }).client_id).toBe('my-app');
  });

  it('is a full update: absent fields get defaults, not the old values', () => {
    const existing = ok(minimal({ scopes: ['openid'], description: 'old' }));
    const c = ok(minimal(), { ...DEV, existing });
    expect(c.scopes).toEqual(['openid', 'profile']);
    expect(c.description).toBe('');
  });

  it('keeps the existing key set (a sub-resource) when jwks is absent, and its timestamps when unchanged', () => {
    const existing = ok(minimal({ jwks: { keys: [jwk(rsa1)] } }));
    expect(ok(minimal(), { production: false, now: LATER, existing }).jwks).toEqual(existing.jwks);
    expect(ok(minimal({ jwks: { keys: [jwk(rsa1)] } }), { production: false, now: LATER, existing }).jwks).toEqual(existing.jwks);
    const replaced = ok(minimal({ jwks: { keys: [jwk(rsa2)] } }), { production: false, now: LATER, existing }).jwks;
    expect(replaced).toEqual({ keys: [jwk(rsa2)], created: LATER_ISO, last_updated: LATER_ISO });
  });

  it('keeps the active flag of the existing client', () => {
    const existing = { ...ok(minimal()), active: false };
    expect(ok(minimal(), { ...DEV, existing }).active).toBe(false);
  });
});

describe('validateClientInput: collects all errors', () => {
  it('reports every problem at once', () => {
    const e = fieldsOf({
      client_name: '',
      client_orgno: '123',
      application_type: 'browser',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['implicit'],
      scopes: ['profile'],
      redirect_uris: ['http://a.no/cb', 'https://a.no/cb#f'],
      access_token_lifetime: -5,
      refresh_token_usage: 'SOMETIMES',
      foo: 1,
    }, PROD);
    expect(e).toEqual(
      expect.arrayContaining([
        'foo',
        'client_name',
        'client_orgno',
        'token_endpoint_auth_method',
        'grant_types[0]',
        'grant_types',
        'scopes',
        'redirect_uris[0]',
        'redirect_uris[1]',
        'access_token_lifetime',
        'refresh_token_usage',
      ]),
    );
  });
});
