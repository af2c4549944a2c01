/**
 * GET /metrics (Prometheus text format), optionally protected:
 *  - `metrics.token` (env METRICS_TOKEN): requires `Authorization: Bearer <token>` (RFC 6750 §2.1),
 *    compared in constant time, else 401 with `WWW-Authenticate: Bearer` (RFC 6750 §3);
 *  - `metrics.port` (env METRICS_PORT): served by a separate listener on that port only, not on
 *    the main port (so a load balancer exposing the main port does not expose it).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Metrics } from './metrics.js';
import { lazySchemaCompilers } from '../http/lazy-schema-compilers.js';

export interface MetricsProtection {
  token?: string;
  port?: number;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Whether an Authorization header carries the configured Bearer token (constant time, no length leak). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = header === undefined ? null : /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return timingSafeEqual(digest(m ? m[1]! : ''), digest(token)) && m !== null;
}

function addRoute(app: FastifyInstance, metrics: Metrics, token: string | undefined): void {
  app.get('/metrics', async (req: FastifyRequest, reply: FastifyReply) => {
    reply.header('Cache-Control', 'no-store');
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      return reply.code(401).header('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain; charset=utf-8').send('unauthorized\n');
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

/**
 * Registers /metrics on the main app, or (with a metrics port) builds the separate listener and
 * returns it; the caller listens on it, and it is closed with the main app.
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, protection: MetricsProtection): FastifyInstance | undefined {
  if (protection.port === undefined) {
    addRoute(app, metrics, protection.token);
    return undefined;
  }
  const separate = Fastify({ logger: false, schemaController: { compilersFactory: lazySchemaCompilers() } });
  addRoute(separate, metrics, protection.token);
  app.addHook('onClose', async () => { await separate.close(); });
  return separate;
}
