/**
 * The local Altinn (src/testworld/local-altinn.ts) under `<issuer><local_altinn.base_path>`:
 *   POST {base}/accessmanagement/api/v1/resourceowner/authorizedparties[?includeAltinn2=true]
 *   POST {base}/authorization/api/v1/authorize
 * Any caller is accepted (no Altinn token or subscription key is checked): it only exists outside
 * production and serves synthetic data. Errors are RFC 9457 problem details.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../../services.js';
import { authorizedParties, decide, LocalAltinnError, parseAuthorizedPartiesRequest } from '../../testworld/local-altinn.js';

const BODY_LIMIT = 1024 * 1024;

function problem(reply: FastifyReply, status: number, title: string, detail: string): FastifyReply {
  return reply.code(status).header('Cache-Control', 'no-store').type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title, status, detail }));
}

function json(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.code(200).header('Cache-Control', 'no-store').type('application/json; charset=utf-8').send(JSON.stringify(body));
}

export function localAltinnRoutes(app: FastifyInstance, s: Services): void {
  if (!s.config.localAltinnEnabled) return;
  app.register(
    async (api) => {
      api.setErrorHandler(async (error: Error & { statusCode?: number }, req, reply) => {
        if (error instanceof LocalAltinnError) return problem(reply, 400, 'Bad Request', error.message);
        const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
        if (status === 500) req.log.error({ err: error }, 'local Altinn error');
        return problem(reply, status, status === 500 ? 'Internal Server Error' : 'Bad Request',
          status === 500 ? 'an internal error occurred' : status === 413 ? 'the request body is too large' : 'the request body must be valid JSON');
      });
      api.setNotFoundHandler(async (_req, reply) => problem(reply, 404, 'Not Found', 'no such endpoint'));

      const body = (req: { headers: Record<string, unknown>; body: unknown }): unknown => {
        if (!/^application\/(?:[a-z0-9.+-]*\+)?json\b/i.test(String(req.headers['content-type'] ?? '')) || req.body === undefined) {
          throw new LocalAltinnError('the request body must be JSON (Content-Type: application/json)');
        }
        return req.body;
      };

      api.post('/accessmanagement/api/v1/resourceowner/authorizedparties', { bodyLimit: BODY_LIMIT }, async (req, reply) => {
        const pid = parseAuthorizedPartiesRequest(body(req));
        return json(reply, authorizedParties(await s.testWorld.current(), pid));
      });

      api.post('/authorization/api/v1/authorize', { bodyLimit: BODY_LIMIT }, async (req, reply) => {
        const request = body(req);
        return json(reply, decide(await s.testWorld.current(), request));
      });
    },
    { prefix: s.config.local_altinn.base_path },
  );
}
