/** A provider without a server for the endpoint-module unit tests: stores, clients, keys, tokens. */
import { ClientRegistry } from '../../src/clients/client-registry.js';
import { CLIENT_DEFAULTS, type Client } from '../../src/clients/client-types.js';
import { ManualClock } from '../../src/core/clock.js';
import { randomId } from '../../src/core/random.js';
import type { ClientAuthDeps } from '../../src/oauth/client-auth/authenticate-client.js';
import { idTokenPayload, newRefreshToken, signAccessToken } from '../../src/oauth/token/issue-tokens.js';
import type { Grant, Stores } from '../../src/store/ports.js';
import { createSqliteStores } from '../../src/store/sqlite/sqlite-store.js';
import { KeyRotation } from '../../src/tokens/key-rotation.js';
import { SigningKeys } from '../../src/tokens/signing-keys.js';
import { pairwiseSubject } from '../../src/tokens/pairwise-subject.js';
import { Params } from '../../src/core/params.js';

export const ISSUER = 'https://op.example.test';
export const SALT = 'pairwise-salt-for-tests';
export const T0 = Date.UTC(2030, 0, 1, 12);

export function makeClient(over: Partial<Client> = {}): Client {
  return {
    ...CLIENT_DEFAULTS, grant_types: ['authorization_code', 'refresh_token'], scopes: ['openid', 'profile'],
    client_id: 'client-a', client_name: 'Client A', description: 'test', client_orgno: '310900001',
    redirect_uris: ['https://a.example.test/callback'], post_logout_redirect_uris: [],
    active: true, created: '2025-01-01T00:00:00.000Z', last_updated: '2025-01-01T00:00:00.000Z', ...over,
  };
}

/** A form body as the endpoints get it: repeated values as arrays, undefined ones left out. */
export function form(q: Record<string, string | string[] | undefined>): Params {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) for (const x of Array.isArray(v) ? v : [v]) sp.append(k, x);
  return Params.fromSearchParams(sp);
}

export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
export const secretOf = (id: string) => `secret-of-${id}-long-enough-0123456789`;

export interface Fixture {
  clock: ManualClock;
  stores: Stores;
  registry: ClientRegistry;
  keys: SigningKeys;
  auth: ClientAuthDeps;
  lookup(): { keys: SigningKeys; grants: Stores['grants']; issuer: string; nowMs: number; isClientActive(id: string): Promise<boolean> };
  /** Registers a client (with a secret for client_secret_* methods). */
  client(over: Partial<Client>): Promise<Client>;
  /** A grant with an access token, a refresh token and an id_token, as the token endpoint would issue them. */
  issue(client: Client, o?: { subjectRef?: string; sid?: string; authTime?: number; scope?: string }): Promise<{ grant: Grant; accessToken: string; refreshToken: string; idToken: string }>;
  close(): Promise<void>;
}

export async function fixture(): Promise<Fixture> {
  const clock = new ManualClock(T0);
  const stores = createSqliteStores(':memory:', clock);
  await new KeyRotation(stores.keys, clock).ensureKeys();
  const keys = new SigningKeys(stores.keys, clock);
  await keys.init();
  const registry = new ClientRegistry(stores.clients, clock);
  const issueDeps = { issuer: ISSUER, keys, grants: stores.grants, idTokenLifetime: 120, now: () => clock.now() };
  return {
    clock, stores, registry, keys,
    auth: { registry, replay: stores.ephemeral, issuer: ISSUER, now: () => clock.now() },
    lookup: () => ({ keys, grants: stores.grants, issuer: ISSUER, nowMs: clock.now(), isClientActive: async (id) => !!(await registry.getActive(id)) }),
    async client(over) {
      const c = makeClient(over);
      await registry.put(c, c.token_endpoint_auth_method.startsWith('client_secret') ? secretOf(c.client_id) : undefined);
      return c;
    },
    async issue(client, o = {}) {
      const now = clock.now();
      const grant: Grant = {
        id: randomId(16), clientId: client.client_id, sub: pairwiseSubject(SALT, client.client_id, o.subjectRef ?? 'person-1'),
        pid: '15895010046', scope: o.scope ?? 'openid profile', acr: 'substantial', amr: ['TestID'],
        authTime: o.authTime ?? Math.floor(now / 1000), sid: o.sid ?? 'sid-1', locale: 'nb', claims: {}, clientAmr: client.token_endpoint_auth_method,
        createdAt: now, expiresAt: now + client.authorization_lifetime * 1000, revoked: false,
      };
      const at = await signAccessToken(issueDeps, client, grant);
      const rt = newRefreshToken(issueDeps, client, grant);
      await stores.grants.createGrant(grant, { accessToken: at.record, refreshToken: rt.record });
      const idToken = await issueDeps.keys.sign(idTokenPayload(issueDeps, client, grant, undefined), 'JWT');
      return { grant, accessToken: at.token, refreshToken: rt.token, idToken };
    },
    close: () => stores.close(),
  };
}
