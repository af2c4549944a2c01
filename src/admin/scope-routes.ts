/**
 * Admin API endpoints for API scopes, prefixes and access lists (spec §15.3, §15.4), shaped like
 * Digdir's, registered inside the admin API plugin (under `admin.base_path`):
 *   GET    /scopes[?inactive=true]                    list the caller's scopes
 *   GET    /scopes?scope=<name>[&inactive=true]        one scope
 *   POST   /scopes                                     create a scope under one of the caller's prefixes
 *   PUT    /scopes?scope=<name>                        replace a scope
 *   DELETE /scopes?scope=<name>                        deactivate a scope
 *   GET    /scopes/prefix                              the caller's prefixes
 *   POST   /scopes/prefix                              register a prefix
 *   GET    /scopes/access/{consumer_orgno}             a consumer's access entries
 *   PUT    /scopes/access/{consumer_orgno}?scope=      give access (state APPROVED unless the body says otherwise)
 *   DELETE /scopes/access/{consumer_orgno}?scope=      revoke access (state DENIED)
 * Reading needs `idporten:scopes.read` or `idporten:scopes.write`, changing `idporten:scopes.write`;
 * the static admin token may do everything.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AdminAuthenticator, AdminPrincipal } from './admin-auth.js';
import type { ScopeAdmin, ScopeAdminResult } from './scope-admin.js';

export const SCOPES_READ = 'idporten:scopes.read';
export const SCOPES_WRITE = 'idporten:scopes.write';

const REALM = 'ansattporten-admin';

export interface ScopeRouteHelpers {
  auth: AdminAuthenticator;
  jsonBody(req: FastifyRequest, reply: FastifyReply): unknown;
  sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply;
}

/** Whether the principal may read (`write` false) or change scopes. */
export function mayManageScopes(p: AdminPrincipal, write: boolean): boolean {
  if (p.kind !== 'jwt') return true; // the static admin token and the CLI
  return p.scopes.includes(SCOPES_WRITE) || (!write && p.scopes.includes(SCOPES_READ));
}

export function scopeApiRoutes(api: FastifyInstance, base: string, scopes: ScopeAdmin, h: ScopeRouteHelpers): void {
  const { auth, jsonBody, sendJson } = h;

  const caller = async (req: FastifyRequest, reply: FastifyReply, write: boolean): Promise<AdminPrincipal | undefined> => {
    const r = await auth.authenticateHeader(req.headers.authorization);
    if (!r.ok) {
      const desc = r.description.replace(/["\\\r\n]/g, ' ');
      reply.header('WWW-Authenticate', r.error === 'missing' ? `Bearer realm="${REALM}"` : `Bearer realm="${REALM}", error="${r.error}", error_description="${desc}"`);
      sendJson(reply, 401, { error: 'invalid_token', error_description: r.description });
      return undefined;
    }
    if (!mayManageScopes(r.principal, write)) {
      const need = write ? SCOPES_WRITE : `${SCOPES_READ} or ${SCOPES_WRITE}`;
      reply.header('WWW-Authenticate', `Bearer realm="${REALM}", error="insufficient_scope", scope="${write ? SCOPES_WRITE : SCOPES_READ}"`);
      sendJson(reply, 403, { error: 'insufficient_scope', error_description: `the scope ${need} is required` });
      return undefined;
    }
    return r.principal;
  };

  const send = <T>(reply: FastifyReply, r: ScopeAdminResult<T>, okStatus = 200): FastifyReply => {
    if (r.ok) return sendJson(reply, r.created ? Math.max(okStatus, 201) : okStatus, r.value);
    const body: Record<string, unknown> = { error: r.error, error_description: r.description };
    if (r.status === 400) body.errors = r.errors;
    return sendJson(reply, r.status, body);
  };

  const q = (req: FastifyRequest, name: string): string | undefined => {
    const v = ((req.query ?? {}) as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : undefined;
  };
  const truthy = (v: string | undefined) => v === 'true' || v === '1';
  const consumerOf = (req: FastifyRequest) => (req.params as { consumer_orgno: string }).consumer_orgno;

  api.get('/scopes', async (req, reply) => {
    const p = await caller(req, reply, false);
    if (!p) return reply;
    const inactive = truthy(q(req, 'inactive'));
    const name = q(req, 'scope');
    if (name !== undefined) return send(reply, await scopes.get(p, name, { includeInactive: inactive }));
    const prefix = q(req, 'prefix');
    return send(reply, await scopes.list(p, { includeInactive: inactive, ...(prefix ? { prefix } : {}) }));
  });

  api.post('/scopes', async (req, reply) => {
    const p = await caller(req, reply, true);
    if (!p) return reply;
    const body = jsonBody(req, reply);
    if (body === undefined) return reply;
    const r = await scopes.create(p, body);
    if (r.ok) reply.header('Location', `${base}/scopes?scope=${encodeURIComponent(r.value.name)}`);
    return send(reply, r);
  });

  api.put('/scopes', async (req, reply) => {
    const p = await caller(req, reply, true);
    if (!p) return reply;
    const body = jsonBody(req, reply);
    if (body === undefined) return reply;
    return send(reply, await scopes.update(p, q(req, 'scope'), body));
  });

  api.delete('/scopes', async (req, reply) => {
    const p = await caller(req, reply, true);
    if (!p) return reply;
    return send(reply, await scopes.deactivate(p, q(req, 'scope')));
  });

  api.get('/scopes/prefix', async (req, reply) => {
    const p = await caller(req, reply, false);
    if (!p) return reply;
    return send(reply, await scopes.listPrefixes(p));
  });

  api.post('/scopes/prefix', async (req, reply) => {
    const p = await caller(req, reply, true);
    if (!p) return reply;
    const body = jsonBody(req, reply);
    if (body === undefined) return reply;
    return send(reply, await scopes.createPrefix(p, body));
  });

  api.get('/scopes/access/:consumer_orgno', async (req, reply) => {
    const p = await caller(req, reply, false);
    if (!p) return reply;
    return send(reply, await scopes.listAccess(p, consumerOf(req)));
  });

  api.put('/scopes/access/:consumer_orgno', async (req, reply) => {
    const p = await caller(req, reply, true);
    if (!p) return reply;
    // The body ({"state": ...}) is optional; without one the access is APPROVED.
    let body: unknown;
    if (req.headers['content-type'] !== undefined && req.body !== undefined && req.body !== null && String(req.body) !== '') {
      body = jsonBody(req, reply);
      if (body === undefined) return reply;
    }
    return send(reply, await scopes.putAccess(p, consumerOf(req), q(req, 'scope'), body));
  });

  api.delete('/scopes/access/:consumer_orgno', async (req, reply) => {
    const p = await caller(req, reply, true);
    if (!p) return reply;
    return send(reply, await scopes.revokeAccess(p, consumerOf(req), q(req, 'scope')));
  });
}
