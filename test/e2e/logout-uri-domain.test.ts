/**
 * The logout-URI domain rule at start-up through the clients file: a front- or back-channel logout
 * URI in the registrable domain of a redirect URI is registered, one elsewhere stops the start
 * with a message naming the entry and the field. (The admin API's 400 answers are in
 * test/admin/admin-api.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { authorizeUrl, http } from './checks.js';
import { startServer, webClient } from './harness.js';

describe('logout URIs in the registrable domain of a redirect URI', () => {
  it('a server starts with logout URIs on sibling hosts and an IP logout URI on the redirect IP', async () => {
    const server = await startServer({
      clients: [
        webClient('sib', {
          redirect_uris: ['https://app.sib.example.no/callback'],
          frontchannel_logout_uri: 'https://logout.sib.example.no/fcl',
          backchannel_logout_uri: 'https://sib.example.no:8443/bcl',
        }),
        webClient('ip', { redirect_uris: ['http://127.0.0.1:9000/callback'], backchannel_logout_uri: 'http://127.0.0.1:9001/bcl' }),
      ],
    });
    try {
      // both clients are registered: /authorize accepts their redirect URIs (an unknown client gets an error page)
      for (const [id, redirectUri] of [['sib', 'https://app.sib.example.no/callback'], ['ip', 'http://127.0.0.1:9000/callback']] as const) {
        const res = await http(authorizeUrl(server.issuer, id, { redirect_uri: redirectUri }));
        expect(res.status, res.text).toBe(302);
        expect(res.location).toMatch(new RegExp(`^${server.issuer}/login/`));
      }
    } finally {
      await server.close();
    }
  });

  it.each([
    ['frontchannel_logout_uri', 'https://sib.example.com/fcl'],
    ['backchannel_logout_uri', 'https://evil.example/bcl'],
    ['backchannel_logout_uri', 'https://other.kommune.no/bcl'],
  ])('a %s of %s stops the start, naming the field', async (field, uri) => {
    const redirect = field === 'backchannel_logout_uri' && uri.includes('kommune') ? 'https://app.oslo.kommune.no/callback' : 'https://app.sib.example.no/callback';
    await expect(startServer({ clients: [webClient('bad', { redirect_uris: [redirect], [field]: uri })] }))
      .rejects.toThrow(new RegExp(`${field}: host .* must be in the same registrable domain as one of the redirect_uris`));
  });
});
