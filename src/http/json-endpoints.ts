import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../core/oauth-error.js';
import { sendOAuthError } from './respond.js';

/**
 * Turns any error of a route into the error it must be (OAuthError as is; a body too large 413;
 * other client errors 400; anything else a logged 500 without details).
 */
export function asOAuthError(error: FastifyError | Error, req: FastifyRequest, delivery: 'json' | 'page'): OAuthError {
  const status = (error as { statusCode?: number }).statusCode;
  if (error instanceof OAuthError) return error;
  if (status === 413) return new OAuthError('invalid_request', 'the request body is too large', delivery, 413);
  if (status && status >= 400 && status < 500) return new OAuthError('invalid_request', 'the request could not be parsed', delivery, 400);
  req.log.error({ err: error }, 'unhandled error');
  return new OAuthError('server_error', 'an internal error occurred', delivery, 500);
}

/**
 * Endpoints called by clients' back ends and scripts (token, PAR, userinfo, revocation,
 * introspection, discovery, JWKS, health, admin API): every error, and every unknown path under
 * their prefixes, is OAuth error JSON (RFC 6749 §5.2), never a page.
 */
export async function jsonEndpoints(app: FastifyInstance, register: (api: FastifyInstance) => Promise<void> | void): Promise<void> {
  await app.register(async (api) => {
    api.setErrorHandler(async (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      const err = asOAuthError(error, req, 'json');
      return sendOAuthError(reply, err.delivery === 'json' ? err : new OAuthError(err.error, err.description, 'json', err.status, err.headers));
    });
    await register(api);
  });
}

/** Unknown paths under a JSON prefix (e.g. /.well-known/x, /admin/api/x) answer JSON 404. */
export async function jsonNotFound(app: FastifyInstance, prefix: string): Promise<void> {
  await app.register(async (scope) => {
    scope.setNotFoundHandler(async (_req, reply) => sendOAuthError(reply, new OAuthError('not_found', 'no such endpoint', 'json', 404)));
  }, { prefix });
}
