import { randomBytes } from 'node:crypto';
import { SignJWT, createLocalJWKSet, decodeJwt, decodeProtectedHeader, generateKeyPair, jwtVerify, type JSONWebKeySet } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { Browser, decodeEntities, secretOf, startServer, webClient, type Step, type TestServer } from './harness.js';
import { startRelyingParty, waitFor, type Recorded, type RelyingParty } from './relying-party.js';
import { answerLogoutConfirm, isLogoutConfirmPage } from './logout-confirm.js';

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const LOGGED_OUT_TITLE = 'Du er logget ut';

type Form = Record<string, string | string[]>;

/** A client whose redirect, post-logout and logout URIs are all on one relying-party server. */
function rpClient(id: string, rp: RelyingParty, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return webClient(id, {
    redirect_uris: [`${rp.origin}/callback`],
    post_logout_redirect_uris: [`${rp.origin}/logged-out`],
    frontchannel_logout_uri: `${rp.origin}/fcl`,
    backchannel_logout_uri: `${rp.origin}/bcl`,
    ...extra,
  });
}

function iframeSrcs(html: string): string[] {
  return [...html.matchAll(/<iframe\b[^>]*>/g)]
    .filter((m) => /\sdata-fcl[\s>=]/.test(m[0]))
    .map((m) => decodeEntities(/\ssrc="([^"]*)"/.exec(m[0])![1]!));
}

function cspDirective(step: Step, name: string): string[] | undefined {
  const header = step.headers.get('content-security-policy') ?? '';
  for (const part of header.split(';')) {
    const [n, ...values] = part.trim().split(/\s+/);
    if (n === name) return values;
  }
  return undefined;
}

function continueHref(html: string): string | undefined {
  const m = /<a\b[^>]*id="fcl-continue"[^>]*>/.exec(html);
  const href = m ? /\shref="([^"]*)"/.exec(m[0])?.[1] : undefined;
  return href !== undefined ? decodeEntities(href) : undefined;
}

/** The logout_token POSTs a relying party received for one session. */
function logoutTokensFor(rp: RelyingParty, sid: string): Recorded[] {
  return rp.backChannel().filter((r) => {
    try {
      return decodeJwt(r.form.get('logout_token') ?? '').sid === sid;
    } catch {
      return false;
    }
  });
}

