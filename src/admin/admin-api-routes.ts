/** The admin API (spec §15.3) under `admin.base_path`: JSON in, JSON out, Bearer tokens only. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../services.js';
import { hasScope, SCOPE_MODIFY, SCOPE_READ, SCOPE_WRITE, type AdminAuthenticator, type AdminPrincipal, type AdminScope } from './admin-auth.js';
import type { AdminResult, ClientAdmin } from './client-admin.js';
import { adminOpenApi } from './openapi.js';
import type { EmployerRuleAdmin } from './employer-rule-admin.js';
import { employerRuleApiRoutes } from './employer-rule-routes.js';

const REALM = 'ansattporten-admin';

function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  reply.code(status).header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
  if (status === 204) return reply.send();
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
}

function quoted(s: string): string {
  return s.replace(/["\\\r\n]/g, ' ');
}

function sendResult<T>(reply: FastifyReply, r: AdminResult<T>, status = 200): FastifyReply {
  if (r.ok) return sendJson(reply, status, r.value);
  const body: Record<string, unknown> = { error: r.error, error_description: r.description };
  if (r.status === 400) body.errors = r.errors;
  return sendJson(reply, r.status, body);
}

const truthy = (v: unknown) => v === 'true' || v === '1';

interface AdminApiDeps {
  auth: AdminAuthenticator;
  clients: ClientAdmin;
  /** Stored employer rules; the endpoints exist when the store provides them. */
  employerRules?: EmployerRuleAdmin;
}

