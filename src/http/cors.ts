import type { FastifyInstance } from 'fastify';

/**
 * Endpoints a browser-based client (a SPA, RFC 8252 / OAuth 2.0 for Browser-Based Apps §6) calls
 * cross-origin: discovery, JWKS, token, userinfo, revocation. CORS without credentials: any
 * origin, no cookies; a preflight (OPTIONS) answers for each of these paths only.
 */
export async function corsEndpoints(app: FastifyInstance, register: (cors: FastifyInstance) => Promise<void> | void): Promise<void> {
  await app.register(async (cors) => {
    const paths = new Set<string>();
    cors.addHook('onRoute', (route) => {
      if (route.method !== 'OPTIONS' && !(Array.isArray(route.method) && route.method.includes('OPTIONS'))) paths.add(route.url);
    });
    cors.addHook('onRequest', (_req, reply, done) => {
      reply.header('Access-Control-Allow-Origin', '*');
      done();
    });
    await register(cors);
    for (const path of paths) {
      cors.options(path, async (_req, reply) => reply
        .code(204)
        .header('Access-Control-Allow-Methods', 'GET, POST')
        .header('Access-Control-Allow-Headers', 'Authorization, Content-Type, DPoP')
        .header('Access-Control-Max-Age', '600')
        .send());
    }
  });
}
