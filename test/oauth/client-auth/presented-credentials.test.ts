import { describe, expect, it } from 'vitest';
import { OAuthError } from '../../../src/core/oauth-error.js';
import { Params } from '../../../src/core/params.js';
import { JWT_BEARER_ASSERTION, presentedCredentials } from '../../../src/oauth/client-auth/presented-credentials.js';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`, 'utf8').toString('base64')}`;
const rawBasic = (decoded: string) => `Basic ${Buffer.from(decoded, 'utf8').toString('base64')}`;
const body = (q: string | Record<string, string | undefined> = {}) => Params.fromSearchParams(new URLSearchParams(
  typeof q === 'string' ? q : Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined),
));

function errorOf(fn: () => unknown): OAuthError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    const err = e as OAuthError;
    expect(err.delivery).toBe('json');
    return err;
  }
  throw new Error('expected an error');
}

function expectInvalidClient401(e: OAuthError) {
  expect(e.error).toBe('invalid_client');
  expect(e.status).toBe(401);
  expect(e.headers['WWW-Authenticate']).toMatch(/^Basic realm=/);
}

describe('presentedCredentials: client_secret_basic', () => {
  it('reads client id and secret from the Basic header', () => {
    expect(presentedCredentials(basic('client-a', 's3cret'), body())).toEqual({ method: 'client_secret_basic', clientId: 'client-a', secret: 's3cret' });
  });

  it('accepts the scheme name in any case and surrounding whitespace', () => {
    const token = Buffer.from('client-a:s3cret').toString('base64');
    for (const h of [`basic ${token}`, `BASIC ${token}`, `  Basic ${token}  `]) {
      expect(presentedCredentials(h, body())).toMatchObject({ method: 'client_secret_basic', clientId: 'client-a', secret: 's3cret' });
    }
  });

  it('form-url-decodes id and secret (RFC 6749 §2.3.1)', () => {
    const id = encodeURIComponent('client a:b');
    const secret = encodeURIComponent('p@ss:w+rd/%ø');
    expect(presentedCredentials(rawBasic(`${id}:${secret}`), body())).toMatchObject({ clientId: 'client a:b', secret: 'p@ss:w+rd/%ø' });
  });

  it('decodes + as a space, and %2B as a plus', () => {
    expect(presentedCredentials(rawBasic('my+client:a+b%2Bc'), body())).toMatchObject({ clientId: 'my client', secret: 'a b+c' });
  });

  it('splits at the first colon: a raw colon belongs to the secret', () => {
    expect(presentedCredentials(rawBasic('client-a:se:cr:et'), body())).toMatchObject({ clientId: 'client-a', secret: 'se:cr:et' });
  });

  it('accepts an empty secret as presented (it is checked later)', () => {
    expect(presentedCredentials(rawBasic('client-a:'), body())).toMatchObject({ clientId: 'client-a', secret: '' });
  });

  it('accepts a matching client_id in the body', () => {
    expect(presentedCredentials(basic('client-a', 's'), body({ client_id: 'client-a' }))).toMatchObject({ method: 'client_secret_basic', clientId: 'client-a' });
  });

  it('refuses a client_id in the body that differs from the Basic one', () => {
    const e = errorOf(() => presentedCredentials(basic('client-a', 's'), body({ client_id: 'client-b' })));
    expect(e.error).toBe('invalid_request');
    expect(e.description).toMatch(/does not match/);
  });

  it('compares the decoded id with the body client_id', () => {
    expect(presentedCredentials(rawBasic('client%20a:s'), body({ client_id: 'client a' }))).toMatchObject({ clientId: 'client a' });
  });
});

describe('presentedCredentials: malformed Authorization headers', () => {
  const malformed = {
    'a Bearer token': 'Bearer abc.def.ghi',
    'Basic without credentials': 'Basic',
    'Basic with an empty token': 'Basic ',
    'characters outside base64': 'Basic Y2xpZW50LWE6cw==!',
    'two tokens': 'Basic Y2xpZW50 LWE6cw==',
    'a Digest challenge': 'Digest username="a"',
    'an empty header': '',
  };
  for (const [what, header] of Object.entries(malformed)) {
    it(`refuses ${what} with invalid_client 401`, () => {
      expectInvalidClient401(errorOf(() => presentedCredentials(header, body({ client_id: 'client-a' }))));
    });
  }

  it('refuses credentials without a colon', () => {
    expectInvalidClient401(errorOf(() => presentedCredentials(rawBasic('client-a'), body())));
  });

  it('refuses invalid percent-encoding', () => {
    expectInvalidClient401(errorOf(() => presentedCredentials(rawBasic('client-a:%zz'), body())));
    expectInvalidClient401(errorOf(() => presentedCredentials(rawBasic('%E0%A4%A:s'), body())));
  });

  it('refuses an empty client id as missing client authentication', () => {
    expectInvalidClient401(errorOf(() => presentedCredentials(rawBasic(':secret'), body())));
  });
});

describe('presentedCredentials: client_secret_post', () => {
  it('reads client_id and client_secret from the body', () => {
    expect(presentedCredentials(undefined, body({ client_id: 'client-a', client_secret: 's3cret' }))).toEqual({ method: 'client_secret_post', clientId: 'client-a', secret: 's3cret' });
  });

  it('requires client_id', () => {
    const e = errorOf(() => presentedCredentials(undefined, body({ client_secret: 's3cret' })));
    expectInvalidClient401(e);
    expect(e.description).toMatch(/client_id/);
  });
});

