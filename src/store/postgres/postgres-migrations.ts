import { POSTGRES_SCOPE_MIGRATION } from './postgres-scope-store.js';

/**
 * Versioned schema migrations for the PostgreSQL store; applied in order, each exactly once
 * (version = index + 1). Append new elements; never edit one that has shipped.
 *
 * Times that the application compares against its Clock are stored as epoch milliseconds
 * (bigint), exactly like the SQLite store, so tests can move time.
 */
export const POSTGRES_MIGRATIONS: string[] = [
  `
  CREATE TABLE ephemeral (ns text NOT NULL, key text NOT NULL, value text NOT NULL, expires_at bigint NOT NULL, PRIMARY KEY (ns, key));
  CREATE INDEX ephemeral_expiry ON ephemeral (expires_at);
  CREATE TABLE signing_keys (kid text PRIMARY KEY, alg text NOT NULL, private_jwk jsonb NOT NULL, public_jwk jsonb NOT NULL,
    state text NOT NULL, created_at bigint NOT NULL, activated_at bigint, publish_until bigint);
  CREATE TABLE secrets (name text PRIMARY KEY, value text NOT NULL);
  CREATE TABLE clients (client_id text PRIMARY KEY, data jsonb NOT NULL);
  CREATE TABLE grants (id text PRIMARY KEY, client_id text NOT NULL, sid text NOT NULL, scope text NOT NULL, data jsonb NOT NULL,
    expires_at bigint NOT NULL, revoked boolean NOT NULL DEFAULT false);
  CREATE INDEX grants_sid ON grants (sid);
  CREATE INDEX grants_expiry ON grants (expires_at);
  CREATE TABLE refresh_tokens (hash text PRIMARY KEY, grant_id text NOT NULL, expires_at bigint NOT NULL, used boolean NOT NULL DEFAULT false);
  CREATE INDEX refresh_tokens_grant ON refresh_tokens (grant_id);
  CREATE TABLE access_tokens (jti text PRIMARY KEY, grant_id text NOT NULL, expires_at bigint NOT NULL);
  CREATE INDEX access_tokens_expiry ON access_tokens (expires_at);
  CREATE TABLE audit_log (id bigserial PRIMARY KEY, at timestamptz NOT NULL, actor text NOT NULL, action text NOT NULL,
    target text NOT NULL, before jsonb, after jsonb);
  `,
  // 2: employer rules for ansattporten:orgno (spec §9.8)
  `
  CREATE TABLE employer_rules (id text PRIMARY KEY, orgno text NOT NULL, created text NOT NULL, data jsonb NOT NULL);
  CREATE INDEX employer_rules_orgno ON employer_rules (orgno, created, id);
  `,
  // 3: test data added at run time (src/store/postgres/postgres-testdata-store.ts)
  `
  CREATE TABLE testdata (kind text NOT NULL, key text NOT NULL, created text NOT NULL, data jsonb NOT NULL, PRIMARY KEY (kind, key));
  `,
  // 4: API scopes, prefixes and access lists (spec §15.4)
  POSTGRES_SCOPE_MIGRATION,
  // 5: the test data's version, changed by every write to testdata in the writing transaction
  // (a trigger, so writers need not know), read on every login (src/store/postgres/postgres-testdata-store.ts).
  // The function keeps the schema it was created in, so it finds the table whatever the caller's search_path.
  `
  CREATE TABLE testdata_version (id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL);
  INSERT INTO testdata_version (id, version) VALUES (1, 0);
  CREATE FUNCTION testdata_bump_version() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  BEGIN
    UPDATE testdata_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
  END $$;
  CREATE TRIGGER testdata_version AFTER INSERT OR UPDATE OR DELETE ON testdata FOR EACH ROW EXECUTE FUNCTION testdata_bump_version();
  CREATE TRIGGER testdata_version_truncate AFTER TRUNCATE ON testdata FOR EACH STATEMENT EXECUTE FUNCTION testdata_bump_version();
  `,
];
