/**
 * Admin API endpoints for stored employer rules (`ansattporten:orgno`, spec §9.8),
 * registered inside the admin API plugin (under `admin.base_path`):
 *   GET    /employer-rules[?orgno=]   idporten:dcr.read
 *   POST   /employer-rules            idporten:dcr.write
 *   GET    /employer-rules/{id}       idporten:dcr.read
 *   PUT    /employer-rules/{id}       idporten:dcr.modify
 *   DELETE /employer-rules/{id}       idporten:dcr.modify
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SCOPE_MODIFY, SCOPE_READ, SCOPE_WRITE, type AdminPrincipal, type AdminScope } from './admin-auth.js';
import type { EmployerRuleAdmin, RuleAdminResult } from './employer-rule-admin.js';

/** The admin API's own helpers (authentication + scope, JSON body, JSON answer). */
interface EmployerRuleRouteHelpers {
  caller(req: FastifyRequest, reply: FastifyReply, scope: AdminScope): Promise<AdminPrincipal | undefined>;
  jsonBody(req: FastifyRequest, reply: FastifyReply): unknown;
  sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply;
}

export function employerRuleApiRoutes(api: FastifyInstance, base: string, rules: EmployerRuleAdmin, h: EmployerRuleRouteHelpers): void {
  const { caller, jsonBody, sendJson } = h;
  const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;

  const send = <T>(reply: FastifyReply, r: RuleAdminResult<T>, status = 200): FastifyReply => {
    if (r.ok) return status === 204 ? sendJson(reply, 204, undefined) : sendJson(reply, status, r.value);
    const body: Record<string, unknown> = { error: r.error, error_description: r.description };
    if (r.status === 400 || r.status === 403) body.errors = r.errors;
    return sendJson(reply, r.status, body);
  };

  api.get('/employer-rules', async (req, reply) => {
    const p = await caller(req, reply, SCOPE_READ);
    if (!p) return reply;
    const q = (req.query ?? {}) as Record<string, unknown>;
    const orgno = typeof q.orgno === 'string' ? q.orgno : Array.isArray(q.orgno) ? String(q.orgno[0]) : undefined;
    return send(reply, await rules.list(p, orgno !== undefined ? { orgno } : {}));
  });

  api.post('/employer-rules', async (req, reply) => {
    const p = await caller(req, reply, SCOPE_WRITE);
    if (!p) return reply;
    const body = jsonBody(req, reply);
    if (body === undefined) return reply;
    const r = await rules.create(p, body);
    if (r.ok) reply.header('Location', `${base}/employer-rules/${encodeURIComponent(r.value.id)}`);
    return send(reply, r, 201);
  });

  api.get('/employer-rules/:id', async (req, reply) => {
    const p = await caller(req, reply, SCOPE_READ);
    if (!p) return reply;
    return send(reply, await rules.get(p, idOf(req)));
  });

  api.put('/employer-rules/:id', async (req, reply) => {
    const p = await caller(req, reply, SCOPE_MODIFY);
    if (!p) return reply;
    const body = jsonBody(req, reply);
    if (body === undefined) return reply;
    return send(reply, await rules.update(p, idOf(req), body));
  });

  api.delete('/employer-rules/:id', async (req, reply) => {
    const p = await caller(req, reply, SCOPE_MODIFY);
    if (!p) return reply;
    return send(reply, await rules.delete(p, idOf(req)), 204);
  });
}
