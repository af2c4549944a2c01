import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { checkClientScopes, factsFromLists, scopeRefusal } from '../../src/scopes/check-client-scopes.js';
import { introspectionVisible, introspectionVisibleNow } from '../../src/scopes/introspection-visibility.js';
import { ScopeRegistry } from '../../src/scopes/scope-registry.js';
import { capSeconds, scopeTokenPolicy } from '../../src/scopes/scope-token-policy.js';
import type { ApiScope } from '../../src/scopes/scope-types.js';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store.js';

const OWNER = '310000248';
const CONSUMER = '310000256';
const OTHER = '310000264';

function scope(name: string, over: Partial<ApiScope> = {}): ApiScope {
  const [prefix, subscope] = name.split(':') as [string, string];
  return {
    name, prefix, subscope, description: name, active: true, owner_orgno: OWNER, allowed_integration_types: ['ansattporten'],
    accessible_for_all: false, requires_pseudonymous_tokens: false, token_type: 'SELF_CONTAINED', visibility: 'PUBLIC',
    created: '2024-01-01T00:00:00.000Z', last_updated: '2024-01-01T00:00:00.000Z', ...over,
  };
}

const client = (orgno: string, scopes: string[]) => ({ client_orgno: orgno, integration_type: 'ansattporten', scopes });

describe('scopeRefusal / checkClientScopes (spec §15.1, §15.4)', () => {
  const facts = factsFromLists(
    [
      scope('api:privat'), scope('api:alle', { accessible_for_all: true }), scope('api:av', { active: false, accessible_for_all: true }),
      scope('api:mp', { accessible_for_all: true, allowed_integration_types: ['maskinporten'] }), scope('api:enhver', { accessible_for_all: true, allowed_integration_types: [] }),
    ],
    [{ scope: 'api:privat', consumer_orgno: CONSUMER }],
  );

  it('built-in scopes are always allowed', () => {
    for (const s of ['openid', 'profile', 'idporten:token.introspection']) expect(scopeRefusal(s, client(OTHER, []), facts)).toBeUndefined();
  });

  it('refuses unknown, inactive, wrong integration type and not-accessible scopes, naming the reason', () => {
    expect(scopeRefusal('api:ukjent', client(CONSUMER, []), facts)).toBe('does not exist');
    expect(scopeRefusal('api:av', client(CONSUMER, []), facts)).toBe('is not active');
    expect(scopeRefusal('api:mp', client(CONSUMER, []), facts)).toBe('does not allow integration_type "ansattporten"');
    expect(scopeRefusal('api:privat', client(OTHER, []), facts)).toBe(`is not accessible to organisation ${OTHER}`);
  });

  it('allows accessible-for-all scopes, an empty type list, and APPROVED access', () => {
    expect(scopeRefusal('api:alle', client(OTHER, []), facts)).toBeUndefined();
    expect(scopeRefusal('api:enhver', client(OTHER, []), facts)).toBeUndefined();
    expect(scopeRefusal('api:privat', client(CONSUMER, []), facts)).toBeUndefined();
  });

  it('checkClientScopes: one error per refused scope, by index', () => {
    expect(checkClientScopes(client(OTHER, ['openid', 'api:alle', 'api:privat', 'api:ukjent']), facts)).toEqual([
      { field: 'scopes[2]', message: `the scope "api:privat" is not accessible to organisation ${OTHER}` },
      { field: 'scopes[3]', message: 'the scope "api:ukjent" does not exist' },
    ]);
    expect(checkClientScopes(client(CONSUMER, ['openid', 'api:privat']), facts)).toEqual([]);
  });
});

describe('scopeTokenPolicy', () => {
  it('no API scopes: nothing changes', () => {
    expect(scopeTokenPolicy([])).toEqual({ pseudonymous: false, opaque: false });
  });
  it('any pseudonymous or OPAQUE scope decides; the smallest lifetimes win', () => {
    const p = scopeTokenPolicy([
      scope('a:1', { at_max_age: 300, authorization_max_lifetime: 7200 }), scope('a:2', { at_max_age: 60, requires_pseudonymous_tokens: true }),
      scope('a:3', { token_type: 'OPAQUE', authorization_max_lifetime: 3600 }),
    ]);
    expect(p).toEqual({ pseudonymous: true, opaque: true, atMaxAge: 60, authorizationMaxLifetime: 3600 });
  });
  it('capSeconds', () => {
    expect(capSeconds(120, undefined)).toBe(120);
    expect(capSeconds(120, 30)).toBe(30);
    expect(capSeconds(20, 30)).toBe(20);
  });
});

