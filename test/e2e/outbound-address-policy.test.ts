/**
 * Outgoing requests cannot be aimed inward (production mode), end to end: a client's back-channel
 * logout URI whose host resolves to 127.0.0.1 is not called when the session logs out (no TCP
 * connection reaches the listener, the outcome names the refused loopback address), and
 * registration refuses a literal inner address in that field with a 400 naming it.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingBackChannel } from '../../src/http/routes/logout-routes.js';
import type { BackChannelOutcome } from '../../src/oauth/logout/back-channel-logout.js';
import { ADMIN_TOKEN, api, clientBody } from '../admin/admin-helpers.js';
import { authorizeUrl, newPkce, redeem } from './checks.js';
import { Browser, loginWithTestId, startServer, webClient, type Step, type TestServer } from './harness.js';

const PUBLIC_ISSUER = 'https://login.example.test';

/** The scripted browser, with the provider's public https origin mapped to its loopback listener. */
class MappedBrowser extends Browser {
  constructor(private readonly local: string) {
    super(PUBLIC_ISSUER);
  }
  override request(url: string, init: Parameters<Browser['request']>[1] = {}): Promise<Step> {
    return super.request(url.startsWith(PUBLIC_ISSUER) ? this.local + url.slice(PUBLIC_ISSUER.length) : url, init);
  }
}

describe('outbound address policy in production', () => {
  let server: TestServer;
  let local: string;
  let inner: Server;
  let innerPort: number;
  const connections: Socket[] = [];

  beforeAll(async () => {
    // A listener on 127.0.0.1 standing for an inner service: it only counts connections.
    inner = createServer((sock) => { connections.push(sock); sock.destroy(); });
    await new Promise<void>((r) => inner.listen(0, '127.0.0.1', r));
    innerPort = (inner.address() as { port: number }).port;
    server = await startServer({
      env: { NODE_ENV: 'production', ISSUER: PUBLIC_ISSUER, ADMIN_TOKEN },
      config: { testid: { enabled: true }, logging: { level: 'silent' } },
      clients: [webClient('rp', {
        redirect_uris: ['https://rp.example.test/callback'], post_logout_redirect_uris: ['https://rp.example.test/logged-out'],
        backchannel_logout_uri: 'https://rp.example.test/bcl',
      })],
    });
    local = `http://127.0.0.1:${(server.app.server.address() as { port: number }).port}`;
    // The client's host name now resolves inward (its DNS changed after registration, or it was
    // always an inner name): `localhost` resolves to 127.0.0.1 on every machine.
    const stored = (await server.services.stores.clients.getClient('rp'))!;
    stored.client.backchannel_logout_uri = `https://localhost:${innerPort}/bcl`;
    await server.services.stores.clients.putClient(stored);
  });
  afterAll(async () => {
    await server?.close();
    for (const s of connections) s.destroy();
    await new Promise((r) => inner?.close(r));
  });

  it('a back-channel logout URI that resolves to 127.0.0.1 is not called', async () => {
    const b = new MappedBrowser(local);
    const pkce = newPkce();
    const step = await loginWithTestId(b, authorizeUrl(PUBLIC_ISSUER, 'rp', {}, pkce.challenge));
    expect(step.location, `${step.status} ${step.url}\n${step.html.slice(0, 600)}`).toMatch(/^https:\/\/rp\.example\.test\/callback\?/);
    const code = new URL(step.location!).searchParams.get('code')!;
    const tokens = await redeem(local, 'rp', { code, verifier: pkce.verifier, redirectUri: 'https://rp.example.test/callback' });
    expect(tokens.status, tokens.text).toBe(200);
    const sid = decodeJwt(tokens.json.id_token).sid;

    // every delivery started by the logout (kept even after it settles and leaves the set)
    const started: Promise<BackChannelOutcome[]>[] = [];
    const add = pendingBackChannel.add.bind(pendingBackChannel);
    pendingBackChannel.add = (p) => { started.push(p); return add(p); };
    const out = await b.request(`${local}/logout?${new URLSearchParams({ id_token_hint: tokens.json.id_token, post_logout_redirect_uri: 'https://rp.example.test/logged-out' })}`);
    expect(out.status).toBeLessThan(500);
    pendingBackChannel.add = add;
    const outcomes: BackChannelOutcome[] = (await Promise.all(started)).flat();
    expect(outcomes.map((o) => [o.clientId, o.ok])).toEqual([['rp', false]]);
    expect(outcomes[0]!.error).toMatch(/refused to connect to localhost \((127\.0\.0\.1|::1)\): loopback address/);
    expect(sid).toBeTruthy();
    await new Promise((r) => setTimeout(r, 100));
    expect(connections).toHaveLength(0);
  });

  it('registration refuses a literal inner address as backchannel_logout_uri (400 naming the field)', async () => {
    for (const host of ['127.0.0.1', '10.1.2.3', '169.254.169.254', '[::1]', '[fd00::1]', '[::ffff:127.0.0.1]', '0.0.0.0']) {
      const r = await api({ issuer: local }, 'POST', '/clients', {
        body: clientBody('inner', { redirect_uris: [`https://${host}/cb`], post_logout_redirect_uris: [], backchannel_logout_uri: `https://${host}/bcl` }),
      });
      expect(r.status, `${host}: ${r.text}`).toBe(400);
      expect(r.body.error).toBe('invalid_client_metadata');
      expect(r.body.errors.map((e: { field: string }) => e.field), host).toContain('backchannel_logout_uri');
    }
    const ok = await api({ issuer: local }, 'POST', '/clients', {
      body: clientBody('outer', { redirect_uris: ['https://93.184.216.34/cb'], post_logout_redirect_uris: [], backchannel_logout_uri: 'https://93.184.216.34/bcl' }),
    });
    expect(ok.status, ok.text).toBe(201);
  });
});
