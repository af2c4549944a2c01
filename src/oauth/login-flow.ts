import { randomId, safeEqual, sha256b64url } from '../core/random.js';
import { OAuthError } from '../core/oauth-error.js';
import type { EphemeralStore, ShortLivedWrites } from '../store/ports.js';
import { shortLived, type ShortLived } from '../store/short-lived.js';
import type { Party } from '../representation/authorisation-source.js';
import type { ClientContext } from '../session/browser-session.js';
import type { AuthorizationRequest } from './authorize/authorization-request.js';

/** A login in progress between /authorize and the response to the client. */
export interface LoginFlow {
  id: string;
  csrf: string;
  /** Hash of the browser cookie that started the flow: the flow only continues in that browser. */
  browser: string;
  request: AuthorizationRequest;
  /** Language the user picked on our pages during this flow. */
  pickedLocale?: string;
  /** Set once the user has authenticated (or an existing context was reused). */
  context?: ClientContext;
  reused?: boolean;
  /** The sid of the browser session whose context a reused flow continues: it finishes only while that session lives. */
  sid?: string;
  /** A login started at an upstream eID: the value it echoes back, and what the eID needs with its answer. */
  upstream?: { eid: string; correlation: string; pending: Record<string, string> };
  /** Organisations offered by the picker. */
  parties?: Party[];
}


export class LoginFlows {
  private readonly records: ShortLived<LoginFlow>;

  constructor(store: EphemeralStore, private readonly ttlSeconds: number) {
    this.records = shortLived<LoginFlow>(store, 'flow');
  }

  /** A new flow, not stored yet: `saved` is the write that stores it. */
  newFlow(request: AuthorizationRequest, browserCookie: string, extra: Partial<LoginFlow> = {}): LoginFlow {
    return { id: randomId(18), csrf: randomId(24), browser: sha256b64url(browserCookie), request, ...extra };
  }

  async save(flow: LoginFlow): Promise<void> {
    await this.records.put(flow.id, flow, this.ttlSeconds);
  }

  /** The write that stores the flow, for a step that makes it with others. */
  saved(flow: LoginFlow): ShortLivedWrites {
    return { put: [this.records.record(flow.id, flow, this.ttlSeconds)] };
  }

  /**
   * The flow named by a page or form, if it belongs to this browser. With `csrf`, the posted token
   * must match too (every form carries it). Anything else is an error page: the redirect target of
   * an unknown flow cannot be trusted.
   */
  async load(flowId: string | undefined, browserCookie: string | undefined, csrf?: string | null): Promise<LoginFlow> {
    if (!flowId || !/^[A-Za-z0-9_-]{1,64}$/.test(flowId)) throw new OAuthError('invalid_request', 'flow_missing', 'page');
    const flow = await this.records.get(flowId);
    if (!flow) throw new OAuthError('invalid_request', 'flow_expired', 'page');
    if (!browserCookie || !safeEqual(sha256b64url(browserCookie), flow.browser)) throw new OAuthError('invalid_request', 'flow_other_browser', 'page', 403);
    if (csrf !== undefined && (csrf === null || !safeEqual(csrf, flow.csrf))) throw new OAuthError('invalid_request', 'csrf', 'page', 403);
    return flow;
  }

  /**
   * Ends the flow; of two concurrent posts only one proceeds. `writes` are made in the same step
   * (one round trip), and only by the one that ends it.
   */
  async finish(flowId: string, writes: ShortLivedWrites = {}): Promise<boolean> {
    return (await this.records.takeAndWrite(flowId, writes)) !== undefined;
  }
}
