import type { StoredClient } from '../clients/client-types.js';
import type { EmployerRule } from '../fixtures/fixture-types.js';
import type { ApiScope, ScopeAccess, ScopePrefix } from '../scopes/scope-types.js';

/**
 * Every kind of short-lived record, one namespace each. Code reaches a kind through a typed
 * handle (src/store/short-lived.ts), so a misspelt kind or a wrong record type is a compile error.
 */
export type ShortLivedKind =
  | 'session' | 'flow' | 'upstream-state' | 'par' | 'code' | 'code-used' | 'upstream-logout' | 'logout-confirm'
  | 'jti' | 'dpop-jti' | 'opaque-at' | 'admin-session' | 'admin-login' | 'demo' | 'lock'
  | 'rl-client-auth' | 'rl-authorize' | 'rl-flows-browser' | 'rl-flows-address' | 'rl-flows-total'
  | 'rl-admin-login-address' | 'rl-admin-login-total';

/**
 * Short-lived state with native expiry: browser sessions, authorization requests in progress,
 * PAR request URIs, codes, replay caches. Values are JSON-serialisable and come back untyped:
 * the typed handles of src/store/short-lived.ts are the way in.
 * Every operation that decides "first one wins" is atomic.
 */
export interface EphemeralStore {
  put(ns: ShortLivedKind, key: string, value: unknown, ttlSeconds: number): Promise<void>;
  get(ns: ShortLivedKind, key: string): Promise<unknown>;
  /** Atomically read and delete: of two concurrent callers, at most one gets the value. */
  take(ns: ShortLivedKind, key: string): Promise<unknown>;
  /** Store only if absent (or expired). True when this call stored it. */
  add(ns: ShortLivedKind, key: string, value: unknown, ttlSeconds: number): Promise<boolean>;
  delete(ns: ShortLivedKind, key: string): Promise<void>;
  /**
   * Atomically adds one to a counter and returns the new value; the counter starts at 1 with the
   * given lifetime, which later increments do not extend (a fixed window, for rate limits).
   */
  increment(ns: ShortLivedKind, key: string, ttlSeconds: number): Promise<number>;
  /**
   * Adds one to each counter as `increment` does, all together in one atomic step and one round
   * trip; the new values in the given order. A counter named twice counts twice (the window is then
   * the first one's). With `within`, its writes are made in the same step when every new value is
   * at most its counter's `max` (a counter without `max` never prevents them).
   */
  incrementAll(counters: readonly CounterIncrement[], within?: ShortLivedWrites): Promise<number[]>;
  /**
   * Deletes `remove` and stores `put` in one atomic step and one round trip. With `take`, that
   * record is taken first (as `take` does) and the rest is written only when it was there. Every
   * key named must differ. Answers whether the writes were made, and the taken value. With
   * `unless` (only together with `take`), nothing is taken or written while that counter (of
   * `increment`/`incrementAll`) is live at `atLeast` or more: the answer then says `refused`.
   */
  write(writes: ShortLivedWrites & { take?: ShortLivedKey; unless?: CounterLimit }): Promise<{ written: boolean; taken?: unknown; refused?: boolean }>;
  /** Live entries of one namespace (the active-sessions gauge); may be approximate. */
  count(ns: ShortLivedKind): Promise<number>;
}

/** One counter of {@link EphemeralStore.incrementAll}. */
export interface CounterIncrement {
  ns: ShortLivedKind;
  key: string;
  ttlSeconds: number;
  /** The highest value that lets the `within` writes be made. */
  max?: number;
}

/** A counter's bound for {@link EphemeralStore.write}: refused at `atLeast` or more. */
export interface CounterLimit {
  ns: ShortLivedKind;
  key: string;
  atLeast: number;
}

/** One short-lived record, by kind and key. */
export interface ShortLivedKey {
  ns: ShortLivedKind;
  key: string;
}

/** A record to store (as `put` does). */
export interface ShortLivedPut extends ShortLivedKey {
  value: unknown;
  ttlSeconds: number;
}

/** Records to delete and records to store, in one step ({@link EphemeralStore.write}). */
export interface ShortLivedWrites {
  remove?: readonly ShortLivedKey[];
  put?: readonly ShortLivedPut[];
}

export interface SigningKeyRecord {
  kid: string;
  alg: 'RS256';
  /** Private JWK (JSON). */
  privateJwk: Record<string, unknown>;
  publicJwk: Record<string, unknown>;
  /** next: published, not yet used; current: signs; retired: published until retireUntil. */
  state: 'next' | 'current' | 'retired';
  createdAt: number;
  activatedAt?: number;
  /** Retired keys stay published until this time (ms), then they are dropped. */
  publishUntil?: number;
}

