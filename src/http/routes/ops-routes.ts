import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { APP_CSS } from '../../ui/assets.js';

/** Liveness and readiness for load balancers and orchestrators (JSON). */
export function healthRoutes(app: FastifyInstance, s: Services): void {
  app.get('/health/live', async (_req, reply) => reply.header('Cache-Control', 'no-store').send({ status: 'ok' }));
  app.get('/health/ready', async (_req, reply) => {
    try {
      await s.stores.ping();
      return reply.header('Cache-Control', 'no-store').send({ status: 'ok' });
    } catch {
      return reply.code(503).header('Cache-Control', 'no-store').send({ status: 'unavailable' });
    }
  });
}

/** The stylesheet of the pages, and the root. */
export function siteRoutes(app: FastifyInstance, s: Services): void {
  app.get('/assets/app.css', async (_req, reply) =>
    reply.header('Cache-Control', 'public, max-age=86400').type('text/css; charset=utf-8').send(APP_CSS));
  app.get('/', async (_req, reply) => reply.redirect(s.config.demoEnabled ? '/demo' : '/.well-known/openid-configuration'));
}