/** The shared machinery of the tests against one provider. */
function providerHelpers(getServer: () => TestServer, redirectOf: (id: string) => string) {
  const configs = new Map<string, oidc.Configuration>();
  async function configFor(id: string): Promise<oidc.Configuration> {
    let c = configs.get(id);
    if (!c) {
      c = await oidc.discovery(new URL(getServer().issuer), id, undefined, oidc.ClientSecretBasic(secretOf(id)), { execute: [oidc.allowInsecureRequests] });
      configs.set(id, c);
    }
    return c;
  }

  async function authUrl(id: string, extra: Record<string, string> = {}) {
    const config = await configFor(id);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectOf(id), scope: 'openid profile', state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
    });
    return { config, url, verifier, state, nonce };
  }

  /** A login that must authenticate (through the eID selector and TestID); returns the callback step. */
  async function authenticate(b: Browser, url: URL): Promise<Step> {
    const select = await b.go(url.href);
    expect(select.url, `expected the eID selector, got ${select.status} ${select.location ?? ''}`).toContain('/login/select');
    const testid = await b.submit(select, '/login/select', { eid: 'testid' });
    expect(testid.url).toContain('/login/testid');
    return b.submit(testid, '/login/testid', { pid: '15895010046', acr: 'substantial' });
  }

  /** Logs in to a client (authenticating) and exchanges the code with openid-client. */
  async function login(b: Browser, id: string, opts: { scope?: string } = {}) {
    const a = await authUrl(id, opts.scope ? { scope: opts.scope } : {});
    const step = await authenticate(b, a.url);
    expect(step.location?.startsWith(redirectOf(id))).toBe(true);
    const tokens = await oidc.authorizationCodeGrant(a.config, new URL(step.location!), {
      pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce,
    });
    return { config: a.config, tokens, claims: tokens.claims()! };
  }

  /** prompt=none: the parameters of the response to the client. */
  async function promptNone(b: Browser, id: string): Promise<URLSearchParams> {
    const a = await authUrl(id, { prompt: 'none' });
    const step = await b.go(a.url.href);
    expect(step.location?.startsWith(redirectOf(id)), `prompt=none did not return to the client: ${step.status} ${step.url}`).toBe(true);
    const p = new URL(step.location!).searchParams;
    expect(p.get('state')).toBe(a.state);
    return p;
  }

  let endSession: string | undefined;
  /** The end_session_endpoint from the discovery document. */
  async function endSessionEndpoint(): Promise<string> {
    if (!endSession) {
      const doc = (await (await fetch(`${getServer().issuer}/.well-known/openid-configuration`)).json()) as { end_session_endpoint: string };
      endSession = doc.end_session_endpoint;
    }
    return endSession;
  }

  /** GET or POST to the end_session_endpoint from discovery; does not follow the redirect. */
  async function logout(b: Browser, method: 'GET' | 'POST', params: Form = {}): Promise<Step> {
    const endpoint = await endSessionEndpoint();
    if (method === 'POST') return b.request(endpoint, { method: 'POST', form: params });
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) sp.append(k, x);
    const q = sp.toString();
    return b.request(q ? `${endpoint}?${q}` : endpoint);
  }

  return { configFor, authUrl, authenticate, login, promptNone, logout, endSessionEndpoint };
}

