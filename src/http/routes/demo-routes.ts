import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt, decodeProtectedHeader, jwtVerify, createLocalJWKSet } from 'jose';
import { Params } from '../../core/params.js';
import { randomId } from '../../core/random.js';
import { DEMO_CLIENT_ID, type Services } from '../../services.js';
import { pickLocale } from '../../ui/i18n.js';
import { renderDemoResultPage, renderDemoStartPage, renderErrorPage } from '../../ui/index.js';
import { readCookie, setCookie } from '../cookies.js';
import { sendHtml } from '../respond.js';
import { shortLived } from '../../store/short-lived.js';

const EXAMPLES: Record<string, string> = {
  resource: JSON.stringify([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:eksempel-tjeneste', actions: 'read' }]),
  multiple: JSON.stringify([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:eksempel-tjeneste', allow_multiple_organizations: true }]),
  required: JSON.stringify([{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:eksempel-tjeneste', representation_is_required: true }]),
  service: JSON.stringify([{ type: 'ansattporten:altinn:service', resource: 'urn:altinn:resource:2480:40' }]),
  orgno: JSON.stringify([{ type: 'ansattporten:orgno' }]),
};

interface DemoState { state: string; nonce: string; verifier: string }

/**
 * The built-in demo client: a real relying party that logs in against this provider over its
 * own HTTP interface (authorize, PAR, token, userinfo) and shows the decoded tokens.
 */
export function demoRoutes(app: FastifyInstance, s: Services): void {
  const issuer = s.config.issuer;
  const redirectUri = `${issuer}/demo/callback`;
  const cookie = 'ansattporten_demo';
  const basic = `Basic ${Buffer.from(`${DEMO_CLIENT_ID}:${s.demoSecret}`).toString('base64')}`;
  const locale = (req: FastifyRequest) => pickLocale([new URL(req.url, 'http://x').searchParams.get('lang') ?? undefined, readCookie(req, s.cookieNames.lang)]);

  app.get('/demo', async (req, reply) => {
    const q = new URL(req.url, 'http://x').searchParams;
    const example = q.get('example');
    return sendHtml(reply, 200, () => renderDemoStartPage({
      locale: locale(req), issuer, clientId: DEMO_CLIENT_ID,
      defaults: {
        scope: 'openid profile', acr_values: 'substantial', ui_locales: locale(req), prompt: '', response_mode: 'query', use_par: false,
        authorization_details: (example && EXAMPLES[example]) || '',
      },
    }));
  });

  app.get('/demo/login', async (req, reply) => {
    const q = new URL(req.url, 'http://x').searchParams;
    const st: DemoState = { state: randomId(16), nonce: randomId(16), verifier: randomId(32) };
    await shortLived<DemoState>(s.stores.ephemeral, 'demo').put(st.state, st, 1800);
    setCookie(reply, { secure: s.config.secureCookies }, cookie, st.state);
    const params: Record<string, string> = {
      client_id: DEMO_CLIENT_ID, response_type: 'code', redirect_uri: redirectUri,
      scope: q.get('scope') || 'openid profile', state: st.state, nonce: st.nonce,
      code_challenge: createHash('sha256').update(st.verifier).digest('base64url'), code_challenge_method: 'S256',
    };
    for (const name of ['acr_values', 'ui_locales', 'prompt', 'response_mode', 'authorization_details']) {
      const v = q.get(name);
      if (v) params[name] = v;
    }
    if (q.get('use_par')) {
      const res = await app.inject({
        method: 'POST', url: '/par', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(params).toString(),
      });
      const body = res.json() as { request_uri?: string; error?: string; error_description?: string };
      if (res.statusCode !== 201 || !body.request_uri) {
        return sendHtml(reply, 400, () => renderErrorPage({ locale: locale(req), errorCode: body.error, message: body.error_description ?? 'PAR failed' }));
      }
      return reply.redirect(`${s.config.loginBaseUrl}/authorize?client_id=${DEMO_CLIENT_ID}&request_uri=${encodeURIComponent(body.request_uri)}`);
    }
    return reply.redirect(`${s.config.loginBaseUrl}/authorize?${new URLSearchParams(params).toString()}`);
  });

  const callback = async (req: FastifyRequest, reply: FastifyReply, p: Params) => {
    const loc = locale(req);
    const fail = (message: string, code?: string) => sendHtml(reply, 400, () => renderErrorPage({ locale: loc, errorCode: code, message, returnAction: undefined }));
    if (p.get('iss') !== issuer) return fail('The response has no or a wrong iss parameter (RFC 9207).');
    const stateParam = p.get('state');
    if (!stateParam || stateParam !== readCookie(req, cookie)) return fail('The state does not match this browser.');
    const st = await shortLived<DemoState>(s.stores.ephemeral, 'demo').take(stateParam);
    if (!st) return fail('Unknown or used state.');
    if (p.get('error')) return fail(p.get('error_description') ?? '', p.get('error'));
    const res = await app.inject({
      method: 'POST', url: '/token', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'authorization_code', code: p.get('code') ?? '', redirect_uri: redirectUri, code_verifier: st.verifier }).toString(),
    });
    const tokens = res.json() as Record<string, unknown>;
    if (res.statusCode !== 200) return fail(String(tokens.error_description ?? ''), String(tokens.error ?? ''));
    const jwks = createLocalJWKSet(JSON.parse(s.keys.jwks()));
    const idToken = String(tokens.id_token);
    const { payload } = await jwtVerify(idToken, jwks, { issuer, audience: DEMO_CLIENT_ID, currentDate: new Date(s.clock.now()) });
    if (payload.nonce !== st.nonce) return fail('The nonce in the id_token does not match.');
    const ui = await app.inject({ method: 'GET', url: '/userinfo', headers: { authorization: `Bearer ${String(tokens.access_token)}` } });
    return sendHtml(reply, 200, () => renderDemoResultPage({
      locale: loc, issuer, tokenResponse: tokens,
      idTokenHeader: decodeProtectedHeader(idToken), idTokenClaims: payload,
      accessTokenClaims: decodeJwt(String(tokens.access_token)),
      userinfo: ui.statusCode === 200 ? (ui.json() as object) : undefined,
      logoutUrl: `${s.config.loginBaseUrl}/logout`,
      logoutFields: { client_id: DEMO_CLIENT_ID, post_logout_redirect_uri: `${issuer}/demo`, state: randomId(8) },
    }));
  };

  app.get('/demo/callback', async (req, reply) => callback(req, reply, Params.fromSearchParams(new URL(req.url, 'http://x').searchParams)));
  app.post('/demo/callback', async (req, reply) => callback(req, reply, req.body instanceof Params ? req.body : Params.empty()));
  // Front-channel logout endpoint of the demo client: it keeps no local session, so it only answers.
  app.get('/demo/frontchannel-logout', async (_req, reply) => reply.header('Cache-Control', 'no-store').type('text/plain').send('ok'));
}
