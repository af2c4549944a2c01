/**
 * Admin API endpoints for test data (the test world, src/testworld/test-data.ts), under
 * `<admin.base_path>/testdata`. Only the static admin token (ADMIN_TOKEN) is accepted, and the
 * endpoints do not exist in production (404).
 *   GET    /testdata/{kind}              the fixtures' entries, then the stored ones
 *   POST   /testdata/{kind}              add (or replace) an entry in the fixtures format
 *   DELETE /testdata/persons/{pid}
 *   DELETE /testdata/organizations/{orgno}
 *   DELETE /testdata/roles/{pid}/{orgno}/{role}
 *   DELETE /testdata/rights/{pid}/{orgno}/{resource}
 *   DELETE /testdata/access-packages/{pid}/{orgno}/{package}
 *   DELETE /testdata/work-accounts/{email}
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../services.js';
import type { TestDataKind } from '../store/ports.js';
import { TestDataAdmin, type TestDataResult } from '../testworld/test-data-admin.js';
import { KEY_FIELDS } from '../testworld/test-data.js';
import type { AdminAuthenticator } from './admin-auth.js';

const REALM = 'ansattporten-admin';

/** URL segment → kind. */
export const TEST_DATA_PATHS: Readonly<Record<string, TestDataKind>> = {
  persons: 'persons',
  organizations: 'organizations',
  roles: 'roles',
  rights: 'rights',
  'access-packages': 'access_packages',
  'work-accounts': 'work_accounts',
};

function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  reply.code(status).header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
  if (status === 204) return reply.send();
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
}

function sendResult<T>(reply: FastifyReply, r: TestDataResult<T>, status: number): FastifyReply {
  if (r.ok) return sendJson(reply, status, r.value);
  const body: Record<string, unknown> = { error: r.error, error_description: r.description };
  if (r.status === 400) body.errors = r.errors;
  return sendJson(reply, r.status, body);
}

export function testDataApiRoutes(app: FastifyInstance, s: Services, auth: AdminAuthenticator): void {
  if (s.config.production || s.stores.testData === undefined) return;
  const admin = new TestDataAdmin({ world: s.testWorld, store: s.stores.testData, clock: s.clock, ...(s.stores.audit ? { audit: s.stores.audit } : {}) });

  /** True for the static admin token; otherwise answers 401/403. */
  async function allowed(req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const r = await auth.authenticateHeader(req.headers.authorization);
    if (!r.ok) {
      reply.header('WWW-Authenticate', r.error === 'missing' ? `Bearer realm="${REALM}"` : `Bearer realm="${REALM}", error="invalid_token"`);
      sendJson(reply, 401, { error: 'invalid_token', error_description: r.description });
      return false;
    }
    if (r.principal.kind !== 'static') {
      reply.header('WWW-Authenticate', `Bearer realm="${REALM}", error="insufficient_scope"`);
      sendJson(reply, 403, { error: 'insufficient_scope', error_description: 'test data can only be changed with the admin token' });
      return false;
    }
    return true;
  }

  const kindOf = (req: FastifyRequest, reply: FastifyReply): TestDataKind | undefined => {
    const kind = TEST_DATA_PATHS[(req.params as { kind: string }).kind];
    if (kind === undefined) sendJson(reply, 404, { error: 'not_found', error_description: `no such kind of test data (one of ${Object.keys(TEST_DATA_PATHS).join(', ')})` });
    return kind;
  };

  app.register(
    async (api) => {
      api.setNotFoundHandler(async (_req, reply) => sendJson(reply, 404, { error: 'not_found', error_description: 'no such endpoint' }));
      api.setErrorHandler(async (error: Error & { statusCode?: number }, req, reply) => {
        const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
        if (status === 500) req.log.error({ err: error }, 'test data API error');
        return sendJson(reply, status, { error: status === 500 ? 'server_error' : 'invalid_request', error_description: status === 500 ? 'an internal error occurred' : 'the request body must be valid JSON' });
      });

      api.get('/:kind', async (req, reply) => {
        if (!(await allowed(req, reply))) return reply;
        const kind = kindOf(req, reply);
        if (kind === undefined) return reply;
        return sendJson(reply, 200, await admin.list(kind));
      });

      api.post('/:kind', async (req, reply) => {
        if (!(await allowed(req, reply))) return reply;
        const kind = kindOf(req, reply);
        if (kind === undefined) return reply;
        if (!/^application\/(?:[a-z0-9.+-]*\+)?json\b/i.test(String(req.headers['content-type'] ?? '')) || req.body === undefined) {
          return sendJson(reply, 400, { error: 'invalid_request', error_description: 'the request body must be JSON (Content-Type: application/json)' });
        }
        return sendResult(reply, await admin.add('admin-token', kind, req.body), 201);
      });

      api.delete('/:kind/*', async (req, reply) => {
        if (!(await allowed(req, reply))) return reply;
        const kind = kindOf(req, reply);
        if (kind === undefined) return reply;
        const parts = String((req.params as Record<string, string>)['*'] ?? '').split('/');
        if (parts.length !== KEY_FIELDS[kind].length) {
          return sendJson(reply, 404, { error: 'not_found', error_description: `${kind} are removed at /testdata/${(req.params as { kind: string }).kind}/${KEY_FIELDS[kind].map((f) => `{${f}}`).join('/')}` });
        }
        return sendResult(reply, await admin.remove('admin-token', kind, parts), 204);
      });
    },
    { prefix: `${s.config.admin.basePath}/testdata` },
  );
}
