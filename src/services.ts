import { systemClock, type Clock } from './core/clock.js';
import { randomId } from './core/random.js';
import type { Config } from './config/config.js';
import { ClientRegistry } from './clients/client-registry.js';
import type { Client } from './clients/client-types.js';
import { loadClientsFile } from './clients/load-clients-file.js';
import { applyClientsFile } from './clients/apply-clients-file.js';
import { validateClientInput } from './clients/validation/validate-client.js';
import type { Eid } from './eid/eid.js';
import { createEids } from './eid/eid-registry.js';
import { ConfigError } from './config/config.js';
import { loadCertificateTrust } from './oauth/client-auth/load-certificate-trust.js';
import type { CertificateTrust } from './oauth/client-auth/certificate-trust.js';
import type { Fixtures } from './fixtures/fixture-types.js';
import { loadFixturesFile } from './fixtures/load-fixtures.js';
import type { Acr } from './oauth/authorize/authorization-request.js';
import { AltinnAuthorisationSource } from './representation/altinn-source.js';
import type { AuthorisationSource } from './representation/authorisation-source.js';
import { CompositeAuthorisationSource } from './representation/composite-source.js';
import { FixtureAuthorisationSource } from './representation/fixture-source.js';
import { SessionService } from './session/session-service.js';
import { TestWorld } from './testworld/test-data.js';
import type { ShortLivedKind, Stores } from './store/ports.js';
import { createStores } from './store/create-stores.js';
import { SigningKeys } from './tokens/signing-keys.js';
import { KeyRotation, rotationPolicyFrom } from './tokens/key-rotation.js';
import { protectSigningKeys } from './tokens/key-encryption.js';
import { safeFetch } from './net/safe-fetch.js';
import type { FailureLimit } from './oauth/client-auth/auth-failure-limit.js';
import { ScopeRegistry } from './scopes/scope-registry.js';
import { MemoryScopeStore } from './store/memory/memory-scope-store.js';
import type { FixedWindowLimit } from './oauth/limits/fixed-window-limit.js';

export const DEMO_CLIENT_ID = 'demo-client';

/** Everything the HTTP layer needs, built once at start (the composition root). */
export interface Services {
  config: Config;
  clock: Clock;
  stores: Stores;
  keys: SigningKeys;
  rotation: KeyRotation;
  /** Stops the background timers (key checks). */
  stop(): void;
  registry: ClientRegistry;
  sessions: SessionService;
  fixtures: Fixtures;
  /** The fixtures plus the test data in the store (read on every call). */
  testWorld: TestWorld;
  source: AuthorisationSource;
  resourceNames: { resourceName(id: string): string | undefined };
  /** The eIDs of this deployment, in the selector's order (src/eid/eid-registry.ts). */
  eids: Eid[];
  supportedAcr: Set<Acr>;
  pairwiseSalt: string;
  demoSecret?: string;
  cookieNames: { session: string; browser: string; lang: string };
  clientAuthFailureLimit: FailureLimit;
  /** API scopes, prefixes and access lists (spec §15.4), read from the store on every use. */
  scopes: ScopeRegistry;
  /** Bounds on what unauthenticated requests can make the provider store (src/oauth/limits/). */
  limits: RequestLimits;
  /** Trust store for business certificates in client assertions (none configured: x5c refused). */
  clientCertificates?: CertificateTrust;
}

export interface RequestLimits {
  /** /authorize and /par per client address. */
  authorizationRequests: FixedWindowLimit;
  /** Logins in progress started per browser, per address and in total within a flow lifetime. */
  flowsPerBrowser: FixedWindowLimit;
  flowsPerAddress: FixedWindowLimit;
  flowsTotal: FixedWindowLimit;
  /** Admin login forms (pre-login state) per address and in total. */
  adminLoginsPerAddress: FixedWindowLimit;
  adminLoginsTotal: FixedWindowLimit;
}

async function loadClientCertificates(config: Config): Promise<CertificateTrust | undefined> {
  try {
    return await loadCertificateTrust(config.client_certificates);
  } catch (e) {
    throw new ConfigError(`client_certificates: ${(e as Error).message}`);
  }
}

export interface ServiceOptions {
  clock?: Clock;
  stores?: Stores;
}