export function adminApiRoutes(app: FastifyInstance, s: Services, deps: AdminApiDeps): void {
  const base = s.config.admin.basePath;
  const { auth, clients } = deps;

  /** The authenticated caller with `scope`, or undefined after answering 401/403. */
  async function caller(req: FastifyRequest, reply: FastifyReply, scope: AdminScope): Promise<AdminPrincipal | undefined> {
    const r = await auth.authenticateHeader(req.headers.authorization);
    if (!r.ok) {
      if (r.error === 'missing') {
        reply.header('WWW-Authenticate', `Bearer realm="${REALM}"`);
        sendJson(reply, 401, { error: 'invalid_token', error_description: r.description });
      } else {
        reply.header('WWW-Authenticate', `Bearer realm="${REALM}", error="${r.error}", error_description="${quoted(r.description)}"`);
        sendJson(reply, 401, { error: r.error, error_description: r.description });
      }
      return undefined;
    }
    if (!hasScope(r.principal, scope)) {
      reply.header('WWW-Authenticate', `Bearer realm="${REALM}", error="insufficient_scope", scope="${scope}"`);
      sendJson(reply, 403, { error: 'insufficient_scope', error_description: `the scope ${scope} is required` });
      return undefined;
    }
    return r.principal;
  }

  const idOf = (req: FastifyRequest) => (req.params as { client_id: string }).client_id;
  const query = (req: FastifyRequest) => (req.query ?? {}) as Record<string, unknown>;

  app.register(
    async (api) => {
      api.setErrorHandler(async (error: Error & { statusCode?: number }, req, reply) => {
        const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
        if (status === 500) req.log.error({ err: error }, 'admin API error');
        return sendJson(reply, status, {
          error: status === 500 ? 'server_error' : 'invalid_request',
          error_description: status === 500 ? 'an internal error occurred' : status === 413 ? 'the request body is too large' : 'the request body must be valid JSON',
        });
      });
      api.setNotFoundHandler(async (_req, reply) => sendJson(reply, 404, { error: 'not_found', error_description: 'no such endpoint' }));

      /** A JSON body, or undefined after answering 400 (the app turns other media types into "no body"). */
      const jsonBody = (req: FastifyRequest, reply: FastifyReply): unknown => {
        const ct = String(req.headers['content-type'] ?? '');
        if (!/^application\/(?:[a-z0-9.+-]*\+)?json\b/i.test(ct) || req.body === undefined) {
          sendJson(reply, 400, { error: 'invalid_request', error_description: 'the request body must be JSON (Content-Type: application/json)' });
          return undefined;
        }
        return req.body;
      };

      api.get('/openapi.json', async (_req, reply) =>
        reply.header('Cache-Control', 'public, max-age=3600').type('application/json; charset=utf-8')
          .send(JSON.stringify(adminOpenApi({ serverUrl: `${s.config.issuer}${base}` }))));

      api.get('/clients', async (req, reply) => {
        const p = await caller(req, reply, SCOPE_READ);
        if (!p) return reply;
        return sendJson(reply, 200, await clients.list(p, { includeInactive: truthy(query(req).inactive) }));
      });

      api.post('/clients', async (req, reply) => {
        const p = await caller(req, reply, SCOPE_WRITE);
        if (!p) return reply;
        const body = jsonBody(req, reply);
        if (body === undefined) return reply;
        const r = await clients.create(p, body);
        if (r.ok) reply.header('Location', `${base}/clients/${encodeURIComponent(r.value.client_id)}`);
        return sendResult(reply, r, 201);
      });

      api.get('/clients/:client_id', async (req, reply) => {
        const p = await caller(req, reply, SCOPE_READ);
        if (!p) return reply;
        return sendResult(reply, await clients.get(p, idOf(req), { includeInactive: truthy(query(req).inactive) }));
      });

      api.put('/clients/:client_id', async (req, reply) => {
        const p = await caller(req, reply, SCOPE_MODIFY);
        if (!p) return reply;
        const body = jsonBody(req, reply);
        if (body === undefined) return reply;
        return sendResult(reply, await clients.update(p, idOf(req), body));
      });

      api.delete('/clients/:client_id', async (req, reply) => {
        const p = await caller(req, reply, SCOPE_MODIFY);
        if (!p) return reply;
        const r = await clients.deactivate(p, idOf(req));
        return r.ok ? sendJson(reply, 204, undefined) : sendResult(reply, r);
      });

      api.post('/clients/:client_id/secret', async (req, reply) => {
        const p = await caller(req, reply, SCOPE_MODIFY);
        if (!p) return reply;
        return sendResult(reply, await clients.rotateSecret(p, idOf(req)));
      });

      api.get('/clients/:client_id/jwks', async (req, reply) => {
        const p = await caller(req, reply, SCOPE_READ);
        if (!p) return reply;
        return sendResult(reply, await clients.getJwks(p, idOf(req)));
      });

      const replaceJwks = async (req: FastifyRequest, reply: FastifyReply) => {
        const p = await caller(req, reply, SCOPE_MODIFY);
        if (!p) return reply;
        const body = jsonBody(req, reply);
        if (body === undefined) return reply;
        return sendResult(reply, await clients.replaceJwks(p, idOf(req), body));
      };
      api.post('/clients/:client_id/jwks', replaceJwks);
      api.put('/clients/:client_id/jwks', replaceJwks);

      api.get('/audit', async (req, reply) => {
        const p = await caller(req, reply, SCOPE_READ);
        if (!p) return reply;
        if (p.kind !== 'static') {
          reply.header('WWW-Authenticate', `Bearer realm="${REALM}", error="insufficient_scope"`);
          return sendJson(reply, 403, { error: 'insufficient_scope', error_description: 'the audit log is only available with the admin token' });
        }
        const limitRaw = Number(query(req).limit ?? 100);
        const limit = Number.isInteger(limitRaw) && limitRaw >= 1 && limitRaw <= 1000 ? limitRaw : 100;
        return sendJson(reply, 200, s.stores.audit ? await s.stores.audit.list({ limit }) : []);
      });

      // --- employer rules ---
      if (deps.employerRules) employerRuleApiRoutes(api, base, deps.employerRules, { caller, jsonBody, sendJson });
    },
    { prefix: base },
  );
}