export interface KeyStore {
  listSigningKeys(): Promise<SigningKeyRecord[]>;
  /** Insert if no key with this kid exists. */
  insertSigningKey(key: SigningKeyRecord): Promise<void>;
  updateSigningKey(kid: string, patch: Partial<Pick<SigningKeyRecord, 'state' | 'activatedAt' | 'publishUntil'>>): Promise<void>;
  deleteSigningKey(kid: string): Promise<void>;
  /** A named secret generated once per deployment (e.g. the pairwise subject salt). */
  getOrCreateSecret(name: string, create: () => string): Promise<string>;
}

export interface ClientStore {
  getClient(clientId: string): Promise<StoredClient | undefined>;
  listClients(opts?: { includeInactive?: boolean; orgno?: string }): Promise<StoredClient[]>;
  /** Insert or replace. */
  putClient(client: StoredClient): Promise<void>;
}

/** A grant: what one successful authorization produced; tokens hang off it. */
export interface Grant {
  id: string;
  clientId: string;
  sub: string;
  pid?: string;
  scope: string;
  acr: string;
  amr: string[];
  authTime: number; // seconds
  sid: string;
  locale: string;
  claims: Record<string, unknown>; // extra id_token/userinfo claims (names, email, groups)
  authorizationDetails?: unknown[];
  resource?: string;
  clientAmr: string;
  /**
   * RFC 7638 thumbprint of the DPoP key the grant's refresh tokens are bound to (public clients,
   * RFC 9449 §5); a refresh must then carry a proof made with that key.
   */
  dpopJkt?: string;
  createdAt: number; // ms
  expiresAt: number; // ms, absolute (authorization_lifetime)
  revoked: boolean;
}

export interface RefreshTokenRecord {
  grantId: string;
  /** Idle expiry in ms; REUSE tokens slide it on use. */
  expiresAt: number;
  used: boolean;
}

/** The token records one token response creates, written together (one commit). */
export interface IssuedTokenRecords {
  accessToken?: { jti: string; grantId: string; expiresAt: number };
  refreshToken?: { hash: string; rec: RefreshTokenRecord };
}

export interface GrantStore {
  /** Creates the grant, and with it the records of the tokens issued with it, in one transaction. */
  createGrant(grant: Grant, tokens?: IssuedTokenRecords): Promise<void>;
  /** Records tokens issued for an existing grant (refresh), in one transaction. */
  saveTokens(tokens: IssuedTokenRecords): Promise<void>;
  getGrant(id: string): Promise<Grant | undefined>;
  revokeGrant(id: string): Promise<void>;
  /** Revoke the grants of a browser session whose scopes are only openid/profile (logout). Returns ids. */
  revokeGrantsForLogout(sid: string): Promise<string[]>;
  putRefreshToken(hash: string, rec: RefreshTokenRecord): Promise<void>;
  getRefreshToken(hash: string): Promise<RefreshTokenRecord | undefined>;
  /** Atomically mark a refresh token used. True for the first caller only (ONETIME rotation). */
  markRefreshTokenUsed(hash: string): Promise<boolean>;
  touchRefreshToken(hash: string, expiresAt: number): Promise<void>;
  /** Access tokens are JWTs; their jti maps to a grant so they can be revoked and introspected. */
  putAccessToken(jti: string, grantId: string, expiresAt: number): Promise<void>;
  getAccessTokenGrant(jti: string): Promise<string | undefined>;
}

/** One administrative change, as recorded in the audit log. */
export interface AuditRecord {
  id: number;
  /** When (ms since the epoch). */
  at: number;
  /** Who made the change (e.g. an admin token's subject or "system"). */
  actor: string;
  /** What was done, e.g. "client.create", "key.rotate". */
  action: string;
  /** What it was done to, e.g. a client_id or kid. */
  target: string;
  /** JSON-serialisable state before and after the change, when relevant. */
  before?: unknown;
  after?: unknown;
}

/** Append-only audit log. */
export interface AuditStore {
  /** Records an entry; `at` defaults to the store's clock. */
  append(entry: Omit<AuditRecord, 'id' | 'at'> & { at?: number }): Promise<void>;
  /** The most recent entries, newest first (default limit 100). */
  list(opts?: { limit?: number }): Promise<AuditRecord[]>;
}

// --- employer rules (spec §9.8) -----------------------------------------------------------------

/**
 * A Virksomhetsbroen-style employer rule kept in the store (spec §9.8), editable through the
 * admin API. `name`/`unit_type` describe the organisation when the fixtures do not list it.
 */
