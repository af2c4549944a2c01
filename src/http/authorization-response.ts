import type { FastifyReply } from 'fastify';
import type { OAuthError } from '../core/oauth-error.js';
import { renderFormPostPage } from '../ui/index.js';
import type { ResponseTarget } from '../interaction/outcome.js';
import { sendHtml, withQuery } from './respond.js';

/**
 * Sends the authorization response to the client's (already validated) redirect URI, always with
 * `iss` (RFC 9207) and `state` when the request had one. 302 after a GET, 303 after a POST.
 */
export function sendAuthorizationResponse(reply: FastifyReply, issuer: string, target: ResponseTarget, params: Record<string, string>, afterPost: boolean): FastifyReply {
  const fields: Record<string, string> = { ...params };
  if (target.state !== undefined) fields.state = target.state;
  fields.iss = issuer;
  if (target.responseMode === 'form_post') {
    return sendHtml(reply, 200, (nonce) => renderFormPostPage({ action: target.redirectUri, fields, nonce }), { script: true, formAction: [target.redirectUri] });
  }
  return reply.code(afterPost ? 303 : 302).header('Cache-Control', 'no-store').redirect(withQuery(target.redirectUri, fields), afterPost ? 303 : 302);
}

export function sendAuthorizationError(reply: FastifyReply, issuer: string, target: ResponseTarget, err: OAuthError, afterPost: boolean): FastifyReply {
  return sendAuthorizationResponse(reply, issuer, target, { error: err.error, error_description: err.description }, afterPost);
}
