import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Params } from '../../../src/core/params.js';
import { verifyIdTokenHint } from '../../../src/oauth/logout/end-session-request.js';
import { hintMatchesSession, logoutRequestIsProven } from '../../../src/oauth/logout/logout-proof.js';
import type { BrowserSession, ClientContext } from '../../../src/session/browser-session.js';
import { ISSUER, SALT, fixture, type Fixture } from '../endpoint-fixtures.js';

let f: Fixture;
let nowS: number;
const ctx = (subjectRef: string, authTime: number): ClientContext => ({
  authTime, acr: 'substantial', amr: ['TestID'], eid: 'testid', subjectRef, claims: {}, locale: 'nb',
});
const session = (contexts: Record<string, ClientContext>, sid = 'sid-1'): BrowserSession => ({ sid, createdAt: 0, lastActivityAt: 0, contexts });

beforeAll(async () => {
  f = await fixture();
  nowS = Math.floor(f.clock.now() / 1000);
  await f.client({ client_id: 'app' });
  await f.client({ client_id: 'with-sid', frontchannel_logout_uri: 'https://a.example.test/fcl', frontchannel_logout_session_required: true });
});
afterAll(async () => f.close());

const deps = () => ({ keys: f.keys, issuer: ISSUER, pairwiseSalt: SALT });
const hintParams = (hint: string | string[]) => {
  const sp = new URLSearchParams();
  for (const h of Array.isArray(hint) ? hint : [hint]) sp.append('id_token_hint', h);
  return Params.fromSearchParams(sp);
};

describe('logout proof: an id_token_hint for the current session (OpenID Connect RP-Initiated Logout 1.0 §2)', () => {
  it('accepts an id_token of a client in the session, for its person and authentication', async () => {
    const client = (await f.registry.get('app'))!.client;
    const t = await f.issue(client, { subjectRef: 'person-1', authTime: nowS - 60 });
    const s = session({ app: ctx('person-1', nowS - 60) });
    expect(await logoutRequestIsProven(hintParams(t.idToken), s, deps())).toBe(true);
  });

  it('checks sid when the id_token carries one', async () => {
    const client = (await f.registry.get('with-sid'))!.client;
    const t = await f.issue(client, { subjectRef: 'person-1', authTime: nowS, sid: 'sid-1' });
    expect(await logoutRequestIsProven(hintParams(t.idToken), session({ 'with-sid': ctx('person-1', nowS) }, 'sid-1'), deps())).toBe(true);
    expect(await logoutRequestIsProven(hintParams(t.idToken), session({ 'with-sid': ctx('person-1', nowS) }, 'sid-2'), deps())).toBe(false);
  });

  it('refuses an id_token of another person, another client, an earlier authentication, or none at all', async () => {
    const client = (await f.registry.get('app'))!.client;
    const t = await f.issue(client, { subjectRef: 'attacker', authTime: nowS });
    expect(await logoutRequestIsProven(hintParams(t.idToken), session({ app: ctx('victim', nowS) }), deps())).toBe(false);
    expect(await logoutRequestIsProven(hintParams(t.idToken), session({ other: ctx('attacker', nowS) }), deps())).toBe(false);
    expect(await logoutRequestIsProven(hintParams(t.idToken), session({ app: ctx('attacker', nowS + 5) }), deps())).toBe(false);
    expect(await logoutRequestIsProven(Params.empty(), session({ app: ctx('attacker', nowS) }), deps())).toBe(false);
  });

  it('refuses a repeated, forged or garbage hint', async () => {
    const client = (await f.registry.get('app'))!.client;
    const t = await f.issue(client, { subjectRef: 'p', authTime: nowS });
    const s = session({ app: ctx('p', nowS) });
    expect(await logoutRequestIsProven(hintParams([t.idToken, t.idToken]), s, deps())).toBe(false);
    const [h, p] = t.idToken.split('.');
    expect(await logoutRequestIsProven(hintParams(`${h}.${p}.${'A'.repeat(342)}`), s, deps())).toBe(false);
    expect(await logoutRequestIsProven(hintParams('not-a-jwt'), s, deps())).toBe(false);
  });

  it('hintMatchesSession does not look up inherited properties', async () => {
    const client = (await f.registry.get('app'))!.client;
    const hint = (await verifyIdTokenHint((await f.issue(client, { subjectRef: 'p', authTime: nowS })).idToken, f.keys, ISSUER))!;
    expect(hint).toMatchObject({ aud: 'app', authTime: nowS });
    expect(hintMatchesSession({ ...hint, aud: 'constructor' }, session({}), SALT)).toBe(false);
  });
});