describe('logout (RP-initiated, front-channel, back-channel) end to end', () => {
  let server: TestServer;
  let rp1: RelyingParty;
  let rp2: RelyingParty;
  let rp3: RelyingParty;
  let slowRp: RelyingParty;
  const clients: Record<string, Record<string, unknown>> = {};
  const redirectOf = (id: string) => (clients[id]!.redirect_uris as string[])[0]!;
  const postLogoutOf = (id: string) => (clients[id]!.post_logout_redirect_uris as string[])[0]!;
  const h = providerHelpers(() => server, redirectOf);
  let jwks: ReturnType<typeof createLocalJWKSet>;

  beforeAll(async () => {
    [rp1, rp2, rp3] = await Promise.all([startRelyingParty(), startRelyingParty(), startRelyingParty()]);
    slowRp = await startRelyingParty({ backChannelDelayMs: 10_000 });
    const list = [
      rpClient('rp1', rp1, { frontchannel_logout_session_required: true }),
      rpClient('rp2', rp2, { frontchannel_logout_session_required: true }),
      rpClient('rp3', rp3, { frontchannel_logout_session_required: false }),
      rpClient('slow', slowRp, { frontchannel_logout_uri: undefined }),
      webClient('nofcl'),
      webClient('api', { scopes: ['openid', 'profile', 'example:api'] }),
      webClient('introspector', { scopes: ['openid', 'idporten:token.introspection'] }),
    ];
    for (const c of list) clients[c.client_id as string] = c;
    server = await startServer({ clients: list });
    for (const rp of [rp1, rp2, rp3, slowRp]) rp.providerOrigin = new URL(server.issuer).origin;
    const doc = await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json();
    jwks = createLocalJWKSet((await (await fetch(doc.jwks_uri)).json()) as JSONWebKeySet);
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([rp1, rp2, rp3, slowRp].map((rp) => rp?.close()));
  });

  async function introspect(token: string) {
    return oidc.tokenIntrospection(await h.configFor('introspector'), token);
  }

  async function userinfoStatus(accessToken: string): Promise<number> {
    const config = await h.configFor('nofcl');
    const res = await fetch(config.serverMetadata().userinfo_endpoint!, { headers: { authorization: `Bearer ${accessToken}` } });
    await res.arrayBuffer();
    return res.status;
  }

  for (const method of ['GET', 'POST'] as const) {
    it(`global logout by ${method}: one frame per client, one logout_token per back channel, session and tokens dead`, async () => {
      const b = new Browser(server.issuer);
      // Isolated SSO: every client must authenticate, but all share one browser session (one sid).
      const r1 = await h.login(b, 'rp1');
      const r2 = await h.login(b, 'rp2');
      const r3 = await h.login(b, 'rp3');
      const nf = await h.login(b, 'nofcl');
      const api = await h.login(b, 'api', { scope: 'openid profile example:api' });
      const sid = r1.claims.sid as string;
      expect(sid).toBeTruthy();
      expect(r2.claims.sid).toBe(sid);
      expect(r3.claims.sid).toBe(sid); // back-channel registration implies sid
      expect(nf.claims.sid).toBeUndefined();
      expect(new Set([r1.claims.sub, r2.claims.sub, r3.claims.sub]).size).toBe(3); // pairwise
      const savedCookie = b.cookieHeader();
      const sessionCookie = [...b.jar.keys()].find((k) => k.endsWith('ansattporten_session'));
      expect(sessionCookie).toBeDefined();

      const state = `state-${method}-${randomBytes(6).toString('hex')}`;
      const postLogout = postLogoutOf('rp1');
      const res = await h.logout(b, method, { id_token_hint: r1.tokens.id_token!, post_logout_redirect_uri: postLogout, state });

      // The front-channel page: one iframe per participating client with a frontchannel_logout_uri, incl. the initiator.
      expect(res.status).toBe(200);
      expect(res.location).toBeUndefined();
      const frames = iframeSrcs(res.html).map((s) => new URL(s));
      expect(frames).toHaveLength(3);
      const frameOf = (rp: RelyingParty) => {
        const f = frames.filter((u) => u.origin === rp.origin);
        expect(f).toHaveLength(1);
        expect(f[0]!.pathname).toBe('/fcl');
        return f[0]!;
      };
      for (const rp of [rp1, rp2]) {
        const f = frameOf(rp);
        expect(f.searchParams.get('iss')).toBe(server.issuer);
        expect(f.searchParams.get('sid')).toBe(sid);
        expect([...f.searchParams.keys()].sort()).toEqual(['iss', 'sid']);
      }
      expect([...frameOf(rp3).searchParams.keys()]).toEqual([]);
      // CSP frame-src allows exactly the three relying-party origins.
      const frameSrc = cspDirective(res, 'frame-src');
      expect(frameSrc).toBeDefined();
      expect([...frameSrc!].sort()).toEqual([rp1.origin, rp2.origin, rp3.origin].sort());
      // The continue link goes back to the post_logout_redirect_uri with state.
      const cont = new URL(continueHref(res.html)!);
      expect(`${cont.origin}${cont.pathname}`).toBe(postLogout);
      expect(cont.searchParams.get('state')).toBe(state);
      expect([...cont.searchParams.keys()]).toEqual(['state']);
      // The session cookie is cleared.
      expect(b.jar.has(sessionCookie!)).toBe(false);

      // Back channel: exactly one verified logout_token per client that registered one.
      const expectations: [RelyingParty, string, string][] = [[rp1, 'rp1', r1.claims.sub], [rp2, 'rp2', r2.claims.sub], [rp3, 'rp3', r3.claims.sub]];
      expect(await waitFor(() => expectations.every(([rp]) => logoutTokensFor(rp, sid).length >= 1), 5000)).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      const jtis = new Set<string>();
      for (const [rp, clientId, sub] of expectations) {
        const posts = logoutTokensFor(rp, sid);
        expect(posts).toHaveLength(1);
        expect(posts[0]!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
        expect([...posts[0]!.form.keys()]).toEqual(['logout_token']);
        const token = posts[0]!.form.get('logout_token')!;
        expect(decodeProtectedHeader(token)).toMatchObject({ typ: 'logout+jwt', alg: 'RS256' });
        expect(decodeProtectedHeader(token).kid).toBeTruthy();
        const { payload } = await jwtVerify(token, jwks, { issuer: server.issuer, audience: clientId, typ: 'logout+jwt', algorithms: ['RS256'] });
        expect(payload.aud).toBe(clientId);
        expect(typeof payload.iat).toBe('number');
        expect(typeof payload.exp).toBe('number');
        expect(payload.exp!).toBeGreaterThan(payload.iat!);
        expect(typeof payload.jti).toBe('string');
        expect(payload.events).toEqual({ [BACKCHANNEL_EVENT]: {} });
        expect(payload.sid).toBe(sid);
        expect(payload.sub).toBe(sub);
        expect(payload.nonce).toBeUndefined();
        jtis.add(payload.jti!);
      }
      expect(jtis.size).toBe(3);

      // The whole browser session is gone: prompt=none fails for every client.
      for (const id of ['rp1', 'rp2', 'rp3', 'nofcl']) expect((await h.promptNone(b, id)).get('error')).toBe('login_required');

      // Replaying the old cookie is worthless: the eID selector again, and a new sid after login.
      const replay = new Browser(server.issuer);
      for (const pair of savedCookie.split('; ')) {
        const i = pair.indexOf('=');
        replay.jar.set(pair.slice(0, i), pair.slice(i + 1));
      }
      const again = await h.authUrl('rp1');
      const select = await replay.go(again.url.href);
      expect(select.url).toContain('/login/select');
      const fresh = await h.login(replay, 'rp1');
      expect(fresh.claims.sid).toBeTruthy();
      expect(fresh.claims.sid).not.toBe(sid);

      // Tokens: grants with only openid/profile die with the session…
      for (const r of [r1, nf]) {
        await expect(oidc.refreshTokenGrant(r.config, r.tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
        expect(await userinfoStatus(r.tokens.access_token)).toBe(401);
        expect((await introspect(r.tokens.access_token)).active).toBe(false);
        expect((await introspect(r.tokens.refresh_token!)).active).toBe(false);
      }
      // …while a grant with a further scope survives logout.
      expect(api.tokens.scope?.split(' ')).toContain('example:api');
      expect(await userinfoStatus(api.tokens.access_token)).toBe(200);
      const ai = await introspect(api.tokens.access_token);
      expect(ai.active).toBe(true);
      expect(ai.scope?.split(' ')).toContain('example:api');
      const refreshed = await oidc.refreshTokenGrant(api.config, api.tokens.refresh_token!);
      expect(refreshed.access_token).toBeTruthy();
    });
  }

  it('does not let a slow back-channel receiver delay the logout response', async () => {
    const b = new Browser(server.issuer);
    const s = await h.login(b, 'slow');
    const r1 = await h.login(b, 'rp1');
    const sid = s.claims.sid as string;
    expect(sid).toBeTruthy();
    expect(r1.claims.sid).toBe(sid);
    // client_id alone proves nothing about the session: the user is asked first.
    const asked = await h.logout(b, 'GET', { client_id: 'slow', post_logout_redirect_uri: postLogoutOf('slow'), state: 'slow-state' });
    expect(isLogoutConfirmPage(asked)).toBe(true);
    const started = performance.now();
    const res = await answerLogoutConfirm(b, asked, 'logout');
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    expect(iframeSrcs(res.html)).toHaveLength(1); // only rp1 registered a frontchannel_logout_uri
    expect(elapsed).toBeLessThan(2000);
    // The delivery to the slow receiver did start, and the other receiver got its token regardless.
    expect(await waitFor(() => logoutTokensFor(slowRp, sid).length === 1 && logoutTokensFor(rp1, sid).length === 1, 5000)).toBe(true);
  });

  it('a client without frontchannel_logout_uri gets no iframe and no sid in its id_token', async () => {
    const b = new Browser(server.issuer);
    const nf = await h.login(b, 'nofcl');
    expect(nf.claims.sid).toBeUndefined();
    const r1 = await h.login(b, 'rp1');
    const res = await h.logout(b, 'GET', { id_token_hint: nf.tokens.id_token!, post_logout_redirect_uri: postLogoutOf('nofcl'), state: 'x' });
    expect(res.status).toBe(200);
    const frames = iframeSrcs(res.html);
    expect(frames).toHaveLength(1);
    expect(new URL(frames[0]!).origin).toBe(rp1.origin);
    expect(new URL(frames[0]!).searchParams.get('sid')).toBe(r1.claims.sid);
    expect(cspDirective(res, 'frame-src')).toEqual([rp1.origin]);
    expect(continueHref(res.html)).toBe(`${postLogoutOf('nofcl')}?state=x`);
    // Without any frame to load, the provider redirects at once.
    const b2 = new Browser(server.issuer);
    const only = await h.login(b2, 'nofcl');
    const direct = await h.logout(b2, 'GET', { id_token_hint: only.tokens.id_token!, post_logout_redirect_uri: postLogoutOf('nofcl'), state: 'y' });
    expect(direct.status).toBe(302);
    expect(direct.location).toBe(`${postLogoutOf('nofcl')}?state=y`);
    expect(iframeSrcs(direct.html)).toEqual([]);
  });

  describe('end-session request rules', () => {
    /** A browser logged in to `nofcl` (no front channel, so no frames: a redirect or the logged-out page). */
    async function loggedIn() {
      const b = new Browser(server.issuer);
      const r = await h.login(b, 'nofcl');
      return { b, idToken: r.tokens.id_token! };
    }

    async function expectStaysOnProvider(res: Step, b: Browser) {
      expect(res.status).toBe(200);
      expect(res.location).toBeUndefined();
      expect(res.headers.get('location')).toBeNull();
      expect(res.html).toContain(LOGGED_OUT_TITLE);
      expect(iframeSrcs(res.html)).toEqual([]);
      expect(continueHref(res.html)).toBeUndefined();
      expect(res.html).not.toContain('example.test/logged-out');
      // The logout itself happened regardless.
      expect((await h.promptNone(b, 'nofcl')).get('error')).toBe('login_required');
    }

    it('a valid hint and registered URI redirect back with the state URL-encoded (GET 302, POST 303)', async () => {
      const state = 'a b&c=d/e?%+';
      for (const method of ['GET', 'POST'] as const) {
        const { b, idToken } = await loggedIn();
        const res = await h.logout(b, method, { id_token_hint: idToken, post_logout_redirect_uri: postLogoutOf('nofcl'), state });
        expect(res.status).toBe(method === 'GET' ? 302 : 303);
        const loc = new URL(res.location!);
        expect(`${loc.origin}${loc.pathname}`).toBe(postLogoutOf('nofcl'));
        expect(loc.searchParams.get('state')).toBe(state);
        expect((await h.promptNone(b, 'nofcl')).get('error')).toBe('login_required');
      }
    });

    it('without a live session, a valid client_id and registered URI still redirect back with state', async () => {
      for (const method of ['GET', 'POST'] as const) {
        const b = new Browser(server.issuer);
        const res = await h.logout(b, method, { client_id: 'nofcl', post_logout_redirect_uri: postLogoutOf('nofcl'), state: 'no-session' });
        expect(res.status).toBe(method === 'GET' ? 302 : 303);
        expect(res.location).toBe(`${postLogoutOf('nofcl')}?state=no-session`);
      }
    });

    let forgingKey: ReturnType<typeof generateKeyPair> | undefined;
    const other = async (idToken: string): Promise<Record<string, Form>> => {
      const uri = postLogoutOf('nofcl');
      forgingKey ??= generateKeyPair('RS256');
      const { privateKey } = await forgingKey;
      const header = decodeProtectedHeader(idToken);
      const forged = await new SignJWT(decodeJwt(idToken)).setProtectedHeader({ alg: 'RS256', kid: header.kid, typ: 'JWT' }).sign(privateKey);
      const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const algNone = `${b64({ alg: 'none', typ: 'JWT' })}.${idToken.split('.')[1]}.`;
      // key confusion: HS256 with the client's own secret as the MAC key
      const hs256 = await new SignJWT(decodeJwt(idToken)).setProtectedHeader({ alg: 'HS256', kid: header.kid, typ: 'JWT' }).sign(new TextEncoder().encode(secretOf('nofcl')));
      return {
        'an unregistered post_logout_redirect_uri': { id_token_hint: idToken, post_logout_redirect_uri: 'https://evil.example.test/logged-out', state: 's' },
        'a post_logout_redirect_uri with an extra query': { id_token_hint: idToken, post_logout_redirect_uri: `${uri}?next=https://evil.example.test`, state: 's' },
        'a post_logout_redirect_uri with an extra path': { id_token_hint: idToken, post_logout_redirect_uri: `${uri}/more`, state: 's' },
        'a post_logout_redirect_uri with a trailing slash': { id_token_hint: idToken, post_logout_redirect_uri: `${uri}/`, state: 's' },
        'a post_logout_redirect_uri with http instead of https': { id_token_hint: idToken, post_logout_redirect_uri: uri.replace('https:', 'http:'), state: 's' },
        'a post_logout_redirect_uri of another client': { id_token_hint: idToken, post_logout_redirect_uri: postLogoutOf('api'), state: 's' },
        'a post_logout_redirect_uri without id_token_hint or client_id': { post_logout_redirect_uri: uri, state: 's' },
        'an id_token_hint signed by another key': { id_token_hint: forged, post_logout_redirect_uri: uri, state: 's' },
        'an id_token_hint with alg none': { id_token_hint: algNone, post_logout_redirect_uri: uri, state: 's' },
        'an id_token_hint with alg HS256 (the client secret as key)': { id_token_hint: hs256, post_logout_redirect_uri: uri, state: 's' },
        'a post_logout_redirect_uri with different letter case in the host': { id_token_hint: idToken, post_logout_redirect_uri: uri.replace('nofcl.', 'NOFCL.'), state: 's' },
        'a garbage id_token_hint': { id_token_hint: 'not-a-jwt', post_logout_redirect_uri: uri, state: 's' },
        'an id_token_hint for another client than client_id': { id_token_hint: idToken, client_id: 'api', post_logout_redirect_uri: postLogoutOf('api'), state: 's' },
        'an id_token_hint for another client than client_id (URI of the hint)': { id_token_hint: idToken, client_id: 'api', post_logout_redirect_uri: uri, state: 's' },
        'an unknown client_id': { client_id: 'no-such-client', post_logout_redirect_uri: uri, state: 's' },
        'a non-ASCII state': { id_token_hint: idToken, post_logout_redirect_uri: uri, state: 'blåbærsyltetøy' },
        'a state with a control character': { id_token_hint: idToken, post_logout_redirect_uri: uri, state: 'a\tb' },
        'a repeated state': { id_token_hint: idToken, post_logout_redirect_uri: uri, state: ['s1', 's2'] },
        'a repeated post_logout_redirect_uri': { id_token_hint: idToken, post_logout_redirect_uri: [uri, uri], state: 's' },
        'a repeated id_token_hint': { id_token_hint: [idToken, idToken], post_logout_redirect_uri: uri, state: 's' },
        'a repeated client_id': { client_id: ['nofcl', 'nofcl'], post_logout_redirect_uri: uri, state: 's' },
        'no parameters at all': {},
      };
    };

    /** The cases without an id_token_hint for the current session: they need the user's confirmation. */
    const UNPROVEN = new Set([
      'a post_logout_redirect_uri without id_token_hint or client_id', 'an id_token_hint signed by another key', 'an id_token_hint with alg none',
      'an id_token_hint with alg HS256 (the client secret as key)', 'a garbage id_token_hint', 'an unknown client_id', 'a repeated id_token_hint',
      'a repeated client_id', 'no parameters at all',
    ]);

    it('refuses to redirect for every broken rule (GET), logs out anyway and shows the logged-out page', async () => {
      // Each case's id_token_hint is from the session being logged out (a hint for another session needs confirmation).
      for (const name of Object.keys(await other((await loggedIn()).idToken))) {
        const { b, idToken } = await loggedIn();
        const params = (await other(idToken))[name]!;
        let res = await h.logout(b, 'GET', params);
        // Without an id_token_hint for this session the user is asked first; confirming logs out as before.
        expect(isLogoutConfirmPage(res), `${name}: confirmation page`).toBe(UNPROVEN.has(name));
        if (UNPROVEN.has(name)) res = await answerLogoutConfirm(b, res, 'logout');
        await expectStaysOnProvider(res, b).catch((e: Error) => {
          throw new Error(`${name}: ${e.message}`);
        });
      }
    });

    it('refuses to redirect for every broken rule (POST) as well', async () => {
      // Each case's id_token_hint is from the session being logged out (a hint for another session needs confirmation).
      for (const name of Object.keys(await other((await loggedIn()).idToken))) {
        const { b, idToken } = await loggedIn();
        const params = (await other(idToken))[name]!;
        let res = await h.logout(b, 'POST', params);
        // Without an id_token_hint for this session the user is asked first; confirming logs out as before.
        expect(isLogoutConfirmPage(res), `${name}: confirmation page`).toBe(UNPROVEN.has(name));
        if (UNPROVEN.has(name)) res = await answerLogoutConfirm(b, res, 'logout');
        await expectStaysOnProvider(res, b).catch((e: Error) => {
          throw new Error(`${name}: ${e.message}`);
        });
      }
    });
  });
});

describe('back-channel logout is not sent when a session merely expires', () => {
  let server: TestServer;
  let rp: RelyingParty;
  const clock = new ManualClock();
  const clients: Record<string, Record<string, unknown>> = {};
  const h = providerHelpers(() => server, (id) => (clients[id]!.redirect_uris as string[])[0]!);

  beforeAll(async () => {
    rp = await startRelyingParty();
    clients.exp = rpClient('exp', rp, { frontchannel_logout_session_required: true });
    server = await startServer({ clients: Object.values(clients), clock });
    rp.providerOrigin = new URL(server.issuer).origin;
  });
  afterAll(async () => {
    await server?.close();
    await rp?.close();
  });

  it('sends nothing after 31 minutes of inactivity, neither on the next login nor on a logout with the dead cookie', async () => {
    const b = new Browser(server.issuer);
    const first = await h.login(b, 'exp');
    expect(first.claims.sid).toBeTruthy();
    clock.advance(31 * 60_000);
    expect((await h.promptNone(b, 'exp')).get('error')).toBe('login_required');
    // Logging in again must authenticate (the session expired) and starts a new session.
    const a = await h.authUrl('exp');
    const step = await h.authenticate(b, a.url);
    expect(new URL(step.location!).searchParams.get('code')).toBeTruthy();

    const b2 = new Browser(server.issuer);
    const a2 = await h.authUrl('exp');
    expect(new URL((await h.authenticate(b2, a2.url)).location!).searchParams.get('code')).toBeTruthy();
    clock.advance(31 * 60_000);
    const res = await h.logout(b2, 'GET');
    expect(res.status).toBe(200);
    expect(res.html).toContain(LOGGED_OUT_TITLE);
    expect(iframeSrcs(res.html)).toEqual([]);

    await new Promise((r) => setTimeout(r, 500));
    expect(rp.backChannel()).toEqual([]);
    expect(rp.frontChannel()).toEqual([]);
  });
});