describe('presentedCredentials: private_key_jwt', () => {
  it('reads the assertion', () => {
    expect(presentedCredentials(undefined, body({ client_id: 'client-a', client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: 'a.b.c' })))
      .toEqual({ method: 'private_key_jwt', clientId: 'client-a', assertion: 'a.b.c' });
  });

  it('the assertion type is the JWT bearer URN', () => {
    expect(JWT_BEARER_ASSERTION).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  });

  it('requires client_id together with the assertion', () => {
    const e = errorOf(() => presentedCredentials(undefined, body({ client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: 'a.b.c' })));
    expectInvalidClient401(e);
    expect(e.description).toMatch(/client_id/);
  });

  it('refuses a wrong or missing client_assertion_type', () => {
    for (const type of ['urn:ietf:params:oauth:client-assertion-type:saml2-bearer', 'jwt-bearer', '', undefined]) {
      const b: Record<string, string> = { client_id: 'client-a', client_assertion: 'a.b.c' };
      if (type !== undefined) b.client_assertion_type = type;
      const e = errorOf(() => presentedCredentials(undefined, body(b)));
      expect(e.error).toBe('invalid_request');
      expect(e.description).toMatch(/client_assertion_type/);
    }
  });

  it('refuses a client_assertion_type without an assertion', () => {
    for (const b of [{ client_id: 'client-a', client_assertion_type: JWT_BEARER_ASSERTION }, { client_id: 'client-a', client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: '' }]) {
      const e = errorOf(() => presentedCredentials(undefined, body(b)));
      expect(e.error).toBe('invalid_request');
      expect(e.description).toMatch(/client_assertion/);
    }
  });
});

describe('presentedCredentials: none', () => {
  it('is method none when only client_id is given', () => {
    expect(presentedCredentials(undefined, body({ client_id: 'client-a', code: 'x' }))).toEqual({ method: 'none', clientId: 'client-a' });
  });

  it('refuses a request that names no client at all (missing client authentication: 401)', () => {
    for (const b of [{}, { client_id: '' }, { grant_type: 'authorization_code', code: 'x' }]) {
      const e = errorOf(() => presentedCredentials(undefined, body(b)));
      expectInvalidClient401(e);
      expect(e.description).toMatch(/client_id/);
    }
  });
});

describe('presentedCredentials: more than one method', () => {
  const A = JWT_BEARER_ASSERTION;
  const cases: [string, string | undefined, Record<string, string>][] = [
    ['Basic + client_secret', basic('client-a', 's'), { client_id: 'client-a', client_secret: 's' }],
    ['Basic + client_assertion', basic('client-a', 's'), { client_id: 'client-a', client_assertion_type: A, client_assertion: 'a.b.c' }],
    ['client_secret + client_assertion', undefined, { client_id: 'client-a', client_secret: 's', client_assertion_type: A, client_assertion: 'a.b.c' }],
    ['all three', basic('client-a', 's'), { client_id: 'client-a', client_secret: 's', client_assertion_type: A, client_assertion: 'a.b.c' }],
  ];
  for (const [what, header, b] of cases) {
    it(`refuses ${what}`, () => {
      const e = errorOf(() => presentedCredentials(header, body(b)));
      expect(e.error).toBe('invalid_request');
      expect(e.description).toMatch(/more than one/);
    });
  }
});

describe('presentedCredentials: repeated parameters', () => {
  for (const name of ['client_id', 'client_secret', 'client_assertion', 'client_assertion_type']) {
    it(`refuses a repeated ${name}, even with the same value`, () => {
      const qs = new URLSearchParams({ client_id: 'client-a', client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: 'a.b.c' });
      if (name === 'client_secret') {
        qs.delete('client_assertion_type');
        qs.delete('client_assertion');
        qs.set('client_secret', 's');
      }
      qs.append(name, qs.get(name) ?? 'x');
      const e = errorOf(() => presentedCredentials(undefined, Params.fromSearchParams(qs)));
      expect(e.error).toBe('invalid_request');
      expect(e.description).toContain(name);
    });
  }
});

describe('presentedCredentials: private_key_jwt without client_id (RFC 7521 §4.2)', () => {
  const jwt = (claims: Record<string, unknown>) => `${Buffer.from('{"alg":"RS256","kid":"k"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

  it('takes the client from the assertion iss (= sub)', () => {
    const a = jwt({ iss: 'client-a', sub: 'client-a' });
    expect(presentedCredentials(undefined, body({ client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: a }))).toEqual({ method: 'private_key_jwt', clientId: 'client-a', assertion: a });
  });

  it('refuses iss ≠ sub, a missing iss, or a client_id naming another client (invalid_client, 401)', () => {
    for (const [claims, clientId] of [[{ iss: 'client-a', sub: 'client-b' }, undefined], [{ sub: 'client-a' }, undefined], [{ iss: 'client-a', sub: 'client-a' }, 'client-b']] as const) {
      expectInvalidClient401(errorOf(() => presentedCredentials(undefined, body({ client_id: clientId, client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: jwt(claims) }))));
    }
  });
});
