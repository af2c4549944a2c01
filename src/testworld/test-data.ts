/**
 * Test data added at run time (admin API `/testdata/...`, CLI `ansattporten testdata`), kept in
 * the store, and the test world every login sees: the fixtures file plus the stored entries,
 * whose version is read from the store for every new TestID page (and every other lookup without a
 * version already seen), so a change made on any instance applies from the next login on every
 * instance.
 *
 * Stored entries use the fixtures file's format (src/fixtures/load-fixtures.ts) and are validated
 * the same way, except that a stored right may name a resource the fixtures do not list (your own
 * resource), and persons in roles, rights and packages need not be listed (they get a synthetic
 * name, src/fixtures/synthetic-names.ts). A stored person or organisation replaces a fixtures one
 * with the same pid/orgno; entries defined by the fixtures file cannot be removed at run time.
 */
import type { z } from 'zod';
import type { Fixtures } from '../fixtures/fixture-types.js';
import {
  accessPackageSchema,
  organizationSchema,
  personSchema,
  rightSchema,
  roleSchema,
  SUBUNIT_TYPES,
  workAccountSchema,
  zodProblems,
} from '../fixtures/load-fixtures.js';
import type { TestDataEntry, TestDataKind, TestDataStore } from '../store/ports.js';

export const TEST_DATA_KINDS: readonly TestDataKind[] = ['persons', 'organizations', 'roles', 'rights', 'access_packages', 'work_accounts'];

/** The key fields of each kind, in order (the key is their values joined by a space). */
export const KEY_FIELDS: Readonly<Record<TestDataKind, readonly string[]>> = {
  persons: ['pid'],
  organizations: ['orgno'],
  roles: ['pid', 'orgno', 'role'],
  rights: ['pid', 'orgno', 'resource'],
  access_packages: ['pid', 'orgno', 'package'],
  work_accounts: ['email'],
};

const SCHEMAS: Record<TestDataKind, z.ZodType> = {
  persons: personSchema,
  organizations: organizationSchema,
  roles: roleSchema,
  rights: rightSchema,
  access_packages: accessPackageSchema,
  work_accounts: workAccountSchema,
};

export function isTestDataKind(s: string): s is TestDataKind {
  return (TEST_DATA_KINDS as readonly string[]).includes(s);
}

/** The key of an entry from its key field values (e-mail addresses compare lower-case). */
export function testDataKey(kind: TestDataKind, parts: readonly string[]): string {
  return kind === 'work_accounts' ? parts.join(' ').toLowerCase() : parts.join(' ');
}

function keyOf(kind: TestDataKind, data: Record<string, unknown>): string {
  return testDataKey(kind, KEY_FIELDS[kind].map((f) => String(data[f])));
}

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Validates one entry of `kind` against the current world (for references to organisations).
 * Returns the entry in normal form (defaults filled in) and its key, or the problems.
 */
export function validateTestData(
  kind: TestDataKind,
  input: unknown,
  world: Pick<Fixtures, 'organizations'>,
): { ok: true; key: string; data: Record<string, unknown> } | { ok: false; errors: FieldProblem[] } {
  const parsed = SCHEMAS[kind].safeParse(input);
  if (!parsed.success) return { ok: false, errors: zodProblems(parsed.error.issues, input).map((p) => ({ field: p.path, message: p.message })) };
  const data = { ...(parsed.data as Record<string, unknown>) };
  if (kind === 'work_accounts') data.email = String(data.email).toLowerCase();
  const errors: FieldProblem[] = [];
  const orgs = new Map(world.organizations.map((o) => [o.orgno, o] as const));
  if (kind === 'organizations') {
    const parent = data.parent_orgno as string | null;
    const unitType = data.unit_type as string;
    if (parent === null) {
      if (SUBUNIT_TYPES.has(unitType)) errors.push({ field: 'parent_orgno', message: `is required for a sub-unit (unit_type ${unitType})` });
    } else if (parent === data.orgno) {
      errors.push({ field: 'parent_orgno', message: `must not be the organisation itself (${JSON.stringify(parent)})` });
    } else if (!orgs.has(parent)) {
      errors.push({ field: 'parent_orgno', message: `is not a known organisation (${JSON.stringify(parent)})` });
    } else if (orgs.get(parent)!.parent_orgno !== null) {
      errors.push({ field: 'parent_orgno', message: `must be a main unit, not a sub-unit (${JSON.stringify(parent)})` });
    } else if ([...orgs.values()].some((o) => o.parent_orgno === data.orgno)) {
      errors.push({ field: 'parent_orgno', message: `must be null: ${JSON.stringify(data.orgno)} is the main unit of other organisations` });
    }
  } else if ('orgno' in data && !orgs.has(data.orgno as string)) {
    errors.push({ field: 'orgno', message: `is not a known organisation (${JSON.stringify(data.orgno)}); add it first` });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, key: keyOf(kind, data), data };
}