describe('introspectionVisible (RFC 7662 §2.2)', () => {
  const owners = new Map([['api:privat', OWNER]]);
  const caller = (id: string, orgno: string) => ({ client_id: id, client_orgno: orgno });
  const token = (clientId: string, orgno: string | undefined, scopes: string[]) => ({ client_id: clientId, ...(orgno ? { client_orgno: orgno } : {}), scopes });

  it('the token\'s own client and its organisation see it', () => {
    expect(introspectionVisible({ caller: caller('c1', CONSUMER), token: token('c1', CONSUMER, ['openid']), ownerOf: (s) => owners.get(s) })).toBe(true);
    expect(introspectionVisible({ caller: caller('c2', CONSUMER), token: token('c1', CONSUMER, ['openid']), ownerOf: (s) => owners.get(s) })).toBe(true);
  });
  it('the owner of one of the token\'s scopes sees it; an unrelated organisation does not', () => {
    expect(introspectionVisible({ caller: caller('p', OWNER), token: token('c1', CONSUMER, ['openid', 'api:privat']), ownerOf: (s) => owners.get(s) })).toBe(true);
    expect(introspectionVisible({ caller: caller('p', OWNER), token: token('c1', CONSUMER, ['openid', 'profile']), ownerOf: (s) => owners.get(s) })).toBe(false);
    expect(introspectionVisible({ caller: caller('x', OTHER), token: token('c1', CONSUMER, ['openid', 'api:privat']), ownerOf: (s) => owners.get(s) })).toBe(false);
    expect(introspectionVisible({ caller: caller('x', OTHER), token: token('gone', undefined, ['openid']), ownerOf: (s) => owners.get(s) })).toBe(false);
  });
  it('introspectionVisibleNow reads the token client\'s organisation and the owners', async () => {
    const lookup = { clientOrgno: async (id: string) => (id === 'c1' ? CONSUMER : undefined), owners: async () => owners };
    expect(await introspectionVisibleNow(caller('p', OWNER), { client_id: 'c1', scope: 'openid api:privat' }, lookup)).toBe(true);
    expect(await introspectionVisibleNow(caller('x', OTHER), { client_id: 'c1', scope: 'openid api:privat' }, lookup)).toBe(false);
    expect(await introspectionVisibleNow(caller('c1', OTHER), { client_id: 'c1', scope: 'openid' }, lookup)).toBe(true);
  });
});

describe('ScopeRegistry', () => {
  const fixtures = {
    scope_prefixes: [{ prefix: 'api', owner_orgno: OWNER }],
    scopes: [scope('api:privat'), scope('api:skjult', { visibility: 'PRIVATE', accessible_for_all: true }), scope('api:av', { active: false })],
    scope_access: [{ scope: 'api:privat', consumer_orgno: CONSUMER, state: 'APPROVED' as const }, { scope: 'api:privat', consumer_orgno: OTHER, state: 'REQUESTED' as const }],
  };

  it('seed adds what the store lacks and never undoes a change made later (e.g. a revocation)', async () => {
    const store = new MemoryScopeStore();
    const r = new ScopeRegistry(store, new ManualClock(1_700_000_000_000));
    expect(await r.seed(fixtures)).toEqual([]);
    expect((await store.getAccess('api:privat', CONSUMER))?.state).toBe('APPROVED');
    await store.putAccess({ ...(await store.getAccess('api:privat', CONSUMER))!, state: 'DENIED' });
    await store.putScope({ ...(await store.getScope('api:privat'))!, description: 'changed' });
    await r.seed(fixtures);
    expect((await store.getAccess('api:privat', CONSUMER))?.state).toBe('DENIED');
    expect((await store.getScope('api:privat'))?.description).toBe('changed');
  });

  it('seed skips a prefix that another organisation owns in the store, with a warning', async () => {
    const store = new MemoryScopeStore();
    await store.addPrefix({ prefix: 'api', owner_orgno: OTHER, created: 'x' });
    const w = await new ScopeRegistry(store, new ManualClock()).seed(fixtures);
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('"api" belongs to 310000264');
    expect(await store.listScopes()).toEqual([]);
  });

  it('refusals read the store now; REQUESTED does not count; supportedScopes lists active PUBLIC scopes', async () => {
    const store = new MemoryScopeStore();
    const r = new ScopeRegistry(store, new ManualClock());
    await r.seed(fixtures);
    expect(await r.refusals({ client_orgno: CONSUMER, integration_type: 'ansattporten' }, ['openid', 'api:privat'])).toEqual([]);
    expect(await r.refusals({ client_orgno: OTHER, integration_type: 'ansattporten' }, ['openid', 'api:privat', 'api:av'])).toEqual([
      { scope: 'api:privat', reason: `is not accessible to organisation ${OTHER}` }, { scope: 'api:av', reason: 'is not active' },
    ]);
    expect(await r.supportedScopes()).toEqual(['openid', 'profile', 'api:privat']);
    expect(await r.owners(['openid', 'api:privat', 'nope:x'])).toEqual(new Map([['api:privat', OWNER]]));
    expect(await r.policy('openid profile')).toEqual({ pseudonymous: false, opaque: false });
  });
});