export type StoredEmployerRule = EmployerRule & {
  id: string;
  name?: string;
  unit_type?: string;
  /** ISO 8601 times. */
  created: string;
  last_updated: string;
};

export interface EmployerRuleStore {
  /** Every rule (or those of one organisation), ordered by orgno, then created, then id. */
  list(opts?: { orgno?: string }): Promise<StoredEmployerRule[]>;
  get(id: string): Promise<StoredEmployerRule | undefined>;
  /** Insert or replace (by id). */
  put(rule: StoredEmployerRule): Promise<void>;
  /** True when a rule was deleted. */
  delete(id: string): Promise<boolean>;
}
// --- end employer rules ---------------------------------------------------------------------

// --- test data (test world) ------------------------------------------------------------------

/** The kinds of test data that can be added at run time (src/testworld/test-data.ts). */
export type TestDataKind = 'persons' | 'organizations' | 'roles' | 'rights' | 'access_packages' | 'work_accounts';

/** One test-data entry: a fixtures-format entry of `kind`, identified by its natural `key`. */
export interface TestDataEntry {
  kind: TestDataKind;
  /** e.g. the pid of a person, the orgno of an organisation, "<pid> <orgno> <role>" of a role. */
  key: string;
  /** The entry in the fixtures file's format. */
  data: Record<string, unknown>;
  /** ISO 8601 time. */
  created: string;
}

/** What {@link TestDataStore.changedSince} answers. */
export interface TestDataVersion {
  /** The store's version: every write changes it, in the same transaction as the write. */
  version: number;
  /** Every entry, as `list()` returns them; absent when the version is the one asked about. */
  entries?: TestDataEntry[];
}

export interface TestDataStore {
  /** Every entry (or those of one kind), ordered by kind, then created, then key. */
  list(kind?: TestDataKind): Promise<TestDataEntry[]>;
  /** Insert or replace (by kind and key). */
  put(entry: TestDataEntry): Promise<void>;
  /** True when an entry was deleted. */
  delete(kind: TestDataKind, key: string): Promise<boolean>;
  /**
   * The version, and every entry only when the version differs from `version`: one small query
   * while nothing changed. Whatever writes (this store object, another one, another process), the
   * version changes with the write's commit; entries are never older than the version they come with.
   */
  changedSince(version?: number): Promise<TestDataVersion>;
}
// --- end test data ----------------------------------------------------------------------------

// --- API scopes (spec §15.4) ------------------------------------------------------------------
/** API scopes, their prefixes and access lists; read on every request (no cache), so a change made anywhere applies at once. */
export interface ScopeStore {
  getScope(name: string): Promise<ApiScope | undefined>;
  /** Every scope (or those of one prefix / one owner), ordered by name. */
  listScopes(opts?: { prefix?: string; owner_orgno?: string }): Promise<ApiScope[]>;
  /** Insert or replace (by name). */
  putScope(scope: ApiScope): Promise<void>;
  /** Insert when no scope of that name exists; true when this call inserted it. */
  addScope(scope: ApiScope): Promise<boolean>;
  getPrefix(prefix: string): Promise<ScopePrefix | undefined>;
  /** Every prefix (or those of one owner), ordered by prefix. */
  listPrefixes(opts?: { owner_orgno?: string }): Promise<ScopePrefix[]>;
  /** Insert when the prefix is free; true when this call inserted it (first one wins). */
  addPrefix(prefix: ScopePrefix): Promise<boolean>;
  getAccess(scope: string, consumerOrgno: string): Promise<ScopeAccess | undefined>;
  /** Access entries of one scope and/or one consumer, ordered by scope, then consumer_orgno. */
  listAccess(opts?: { scope?: string; consumer_orgno?: string }): Promise<ScopeAccess[]>;
  /** Insert or replace (by scope and consumer_orgno). */
  putAccess(entry: ScopeAccess): Promise<void>;
}
// --- end API scopes ---------------------------------------------------------------------------

export interface Stores {
  ephemeral: EphemeralStore;
  keys: KeyStore;
  clients: ClientStore;
  grants: GrantStore;
  /** The audit log (every built-in adapter provides one). */
  audit?: AuditStore;
  /** Employer rules for ansattporten:orgno (every built-in durable adapter provides them). */
  employerRules?: EmployerRuleStore;
  /** Test data added at run time (every built-in durable adapter provides it). */
  testData?: TestDataStore;
  /** API scopes, prefixes and access lists (every built-in durable adapter provides them). */
  scopes?: ScopeStore;
  /** Readiness probe. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
