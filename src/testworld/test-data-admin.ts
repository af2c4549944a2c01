/**
 * The operations behind the admin API's `/testdata/...` endpoints and the CLI's `testdata`
 * command: list, add and remove test data, with the fixtures' validation and the audit log.
 * Refused in production (test data is for test deployments).
 */
import type { Clock } from '../core/clock.js';
import type { AuditStore, TestDataKind, TestDataStore } from '../store/ports.js';
import { fixtureKeys, KEY_FIELDS, testDataKey, validateTestData, type FieldProblem, type TestWorld } from './test-data.js';

export type TestDataFailure =
  | { ok: false; status: 400; error: 'invalid_request'; description: string; errors: FieldProblem[] }
  | { ok: false; status: 404; error: 'not_found'; description: string }
  | { ok: false; status: 409; error: 'conflict'; description: string };

export type TestDataResult<T> = { ok: true; value: T } | TestDataFailure;

/** An entry as listed: its data, where it comes from, and (for stored ones) when it was added. */
export interface TestDataView {
  source: 'fixtures' | 'store';
  key: string;
  created?: string;
  data: Record<string, unknown>;
}

export interface TestDataAdminDeps {
  world: TestWorld;
  store: TestDataStore;
  clock: Clock;
  audit?: AuditStore;
}

export class TestDataAdmin {
  constructor(private readonly d: TestDataAdminDeps) {}

  /** The fixtures' entries of `kind` followed by the stored ones. */
  async list(kind: TestDataKind): Promise<TestDataView[]> {
    const fixtures = this.d.world.fixtures[kind] as unknown as Record<string, unknown>[];
    const stored = await this.d.store.list(kind);
    const storedKeys = new Set(stored.map((e) => e.key));
    const keyOf = (e: Record<string, unknown>) => testDataKey(kind, KEY_FIELDS[kind].map((f) => String(e[f])));
    return [
      ...fixtures.filter((e) => kind === 'rights' || !storedKeys.has(keyOf(e))).map((e) => ({ source: 'fixtures' as const, key: keyOf(e), data: e })),
      ...stored.map((e) => ({ source: 'store' as const, key: e.key, created: e.created, data: e.data })),
    ];
  }

  /** Validates and stores an entry (replacing a stored one with the same key). */
  async add(actor: string, kind: TestDataKind, input: unknown): Promise<TestDataResult<TestDataView>> {
    const world = await this.d.world.current();
    const r = validateTestData(kind, input, world);
    if (!r.ok) {
      const description = r.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
      return { ok: false, status: 400, error: 'invalid_request', description, errors: r.errors };
    }
    const before = (await this.d.store.list(kind)).find((e) => e.key === r.key);
    const created = new Date(this.d.clock.now()).toISOString();
    await this.d.store.put({ kind, key: r.key, created, data: r.data });
    await this.d.audit?.append({ at: this.d.clock.now(), actor, action: `testdata.${kind}.add`, target: r.key, ...(before ? { before: before.data } : {}), after: r.data });
    return { ok: true, value: { source: 'store', key: r.key, created, data: r.data } };
  }

  /** Removes a stored entry by its key fields (in KEY_FIELDS order). */
  async remove(actor: string, kind: TestDataKind, parts: readonly string[]): Promise<TestDataResult<undefined>> {
    const fields = KEY_FIELDS[kind];
    if (parts.length !== fields.length || parts.some((p) => p === '')) {
      return { ok: false, status: 400, error: 'invalid_request', description: `${kind} are identified by ${fields.join(', ')}`, errors: [{ field: '', message: `give ${fields.join(', ')}` }] };
    }
    const key = testDataKey(kind, parts);
    const before = (await this.d.store.list(kind)).find((e) => e.key === key);
    if (before === undefined || !(await this.d.store.delete(kind, key))) {
      if (fixtureKeys(this.d.world.fixtures, kind).has(key)) {
        return { ok: false, status: 409, error: 'conflict', description: `${JSON.stringify(key)} is defined in the fixtures file and cannot be removed at run time` };
      }
      return { ok: false, status: 404, error: 'not_found', description: `no stored ${kind} entry ${JSON.stringify(key)}` };
    }
    await this.d.audit?.append({ at: this.d.clock.now(), actor, action: `testdata.${kind}.remove`, target: key, before: before.data });
    return { ok: true, value: undefined };
  }
}
