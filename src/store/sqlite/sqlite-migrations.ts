import { SQLITE_SCOPE_MIGRATION } from './sqlite-scope-store.js';

/** Versioned schema migrations for the embedded store; applied in order, each exactly once. */
export const SQLITE_MIGRATIONS: string[] = [
  `
  CREATE TABLE ephemeral (ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (ns, key)) WITHOUT ROWID;
  CREATE INDEX ephemeral_expiry ON ephemeral (expires_at);
  CREATE TABLE signing_keys (kid TEXT PRIMARY KEY, alg TEXT NOT NULL, private_jwk TEXT NOT NULL, public_jwk TEXT NOT NULL,
    state TEXT NOT NULL, created_at INTEGER NOT NULL, activated_at INTEGER, publish_until INTEGER);
  CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE clients (client_id TEXT PRIMARY KEY, data TEXT NOT NULL);
  CREATE TABLE grants (id TEXT PRIMARY KEY, client_id TEXT NOT NULL, sid TEXT NOT NULL, scope TEXT NOT NULL, data TEXT NOT NULL,
    expires_at INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
  CREATE INDEX grants_sid ON grants (sid);
  CREATE TABLE refresh_tokens (hash TEXT PRIMARY KEY, grant_id TEXT NOT NULL, expires_at INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0);
  CREATE INDEX refresh_tokens_grant ON refresh_tokens (grant_id);
  CREATE TABLE access_tokens (jti TEXT PRIMARY KEY, grant_id TEXT NOT NULL, expires_at INTEGER NOT NULL);
  CREATE INDEX access_tokens_expiry ON access_tokens (expires_at);
  `,
  `
  CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    target TEXT NOT NULL, before TEXT, after TEXT);
  `,
  // 3: employer rules for ansattporten:orgno (spec §9.8)
  `
  CREATE TABLE employer_rules (id TEXT PRIMARY KEY, orgno TEXT NOT NULL, created TEXT NOT NULL, data TEXT NOT NULL);
  CREATE INDEX employer_rules_orgno ON employer_rules (orgno, created, id);
  `,
  // 4: test data added at run time (src/store/sqlite/sqlite-testdata-store.ts)
  `
  CREATE TABLE testdata (kind TEXT NOT NULL, key TEXT NOT NULL, created TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, key));
  `,
  // 5: API scopes, prefixes and access lists (spec §15.4)
  SQLITE_SCOPE_MIGRATION,
  // 6: the test data's version, changed by every write to testdata in the writing transaction
  // (triggers, so writers need not know), read on every login (src/store/sqlite/sqlite-testdata-store.ts)
  `
  CREATE TABLE testdata_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
  INSERT INTO testdata_version (id, version) VALUES (1, 0);
  CREATE TRIGGER testdata_version_insert AFTER INSERT ON testdata BEGIN UPDATE testdata_version SET version = version + 1 WHERE id = 1; END;
  CREATE TRIGGER testdata_version_update AFTER UPDATE ON testdata BEGIN UPDATE testdata_version SET version = version + 1 WHERE id = 1; END;
  CREATE TRIGGER testdata_version_delete AFTER DELETE ON testdata BEGIN UPDATE testdata_version SET version = version + 1 WHERE id = 1; END;
  `,
];
