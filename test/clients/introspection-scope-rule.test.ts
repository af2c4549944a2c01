import { describe, expect, it } from 'vitest';
import { INTROSPECTION_SCOPE, introspectionScopeFailure, introspectionScopeProblem } from '../../src/clients/introspection-scope-rule.js';
import { ClientsFileError, parseClientsFile } from '../../src/clients/load-clients-file.js';
import type { TokenEndpointAuthMethod } from '../../src/clients/client-types.js';

const withScope = (m: TokenEndpointAuthMethod) => ({ scopes: ['openid', INTROSPECTION_SCOPE], token_endpoint_auth_method: m });

describe('introspection scope rule', () => {
  it('lets the provider grant it to confidential clients only', () => {
    for (const m of ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const) {
      expect(introspectionScopeProblem(withScope(m), { organisationCaller: false })).toBeUndefined();
    }
    expect(introspectionScopeProblem(withScope('none'), { organisationCaller: false })).toMatchObject({ status: 400, field: 'scopes' });
  });

  it('never lets an organisation grant it (403), but lets it keep a grant it already has', () => {
    expect(introspectionScopeProblem(withScope('client_secret_basic'), { organisationCaller: true })).toMatchObject({ status: 403, field: 'scopes' });
    expect(introspectionScopeProblem(withScope('client_secret_basic'), { organisationCaller: true, before: { scopes: ['openid'] } })).toMatchObject({ status: 403 });
    expect(introspectionScopeProblem(withScope('client_secret_basic'), { organisationCaller: true, before: { scopes: ['openid', INTROSPECTION_SCOPE] } })).toBeUndefined();
    // keeping it does not allow moving to a public method
    expect(introspectionScopeProblem(withScope('none'), { organisationCaller: true, before: { scopes: ['openid', INTROSPECTION_SCOPE] } })).toMatchObject({ status: 400 });
  });

  it('does not concern clients without the scope', () => {
    expect(introspectionScopeProblem({ scopes: ['openid'], token_endpoint_auth_method: 'none' }, { organisationCaller: true })).toBeUndefined();
    expect(introspectionScopeFailure({ scopes: ['openid'], token_endpoint_auth_method: 'none' }, { organisationCaller: true })).toBeUndefined();
  });

  it('answers the admin API with 403 access_denied or 400 invalid_client_metadata', () => {
    expect(introspectionScopeFailure(withScope('client_secret_basic'), { organisationCaller: true })).toMatchObject({ ok: false, status: 403, error: 'access_denied', errors: [{ field: 'scopes' }] });
    expect(introspectionScopeFailure(withScope('none'), { organisationCaller: false })).toMatchObject({ ok: false, status: 400, error: 'invalid_client_metadata', errors: [{ field: 'scopes' }] });
  });

  it('the clients file refuses it on a public client and accepts it on a confidential one', () => {
    const base = { client_id: 'c', client_name: 'C', client_orgno: '310900001', redirect_uris: ['https://c.example.test/cb'] };
    const ok = parseClientsFile([{ ...base, scopes: ['openid', INTROSPECTION_SCOPE], client_secret: 'a-secret-long-enough' }], 'clients.json', { production: false, now: 0 });
    expect(ok[0]!.client.scopes).toContain(INTROSPECTION_SCOPE);
    expect(() => parseClientsFile([{ ...base, application_type: 'browser', scopes: ['openid', INTROSPECTION_SCOPE] }], 'clients.json', { production: false, now: 0 }))
      .toThrow(ClientsFileError);
    try {
      parseClientsFile([{ ...base, application_type: 'browser', scopes: ['openid', INTROSPECTION_SCOPE] }], 'clients.json', { production: false, now: 0 });
    } catch (e) {
      expect((e as ClientsFileError).problems).toEqual([`[0] (client_id "c"): scopes: ${INTROSPECTION_SCOPE} requires a confidential client (token_endpoint_auth_method client_secret_basic, client_secret_post, private_key_jwt)`]);
    }
  });
});
