import type { FastifyReply } from 'fastify';
import type { OAuthError } from '../core/oauth-error.js';
import type { Clock } from '../core/clock.js';
import { pickLocale } from '../ui/i18n.js';
import { FRONT_CHANNEL_WAIT_MS, renderFormPostPage, renderFrontChannelLogoutPage } from '../ui/index.js';
import type { ResponseTarget } from '../interaction/outcome.js';
import { signResponseJwt, type ResponseSigner } from '../oauth/jarm/authorization-response-jwt.js';
import { withQuery } from '../core/with-query.js';
import { sendHtml } from './respond.js';

/** What writing an authorization response needs: the issuer, and for JARM the signing keys and the clock. */
export interface AuthorizationResponder {
  config: { issuer: string };
  keys: ResponseSigner;
  clock: Clock;
}

/**
 * Sends the authorization response to the client's (already validated) redirect URI, always with
 * `iss` (RFC 9207) and `state` when the request had one. 302 after a GET, 303 after a POST.
 * JARM modes (JARM §2.3) send the single `response` parameter instead: a JWT signed with the
 * current key holding the parameters, `state`, and `iss` (RFC 9207 §2.4: no separate `iss` then).
 */
export async function sendAuthorizationResponse(
  reply: FastifyReply, r: AuthorizationResponder, target: ResponseTarget, params: Record<string, string>, afterPost: boolean,
  frontChannelLogout?: { frames: string[]; locale: string }, locale?: string,
): Promise<FastifyReply> {
  let fields: Record<string, string>;
  if (target.responseMode === 'query.jwt' || target.responseMode === 'form_post.jwt') {
    const response = await signResponseJwt(r.keys, {
      issuer: r.config.issuer, clientId: target.clientId, params, nowSeconds: Math.floor(r.clock.now() / 1000),
      ...(target.state !== undefined ? { state: target.state } : {}),
    });
    fields = { response };
  } else {
    fields = { ...params };
    if (target.state !== undefined) fields.state = target.state;
    fields.iss = r.config.issuer;
  }
  if (target.responseMode === 'form_post' || target.responseMode === 'form_post.jwt') {
    return sendHtml(reply, 200, (nonce) => renderFormPostPage({ action: target.redirectUri, fields, nonce, locale: pickLocale([locale]) }), { script: true, formAction: [target.redirectUri] });
  }
  const location = withQuery(target.redirectUri, fields);
  if (frontChannelLogout && frontChannelLogout.frames.length > 0) {
    // Another person's session ended in this browser: its clients' front-channel logout frames
    // load first (OIDC Front-Channel Logout 1.0 §2), then the browser continues to the client.
    // (With form_post the response must be POSTed at once; those clients get the back-channel only.)
    const { frames, locale } = frontChannelLogout;
    return sendHtml(reply, 200, (nonce) => renderFrontChannelLogoutPage({ locale: pickLocale([locale]), frames, continueUrl: location, nonce, waitMs: FRONT_CHANNEL_WAIT_MS }), {
      script: true, frameSrc: frames, formAction: [location],
    });
  }
  return reply.code(afterPost ? 303 : 302).header('Cache-Control', 'no-store').redirect(location, afterPost ? 303 : 302);
}

export function sendAuthorizationError(reply: FastifyReply, r: AuthorizationResponder, target: ResponseTarget, err: OAuthError, afterPost: boolean): Promise<FastifyReply> {
  return sendAuthorizationResponse(reply, r, target, { error: err.error, error_description: err.description }, afterPost);
}
