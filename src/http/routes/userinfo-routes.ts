import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services.js';
import { verifyAccessToken } from '../../oauth/bearer-token.js';
import { releasedPersonClaims } from '../../tokens/token-claims.js';
import { sendNoStoreJson } from '../respond.js';

function bearerError(reply: FastifyReply, status: number, error: string | undefined, description?: string): FastifyReply {
  const params = ['realm="ansattporten"'];
  if (error) params.push(`error="${error}"`);
  if (description) params.push(`error_description="${description}"`);
  reply.header('WWW-Authenticate', `Bearer ${params.join(', ')}`);
  return sendNoStoreJson(reply, status, error ? { error, error_description: description } : { error: 'invalid_request', error_description: 'missing bearer token' });
}

/** GET and POST /userinfo (spec §10, RFC 6750 errors). */
export function userinfoRoutes(app: FastifyInstance, s: Services): void {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const auth = req.headers.authorization;
    if (!auth) return bearerError(reply, 401, undefined);
    const m = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(auth.trim());
    if (!m) return bearerError(reply, 400, 'invalid_request', 'malformed Authorization header');
    const active = await verifyAccessToken(m[1]!, { keys: s.keys, grants: s.stores.grants, issuer: s.config.issuer, nowMs: s.clock.now(), isClientActive: async (id) => !!(await s.registry.getActive(id)), ephemeral: s.stores.ephemeral });
    if (!active) return bearerError(reply, 401, 'invalid_token', 'the access token is invalid, expired or revoked');
    const scopes = String(active.claims.scope ?? '').split(' ');
    if (!scopes.includes('profile')) return bearerError(reply, 403, 'insufficient_scope', 'the profile scope is required');
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
