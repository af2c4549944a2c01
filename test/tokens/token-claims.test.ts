import { describe, expect, it } from 'vitest';
import { CLIENT_DEFAULTS, type Client } from '../../src/clients/client-types.js';
import type { Grant } from '../../src/store/ports.js';
import { accessTokenClaims, idTokenClaims, releasedPersonClaims } from '../../src/tokens/token-claims.js';

const ISSUER = 'https://test.ansattporten.example';
const IAT = 1_767_225_605;
const RAR = [{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:eksempel-tjeneste', authorized_parties: [] }];

function makeClient(over: Partial<Client> = {}): Client {
  return {
    ...CLIENT_DEFAULTS, grant_types: ['authorization_code'], scopes: ['openid', 'profile'],
    client_id: 'client-a', client_name: 'Client A', description: 'test', client_orgno: '999000111',
    redirect_uris: ['https://a.example.test/callback'], post_logout_redirect_uris: [],
    active: true, created: '2025-01-01T00:00:00.000Z', last_updated: '2025-01-01T00:00:00.000Z', ...over,
  };
}

function grant(over: Partial<Grant> = {}): Grant {
  return {
    id: 'g1', clientId: 'client-a', sub: 'pairwise-sub', pid: '15895010046', scope: 'openid profile', acr: 'substantial', amr: ['TestID'],
    authTime: 1_767_225_600, sid: 'sid-xyz', locale: 'nn',
    claims: { name: 'FIKTIV TESTPERSON', given_name: 'FIKTIV', family_name: 'TESTPERSON' },
    clientAmr: 'client_secret_post', createdAt: 0, expiresAt: 0, revoked: false, ...over,
  };
}

const id = (o: { client?: Client; grant?: Grant; nonce?: string } = {}) =>
  idTokenClaims({ issuer: ISSUER, client: o.client ?? makeClient(), grant: o.grant ?? grant(), nonce: o.nonce, iat: IAT, lifetime: 120, jti: 'jti-id' });
const at = (o: { client?: Client; grant?: Grant } = {}) =>
  accessTokenClaims({ issuer: ISSUER, client: o.client ?? makeClient(), grant: o.grant ?? grant(), iat: IAT, lifetime: 600, jti: 'jti-at' });

describe('idTokenClaims', () => {
  it('carries the standard claims of spec §8.1', () => {
    expect(id({ nonce: 'n-1' })).toEqual({
      iss: ISSUER, aud: 'client-a', sub: 'pairwise-sub', pid: '15895010046', acr: 'substantial', amr: ['TestID'],
      auth_time: 1_767_225_600, iat: IAT, exp: IAT + 120, jti: 'jti-id', nonce: 'n-1', locale: 'nn',
      name: 'FIKTIV TESTPERSON', given_name: 'FIKTIV', family_name: 'TESTPERSON',
    });
  });

  it('aud is the client_id as a single string', () => {
    expect(id({ client: makeClient({ client_id: 'other' }) }).aud).toBe('other');
  });

  it('has nonce only when the request had one (an empty nonce is still echoed)', () => {
    expect('nonce' in id()).toBe(false);
    expect(id({ nonce: '' }).nonce).toBe('');
  });

  it('has no pid when the login has none (Entra ID)', () => {
    expect('pid' in id({ grant: grant({ pid: undefined }) })).toBe(false);
  });

  describe('sid', () => {
    it('is absent for a client without logout session registration', () => {
      expect('sid' in id()).toBe(false);
    });
    it('is present with frontchannel_logout_session_required', () => {
      expect(id({ client: makeClient({ frontchannel_logout_session_required: true }) }).sid).toBe('sid-xyz');
    });
    it('is present with backchannel_logout_session_required', () => {
      expect(id({ client: makeClient({ backchannel_logout_session_required: true }) }).sid).toBe('sid-xyz');
    });
    it('is not granted by a front-channel logout URI alone', () => {
      expect('sid' in id({ client: makeClient({ frontchannel_logout_uri: 'https://a.example.test/fcl' }) })).toBe(false);
    });
  });

  describe('names', () => {
    it('are released only with the profile scope', () => {
      const c = id({ grant: grant({ scope: 'openid' }) });
      expect('name' in c).toBe(false);
      expect('given_name' in c).toBe(false);
      expect('family_name' in c).toBe(false);
    });
    it('need the exact profile scope', () => {
      expect('name' in id({ grant: grant({ scope: 'openid profiles' }) })).toBe(false);
    });
    it('release only names that exist and are strings', () => {
      const c = id({ grant: grant({ claims: { given_name: 'KARI', family_name: 42 } }) });
      expect(c.given_name).toBe('KARI');
      expect('family_name' in c).toBe(false);
      expect('name' in c).toBe(false);
    });
  });

  it('carries email and groups from Entra ID logins regardless of profile', () => {
    const g = grant({ scope: 'openid', acr: 'entraid', pid: undefined, claims: { email: 'kari@example.no', groups: ['g-1', 'g-2'] } });
    const c = id({ grant: g });
    expect(c.email).toBe('kari@example.no');
    expect(c.groups).toEqual(['g-1', 'g-2']);
    expect(c.acr).toBe('entraid');
  });

  it('carries authorization_details when the grant has them', () => {
    expect(id({ grant: grant({ authorizationDetails: RAR }) }).authorization_details).toEqual(RAR);
    expect('authorization_details' in id()).toBe(false);
  });

  it('never carries at_hash, client_amr or consumer', () => {
    const c = id({ client: makeClient({ frontchannel_logout_session_required: true }), nonce: 'n' });
    for (const k of ['at_hash', 'client_amr', 'consumer', 'scope', 'client_id', 'clm']) expect(k in c).toBe(false);
  });
});

describe('accessTokenClaims', () => {
  it('carries the claims of spec §8.3', () => {
    expect(at({ grant: grant({ resource: 'https://api.example.no' }) })).toEqual({
      iss: ISSUER, aud: 'https://api.example.no', sub: 'pairwise-sub', client_id: 'client-a', client_amr: 'client_secret_post',
      consumer: { authority: 'iso6523-actorid-upis', ID: '0192:999000111' },
      scope: 'openid profile', acr: 'substantial', amr: ['TestID'], pid: '15895010046',
      clm: ['given_name', 'family_name'], iat: IAT, exp: IAT + 600, jti: 'jti-at',
    });
  });

  it('has aud only when a resource was requested (absent, not "unspecified")', () => {
    expect('aud' in at()).toBe(false);
    expect(at({ grant: grant({ resource: 'urn:altinn:api' }) }).aud).toBe('urn:altinn:api');
  });

  it('consumer comes from client_orgno', () => {
    expect(at({ client: makeClient({ client_orgno: '310900001' }) }).consumer).toEqual({ authority: 'iso6523-actorid-upis', ID: '0192:310900001' });
  });

  it('supplier only when the client has a supplier_orgno', () => {
    expect('supplier' in at()).toBe(false);
    expect(at({ client: makeClient({ supplier_orgno: '310900002' }) }).supplier).toEqual({ authority: 'iso6523-actorid-upis', ID: '0192:310900002' });
  });

  it('client_amr is the method the client authenticated with', () => {
    expect(at({ grant: grant({ clientAmr: 'private_key_jwt' }) }).client_amr).toBe('private_key_jwt');
  });

  describe('clm', () => {
    it('lists the name claims userinfo may release, with profile', () => {
      expect(at().clm).toEqual(['given_name', 'family_name']);
    });
    it('is absent without profile', () => {
      expect('clm' in at({ grant: grant({ scope: 'openid' }) })).toBe(false);
    });
    it('is absent when the eID gave no given/family name', () => {
      expect('clm' in at({ grant: grant({ claims: { name: 'ONLY FULL NAME' } }) })).toBe(false);
    });
    it('lists only the names that exist', () => {
      expect(at({ grant: grant({ claims: { family_name: 'NORDMANN' } }) }).clm).toEqual(['family_name']);
    });
  });

  it('never carries the names themselves, nonce, sid or auth_time', () => {
    const c = at({ client: makeClient({ frontchannel_logout_session_required: true }) });
    for (const k of ['name', 'given_name', 'family_name', 'email', 'nonce', 'sid', 'auth_time', 'locale']) expect(k in c).toBe(false);
  });

  it('has no pid when the login has none', () => {
    expect('pid' in at({ grant: grant({ pid: undefined }) })).toBe(false);
  });

  it('carries authorization_details when the grant has them', () => {
    expect(at({ grant: grant({ authorizationDetails: RAR }) }).authorization_details).toEqual(RAR);
    expect('authorization_details' in at()).toBe(false);
  });
});

describe('releasedPersonClaims', () => {
  it('is empty for a grant without profile and without Entra claims', () => {
    expect(releasedPersonClaims(grant({ scope: 'openid' }))).toEqual({});
  });
  it('ignores groups that are not an array', () => {
    expect(releasedPersonClaims(grant({ scope: 'openid', claims: { groups: 'g-1' } }))).toEqual({});
  });
});
