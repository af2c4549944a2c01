import type { FastifyRequest } from 'fastify';

/**
 * Structured JSON logs (pino, through fastify) with a request id on every line. Nothing that
 * could carry a secret, a token or a national identity number is logged: URLs are logged as
 * their path only (query strings carry codes, id_token_hints and state), and headers that carry
 * credentials are redacted.
 */
export function loggerOptions(base: Record<string, unknown>): Record<string, unknown> {
  return {
    level: 'info',
    ...base,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    serializers: {
      req(req: FastifyRequest) {
        return { method: req.method, path: pathOnly(req.url), remoteAddress: req.ip };
      },
      res(res: { statusCode: number }) {
        return { statusCode: res.statusCode };
      },
    },
  };
}

export function pathOnly(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? url : url.slice(0, i);
}
