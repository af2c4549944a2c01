import { randomId } from '../../core/random.js';
import type { Acr } from '../../oauth/authorize/authorization-request.js';
import type { Eid, EidAnswer, EidLoginContext, EidResult, EidStart } from '../eid.js';
import { UpstreamError, type UpstreamEid } from './upstream-eid.js';

/**
 * An upstream OpenID provider (ID-porten, Entra ID, any OP) as an eID: the login starts with a
 * redirect carrying PKCE, state and nonce bound to the flow (OIDC Core §3.1.2.1, RFC 7636), and
 * its answer is the redirect back to /login/callback/{id}.
 */
export class UpstreamOidcEid implements Eid {
  readonly id: string;
  readonly name: string;
  readonly acr: readonly Acr[];
  readonly skipsSelector = true;

  constructor(readonly rp: UpstreamEid, private readonly callbackUrl: string) {
    this.id = rp.descriptor.id;
    this.name = rp.descriptor.name;
    this.acr = rp.descriptor.acr;
  }

  async formTargets(): Promise<string[]> {
    const origin = await this.rp.authorizationOrigin();
    return origin ? [origin] : [];
  }

  async start(ctx: EidLoginContext): Promise<EidStart> {
    const pending = { state: randomId(24), nonce: randomId(24), verifier: randomId(32) };
    try {
      const url = await this.rp.authorizationUrl(this.callbackUrl, pending, ctx.acrValues, { forceLogin: ctx.forceLogin, maxAge: ctx.maxAge });
      return { kind: 'redirect', url, pending, correlation: pending.state };
    } catch (e) {
      return { kind: 'failed', error: e instanceof UpstreamError ? e.oauthError : 'temporarily_unavailable', description: `the eID ${this.id} is unavailable` };
    }
  }

  async complete(answer: EidAnswer): Promise<EidResult> {
    if (answer.kind !== 'callback') return { kind: 'failed', error: 'invalid_request', description: 'the eID answers by redirect' };
    const { state, nonce, verifier } = answer.pending;
    if (!state || !nonce || !verifier) return { kind: 'failed', error: 'server_error', description: 'the eID login failed' };
    try {
      const { identity, idToken, authTime } = await this.rp.callback(answer.url, { state, nonce, verifier });
      return {
        kind: 'identity',
        identity: {
          acr: identity.acr, amr: identity.amr, subjectRef: identity.subjectRef, claims: identity.claims, upstreamIdToken: idToken,
          ...(identity.pid ? { pid: identity.pid } : {}),
          ...(authTime !== undefined ? { authTime } : {}),
        },
      };
    } catch (e) {
      if (!(e instanceof UpstreamError)) throw e;
      return {
        kind: 'failed', error: e.oauthError, reason: e.message,
        description: e.oauthError === 'access_denied' ? 'the user cancelled the login' : 'the eID login failed',
      };
    }
  }

  async logoutUrl(idToken: string, returnUrl: string, state: string): Promise<string | undefined> {
    return this.rp.endSessionUrl(idToken, returnUrl, state);
  }
}
