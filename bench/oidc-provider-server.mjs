// The comparison server for `npm run bench`: node-oidc-provider (a certified OpenID provider) with
// the same shape of login: code flow with PKCE S256, a login page with a form, an RS256 id_token,
// client_secret_basic at the token endpoint, consent granted in advance (as for a first-party
// client), the in-memory adapter. Its development interaction pages serve as the login form.
import { generateKeyPair, exportJWK } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const provider = new Provider(`http://localhost:${port}`, {
  clients: [{
    client_id: 'bench', client_secret: 'bench-secret-bench-secret-bench-secret',
    redirect_uris: ['https://bench.example.test/cb'], grant_types: ['authorization_code'], response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] },
  pkce: { required: () => true },
  findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, pid: sub, name: 'FIKTIV TESTPERSON' }) }),
  claims: { openid: ['sub'], profile: ['name', 'pid'] },
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile');
    await grant.save();
    return grant;
  },
  features: { devInteractions: { enabled: true } },
});
provider.listen(port, '127.0.0.1', () => console.log('issuer: ready'));
