/**
 * src/http/lazy-schema-compilers.ts: fastify with the lazily loaded compilers still validates and
 * serialises a route that declares a JSON Schema, as with fastify's defaults.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazySchemaCompilers } from '../../src/http/lazy-schema-compilers.js';

describe('lazySchemaCompilers', () => {
  it('validates a body and serialises a response by their schemas when a route declares them', async () => {
    const app = Fastify({ schemaController: { compilersFactory: lazySchemaCompilers() } });
    app.post('/echo', {
      schema: {
        body: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 }, n: { type: 'integer' } } },
        response: { 200: { type: 'object', properties: { name: { type: 'string' }, n: { type: 'integer' } } } },
      },
    }, async (req) => ({ ...(req.body as object), secret: 'not in the response schema' }));
    try {
      const bad = await app.inject({ method: 'POST', url: '/echo', payload: { n: 1 } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('FST_ERR_VALIDATION');
      // ajv's coercion, fastify's default
      const good = await app.inject({ method: 'POST', url: '/echo', payload: { name: 'a', n: '2' } });
      expect(good.statusCode).toBe(200);
      expect(good.json()).toEqual({ name: 'a', n: 2 });
    } finally {
      await app.close();
    }
  });
});
