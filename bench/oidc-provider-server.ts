// The comparison server for `npm run bench`: node-oidc-provider (a certified OpenID provider) with
// the same shape of login: code flow with PKCE S256, a login page with a form, an RS256 id_token,
// client_secret_basic at the token endpoint, consent granted in advance (as for a first-party
// client). Its development interaction pages serve as the login form. Storage: its default
// in-memory adapter, or Redis (bench/oidc-provider-redis-adapter.ts) when REDIS_URL is set.
// Lifetimes are short (BENCH_SESSION_SECONDS) so that the memory benchmark sees sessions expire.
// The signing key is kept in BENCH_REF_KEY_FILE so a restart starts with an existing key, as ours does.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';
import { connectRedis, redisAdapterFactory } from './oidc-provider-redis-adapter.js';

const port = Number(process.env.PORT);
const keyFile = process.env.BENCH_REF_KEY_FILE;
let jwk: JWK;
if (keyFile && existsSync(keyFile)) {
  jwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
} else {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  jwk = { ...(await exportJWK(privateKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  if (keyFile) writeFileSync(keyFile, JSON.stringify(jwk));
}
const ttl = Number(process.env.BENCH_SESSION_SECONDS ?? 3600);

let adapter: Configuration['adapter'];
if (process.env.REDIS_URL) {
  const client = await connectRedis(process.env.REDIS_URL);
  adapter = redisAdapterFactory(client, `${process.env.REDIS_PREFIX ?? 'oidc-bench'}:`);
}

const provider = new Provider(`http://localhost:${port}`, {
  ...(adapter ? { adapter } : {}),
  clients: [{
    client_id: 'bench', client_secret: 'bench-secret-bench-secret-bench-secret',
    redirect_uris: ['https://bench.example.test/cb'], grant_types: ['authorization_code'], response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [jwk] },
  pkce: { required: () => true },
  findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, pid: sub, name: 'FIKTIV TESTPERSON' }) }),
  claims: { openid: ['sub'], profile: ['name', 'pid'] },
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
    grant.addOIDCScope('openid profile');
    await grant.save();
    return grant;
  },
  ttl: { Session: ttl, Interaction: Math.min(ttl, 3600), Grant: ttl, AuthorizationCode: 60, AccessToken: Math.min(ttl, 3600), IdToken: Math.min(ttl, 3600) },
  features: { devInteractions: { enabled: true } },
});
provider.listen(port, '127.0.0.1', () => console.log('issuer: ready'));
