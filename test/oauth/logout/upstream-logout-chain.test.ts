import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { continueUpstreamLogout, nextUpstreamHop, UPSTREAM_LOGOUT_NS, type UpstreamLogoutDeps } from '../../../src/oauth/logout/upstream-logout-chain.js';
import { MemoryEphemeralStore } from '../../../src/store/memory/memory-ephemeral-store.js';

function deps(): UpstreamLogoutDeps & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    ephemeral: new MemoryEphemeralStore(new ManualClock()),
    endSessionUrl: async (eid, idToken, state) => {
      calls.push(eid);
      return eid === 'no-endpoint' ? undefined : `https://${eid}.example.test/end?id_token_hint=${idToken}&state=${state}`;
    },
  };
}
const stateOf = (url: string) => new URL(url).searchParams.get('state')!;

describe('upstream logout chain', () => {
  it('visits each upstream with an end-session endpoint in order, then the final target', async () => {
    const d = deps();
    const first = await nextUpstreamHop(d, { hops: [{ eid: 'idporten', idToken: 't1' }, { eid: 'no-endpoint', idToken: 't2' }, { eid: 'entra', idToken: 't3' }], final: 'https://rp.example.test/bye?state=s', locale: 'en' });
    expect(first).toMatch(/^https:\/\/idporten\.example\.test\/end\?id_token_hint=t1/);
    const second = await continueUpstreamLogout(d, stateOf(first!));
    expect(second.kind === 'redirect' && second.url).toMatch(/^https:\/\/entra\.example\.test\/end\?id_token_hint=t3/);
    const last = await continueUpstreamLogout(d, stateOf((second as { url: string }).url));
    expect(last).toEqual({ kind: 'redirect', url: 'https://rp.example.test/bye?state=s' });
    expect(d.calls).toEqual(['idporten', 'no-endpoint', 'entra']);
  });

  it('ends on the logged-out page (in the chain language) without a final target', async () => {
    const d = deps();
    const first = await nextUpstreamHop(d, { hops: [{ eid: 'idporten', idToken: 't1' }], locale: 'nn' });
    expect(await continueUpstreamLogout(d, stateOf(first!))).toEqual({ kind: 'logged-out', locale: 'nn' });
  });

  it('is single use, and ignores unknown or oversized states', async () => {
    const d = deps();
    const first = await nextUpstreamHop(d, { hops: [{ eid: 'idporten', idToken: 't1' }], final: 'https://rp.example.test/bye', locale: 'nb' });
    expect((await continueUpstreamLogout(d, stateOf(first!))).kind).toBe('redirect');
    expect(await continueUpstreamLogout(d, stateOf(first!))).toEqual({ kind: 'logged-out' });
    expect(await continueUpstreamLogout(d, 'x'.repeat(65))).toEqual({ kind: 'logged-out' });
    expect(await continueUpstreamLogout(d, null)).toEqual({ kind: 'logged-out' });
    expect(await d.ephemeral.count(UPSTREAM_LOGOUT_NS)).toBe(0);
  });

  it('returns nothing when no upstream has an end-session endpoint', async () => {
    const d = deps();
    expect(await nextUpstreamHop(d, { hops: [{ eid: 'no-endpoint', idToken: 't' }], locale: 'nb' })).toBeUndefined();
  });
});