/** The keys of the entries the fixtures file defines (which cannot be removed at run time). */
export function fixtureKeys(fixtures: Fixtures, kind: TestDataKind): Set<string> {
  const list = fixtures[kind] as unknown as Record<string, unknown>[];
  return new Set(list.map((e) => keyOf(kind, e)));
}

/**
 * The test world: the fixtures plus the stored entries. Stored entries that no longer validate
 * are skipped (a login must not fail on one bad row).
 */
export function mergeTestWorld(fixtures: Fixtures, stored: readonly TestDataEntry[]): Fixtures {
  const valid = (kind: TestDataKind) =>
    stored.filter((e) => e.kind === kind).flatMap((e) => {
      const r = SCHEMAS[kind].safeParse(e.data);
      return r.success ? [r.data as Record<string, unknown>] : [];
    });
  const byKey = <T>(kind: TestDataKind, base: readonly T[]): T[] => {
    const m = new Map<string, T>();
    for (const e of base) m.set(keyOf(kind, e as Record<string, unknown>), e);
    for (const e of valid(kind)) m.set(keyOf(kind, e), e as T);
    return [...m.values()];
  };
  if (stored.length === 0) return fixtures;
  return {
    ...fixtures,
    persons: byKey('persons', fixtures.persons),
    organizations: byKey('organizations', fixtures.organizations),
    roles: byKey('roles', fixtures.roles),
    access_packages: byKey('access_packages', fixtures.access_packages),
    // the fixtures' rights have no unique key (several entries may name the same resource): keep them all
    rights: [...fixtures.rights, ...(valid('rights') as unknown as Fixtures['rights'])],
    work_accounts: byKey('work_accounts', fixtures.work_accounts),
  };
}

/**
 * The current test world. Every call without a version already seen asks the store whether its
 * test data changed (its version: one small query), so a change made on any instance is seen by
 * the next login (versioned(atLeast) may answer from memory instead); the entries are
 * read and merged again only when the version changed, and the same world object comes back while
 * it did not (callers may cache what they derive from it).
 */
export class TestWorld {
  private merged?: { version: number; world: Fixtures };

  constructor(readonly fixtures: Fixtures, private readonly store?: TestDataStore) {}

  async current(): Promise<Fixtures> {
    return (await this.versioned()).world;
  }

  /**
   * The current world and its version (absent without a test-data store). With `atLeast`, a
   * version the caller has already seen (a page showed that world), the world held in memory is
   * enough when it is that version or newer, and the store is not asked: the answer to a TestID
   * page is judged against the world the page showed, or a newer one.
   */
  async versioned(atLeast?: number): Promise<{ world: Fixtures; version?: number }> {
    if (this.store === undefined) return { world: this.fixtures };
    const known = this.merged;
    if (known && atLeast !== undefined && known.version >= atLeast) return known;
    const read = await this.store.changedSince(known?.version);
    if (known && read.entries === undefined) return known;
    // Merged meanwhile by a concurrent call, to this version or a newer one: never go back. A store
    // whose version went down (restored, re-created) is believed: only an overlapping read is ignored.
    if (this.merged !== known && this.merged && this.merged.version >= read.version) return this.merged;
    const merged = { version: read.version, world: mergeTestWorld(this.fixtures, read.entries ?? []) };
    this.merged = merged;
    return merged;
  }
}
