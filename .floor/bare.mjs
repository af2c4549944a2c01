import Fastify from 'fastify';
const app = Fastify();
app.get('/health/live', async (_q, r) => r.header('Cache-Control', 'no-store').send({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
