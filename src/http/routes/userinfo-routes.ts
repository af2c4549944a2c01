import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services.js';
import { verifyAccessToken } from '../../oauth/bearer-token.js';
import { authenticateResourceRequest, type AuthScheme } from '../../oauth/dpop/resource-request.js';
import { DPOP_ALGS } from '../../oauth/dpop/dpop-proof.js';
import { releasedPersonClaims } from '../../tokens/token-claims.js';
import { sendNoStoreJson } from '../respond.js';

function challenge(scheme: AuthScheme, error?: string, description?: string): string {
  const params = scheme === 'Bearer' ? ['realm="ansattporten"'] : [`algs="${DPOP_ALGS.join(' ')}"`];
  if (error) params.push(`error="${error}"`);
  if (description) params.push(`error_description="${description}"`);
  return `${scheme} ${params.join(', ')}`;
}

function authError(reply: FastifyReply, status: number, scheme: AuthScheme, error: string | undefined, description?: string): FastifyReply {
  // Without credentials both schemes are offered (RFC 9449 §7.1, RFC 6750 §3).
  reply.header('WWW-Authenticate', error ? challenge(scheme, error, description) : [challenge('Bearer'), challenge('DPoP')]);
  return sendNoStoreJson(reply, status, error ? { error, error_description: description } : { error: 'invalid_request', error_description: 'missing access token' });
}

/** GET and POST /userinfo (spec §10, RFC 6750 errors; DPoP-bound tokens per RFC 9449 §7). */
export function userinfoRoutes(app: FastifyInstance, s: Services): void {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const nowMs = s.clock.now();
    const result = await authenticateResourceRequest(
      { authorization: req.headers.authorization, rawHeaders: req.raw.rawHeaders, method: req.method, url: `${s.config.issuer}/userinfo` },
      {
        nowMs, replay: s.stores.ephemeral,
        verifyToken: (token) => verifyAccessToken(token, { keys: s.keys, grants: s.stores.grants, issuer: s.config.issuer, nowMs, isClientActive: async (id) => !!(await s.registry.getActive(id)), ephemeral: s.stores.ephemeral }),
      },
    );
    if (!result.ok) return authError(reply, result.status, result.scheme, result.error, result.description);
    const active = result.token;
    const scopes = String(active.claims.scope ?? '').split(' ');
    if (!scopes.includes('profile')) return authError(reply, 403, result.scheme, 'insufficient_scope', 'the profile scope is required');
    const g = active.grant;
    const body: Record<string, unknown> = { sub: g.sub };
    if (g.pid) body.pid = g.pid;
    body.locale = g.locale;
    const clm = Array.isArray(active.claims.clm) ? (active.claims.clm as string[]) : [];
    const released = releasedPersonClaims(g);
    for (const name of clm) if (released[name] !== undefined) body[name] = released[name];
    return sendNoStoreJson(reply, 200, body);
  };
  app.get('/userinfo', handler);
  app.post('/userinfo', handler);
}
