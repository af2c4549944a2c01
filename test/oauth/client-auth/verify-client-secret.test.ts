import { describe, expect, it } from 'vitest';
import { CLIENT_DEFAULTS, type Client, type StoredClient } from '../../../src/clients/client-types.js';
import { hashClientSecret } from '../../../src/clients/client-secret.js';
import { OAuthError } from '../../../src/core/oauth-error.js';
import { checkClientSecret } from '../../../src/oauth/client-auth/verify-client-secret.js';

const NOW = Date.UTC(2025, 5, 1);
const SECRET = 'a-long-client-secret-of-the-client-0123456789';

function makeClient(over: Partial<Client> = {}): Client {
  return {
    ...CLIENT_DEFAULTS, grant_types: ['authorization_code'], scopes: ['openid', 'profile'],
    client_id: 'client-a', client_name: 'Client A', description: 'test', client_orgno: '310900001',
    redirect_uris: ['https://a.example.test/callback'], post_logout_redirect_uris: [],
    active: true, created: '2025-01-01T00:00:00.000Z', last_updated: '2025-01-01T00:00:00.000Z', ...over,
  };
}

function stored(over: Partial<StoredClient> = {}): StoredClient {
  return { client: makeClient(), secret_hash: hashClientSecret(SECRET), secret_expires_at: NOW + 1000, ...over };
}

function refused(s: StoredClient, secret: string | undefined, now = NOW): OAuthError {
  try {
    checkClientSecret(s, secret, now);
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    const err = e as OAuthError;
    expect(err.error).toBe('invalid_client');
    expect(err.status).toBe(401);
    expect(err.delivery).toBe('json');
    expect(err.headers['WWW-Authenticate']).toMatch(/^Basic /);
    return err;
  }
  throw new Error('expected the secret to be refused');
}

describe('checkClientSecret', () => {
  it('accepts the right secret before it expires', () => {
    expect(() => checkClientSecret(stored(), SECRET, NOW)).not.toThrow();
    expect(() => checkClientSecret(stored(), SECRET, NOW + 999)).not.toThrow();
  });

  it('accepts the right secret when no expiry is recorded', () => {
    expect(() => checkClientSecret(stored({ secret_expires_at: undefined }), SECRET, NOW + 10 ** 12)).not.toThrow();
  });

  it('refuses a wrong secret', () => {
    for (const wrong of [`${SECRET}x`, SECRET.slice(0, -1), SECRET.toUpperCase(), '', ` ${SECRET}`, 'x']) refused(stored(), wrong);
  });

  it('refuses an absent secret', () => {
    refused(stored(), undefined);
  });

  it('refuses an expired secret, from the expiry instant on', () => {
    const s = stored();
    expect(refused(s, SECRET, NOW + 1000).description).toMatch(/expired/);
    expect(refused(s, SECRET, NOW + 10_000).description).toMatch(/expired/);
  });

  it('does not reveal that a secret has expired to someone with the wrong secret', () => {
    expect(refused(stored(), 'wrong', NOW + 10_000).description).not.toMatch(/expired/);
  });

  it('refuses any secret when the client has no secret hash', () => {
    refused(stored({ secret_hash: undefined }), SECRET);
    refused(stored({ secret_hash: '' }), SECRET);
    refused(stored({ secret_hash: undefined }), '');
  });

  it('refuses when the stored hash is malformed or of an unknown scheme', () => {
    const [, salt, hash] = stored().secret_hash!.split('$');
    refused(stored({ secret_hash: `md5$${salt}$${hash}` }), SECRET);
    refused(stored({ secret_hash: 'sha256$$' }), SECRET);
    refused(stored({ secret_hash: SECRET }), SECRET);
  });

  it('refuses overly long secrets without hashing them', () => {
    const long = 'x'.repeat(513);
    refused(stored({ secret_hash: hashClientSecret(long) }), long);
  });

  it('each hash is salted: the same secret hashes differently, both verify', () => {
    const h1 = hashClientSecret(SECRET);
    const h2 = hashClientSecret(SECRET);
    expect(h1).not.toBe(h2);
    expect(() => checkClientSecret(stored({ secret_hash: h1 }), SECRET, NOW)).not.toThrow();
    expect(() => checkClientSecret(stored({ secret_hash: h2 }), SECRET, NOW)).not.toThrow();
  });
});