export async function createServices(config: Config, opts: ServiceOptions = {}): Promise<Services> {
  const clock = opts.clock ?? systemClock;
  // Read before anything is started, so a bad file stops the start cleanly.
  const clientCertificates = await loadClientCertificates(config);
  const stores = opts.stores ?? (await createStores(config, clock));
  const fixtures = loadFixturesFile(config.fixturesFile);
  const keyStore = protectSigningKeys(stores, config);

  const rotation = new KeyRotation(stores.keys, clock, rotationPolicyFrom(config.keys));
  await ensureKeysOnce(stores, rotation, () => keyStore.migrate());
  const keys = new SigningKeys(stores.keys, clock);
  await keys.init();
  // Every instance re-reads the shared keys, so a rotation made anywhere (another instance, the CLI) is seen here.
  const keyTimer = setInterval(() => {
    void (async () => {
      if (await stores.ephemeral.add('lock', 'key-rotation', 1, Math.max(1, config.keys.check_interval_seconds - 1))) await rotation.maybeRotate();
      await keys.reload();
    })().catch((e) => console.error('ansattporten: key rotation check failed:', (e as Error).message));
  }, config.keys.check_interval_seconds * 1000);
  keyTimer.unref();
  const pairwiseSalt = await stores.keys.getOrCreateSecret('pairwise_salt', () => randomId(32));
  const registry = new ClientRegistry(stores.clients, clock);
  const scopes = new ScopeRegistry(stores.scopes ?? new MemoryScopeStore(), clock);
  for (const w of await scopes.seed(fixtures)) console.warn(`ansattporten: ${config.fixturesFile}: ${w}`);

  if (config.clientsFile) {
    // Every scope a client lists must exist and be available to its organisation (spec §15.4).
    const entries = loadClientsFile(config.clientsFile, { production: config.production, now: clock.now(), scopeFacts: await scopes.snapshot() });
    await applyClientsFile(entries, { registry, keys: stores.keys, clock, ...(stores.audit ? { audit: stores.audit } : {}) });
  }
  let demoSecret: string | undefined;
  if (config.demoEnabled) {
    demoSecret = await stores.keys.getOrCreateSecret('demo_client_secret', () => randomId(32));
    await registry.put(demoClient(config, clock.now()), demoSecret);
  }

  const testWorld = new TestWorld(fixtures, stores.testData);
  const fixtureSource = new FixtureAuthorisationSource(fixtures, testWorld);
  let source: AuthorisationSource = fixtureSource;
  const as = config.authorization_source;
  if (as.type === 'altinn') {
    source = new AltinnAuthorisationSource({
      baseUrl: as.base_url, timeoutMs: as.timeout_ms, headers: as.headers,
      ...(config.production ? { fetch: safeFetch } : {}), // the address policy of src/net/safe-fetch.ts
      resourceNames: (id) => fixtureSource.resourceName(id),
    });
  }
  // ansattporten:orgno: the fixtures' employer rules plus the stored ones (read on every login), whatever the source.
  source = new CompositeAuthorisationSource({ delegate: source, fixtures, ...(stores.employerRules ? { store: stores.employerRules } : {}) });

  const eids = createEids(config, clock, testWorld);
  const supportedAcr = new Set<Acr>(eids.flatMap((e) => e.acr));

  const prefix = config.secureCookies ? '__Host-' : '';
  return {
    scopes, config, clock, stores, keys, rotation, stop: () => clearInterval(keyTimer), registry, fixtures, testWorld, source, resourceNames: fixtureSource, eids, supportedAcr, pairwiseSalt, demoSecret,
    sessions: new SessionService(stores.ephemeral, clock, {
      absoluteMs: config.session.absolute_minutes * 60_000,
      idleMs: config.session.idle_minutes * 60_000,
    }),
    clientCertificates,
    clientAuthFailureLimit: {
      store: stores.ephemeral, maxFailures: config.rate_limits.client_auth_failures, windowSeconds: config.rate_limits.window_seconds,
    },
    limits: requestLimits(config, stores),
    cookieNames: {
      session: `${prefix}${config.session.cookie_name}`,
      browser: `${prefix}ansattporten_browser`,
      lang: `${prefix}ansattporten_lang`,
    },
  };
}

function requestLimits(config: Config, stores: Stores): RequestLimits {
  const r = config.rate_limits;
  const flowWindow = config.lifetimes.login_flow_seconds;
  const limit = (ns: ShortLivedKind, max: number, windowSeconds: number): FixedWindowLimit => ({ store: stores.ephemeral, ns, max, windowSeconds });
  return {
    authorizationRequests: limit('rl-authorize', r.authorization_requests_per_minute, 60),
    flowsPerBrowser: limit('rl-flows-browser', r.login_flows_per_browser, flowWindow),
    flowsPerAddress: limit('rl-flows-address', r.login_flows_per_address, flowWindow),
    flowsTotal: limit('rl-flows-total', r.login_flows_total, flowWindow),
    adminLoginsPerAddress: limit('rl-admin-login-address', r.login_flows_per_address, 30 * 60),
    adminLoginsTotal: limit('rl-admin-login-total', r.login_flows_total, 30 * 60),
  };
}

/**
 * Instances starting at once on an empty store would each generate their own first keys (and
 * publish different JWKS until the next reload): one at a time creates them, the others wait for
 * the lock and then find them. A lock left by a crashed instance expires after 30 s.
 */
async function ensureKeysOnce(stores: Stores, rotation: KeyRotation, migrate: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 30_000;
  let held = false;
  for (;;) {
    held = await stores.ephemeral.add('lock', 'key-init', 1, 30);
    if (held || Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    await migrate(); // encrypt keys stored in the clear; a wrong key-encryption key fails here
    await rotation.ensureKeys();
  } finally {
    if (held) await stores.ephemeral.delete('lock', 'key-init');
  }
}

/** The built-in demo client, registered on every start outside production. */
function demoClient(config: Config, now: number): Client {
  const res = validateClientInput({
    client_id: DEMO_CLIENT_ID,
    client_name: 'Ansattporten demo client',
    description: 'Built-in demo client: performs a real login and shows the tokens.',
    client_orgno: '310900001',
    integration_type: 'ansattporten',
    application_type: 'web',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token'],
    scopes: ['openid', 'profile'],
    redirect_uris: [`${config.issuer}/demo/callback`],
    post_logout_redirect_uris: [`${config.issuer}/demo`],
    frontchannel_logout_uri: `${config.issuer}/demo/frontchannel-logout`,
    frontchannel_logout_session_required: true,
    access_token_lifetime: 600,
  }, { production: config.production, now });
  if (!res.ok) throw new Error(`demo client invalid: ${JSON.stringify(res.errors)}`);
  return res.client;
}
