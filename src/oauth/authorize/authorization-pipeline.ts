import { OAuthError } from '../../core/oauth-error.js';
import type { Params } from '../../core/params.js';
import type { Client } from '../../clients/client-types.js';
import type { AuthorizationRequest, Check, PipelineContext, PipelineDeps, ResponseMode } from './authorization-request.js';
import { checkClient } from './check-client.js';
import { checkRedirectUri } from './check-redirect-uri.js';
import { checkResponseMode } from './check-response-mode.js';
import { checkRepeatedParameters } from './check-repeated-parameters.js';
import { checkRequestObject } from './check-request-object.js';
import { checkResponseType } from './check-response-type.js';
import { checkScope } from './check-scope.js';
import { checkPkce } from './check-pkce.js';
import { checkStateAndNonce } from './check-state-nonce.js';
import { checkAcrValues } from './check-acr-values.js';
import { checkPrompt } from './check-prompt.js';
import { checkUiLocales } from './check-ui-locales.js';
import { checkResource } from './check-resource.js';
import { checkAuthorizationDetails } from './check-authorization-details.js';

/** The authorization endpoint, in the order of spec §5.2. One screen shows the whole endpoint. */
export const AUTHORIZATION_CHECKS: readonly Check[] = [
  checkClient,              // unknown client → error page
  checkRedirectUri,         // unregistered redirect_uri → error page; from here errors redirect back
  checkResponseMode,
  checkRepeatedParameters,
  checkRequestObject,
  checkResponseType,
  checkScope,
  checkPkce,
  checkStateAndNonce,
  checkAcrValues,
  checkPrompt,
  checkUiLocales,
  checkResource,
  checkAuthorizationDetails,
];

export interface PipelineFailure {
  error: OAuthError;
  /** Where a 'redirect' error may go, with the state to return; absent means show a page. */
  redirectUri?: string;
  state?: string;
  /** The client a redirected error goes to (the audience of a JARM response, JARM §2.1). */
  clientId?: string;
  /** The response mode parsed so far (`query` until check-response-mode has read it); JARM §2.3 modes included. */
  responseMode: ResponseMode;
}

export async function runAuthorizationPipeline(
  params: Params, deps: PipelineDeps, mode: 'authorize' | 'par', client?: Client,
): Promise<{ ok: true; request: AuthorizationRequest } | { ok: false; failure: PipelineFailure }> {
  const ctx: PipelineContext = { params, deps, mode, responseMode: 'query', req: {} };
  if (client) {
    ctx.client = client;
    ctx.req.clientId = client.client_id;
    ctx.req.clientName = client.client_name;
  }
  try {
    for (const check of AUTHORIZATION_CHECKS) await check(ctx);
  } catch (e) {
    if (!(e instanceof OAuthError)) throw e;
    let error = e;
    if (mode === 'par' && e.delivery !== 'json') error = new OAuthError(e.error, e.description, 'json', 400);
    const failure: PipelineFailure = { error, responseMode: ctx.responseMode };
    if (ctx.redirectUri && ctx.client && error.delivery === 'redirect') {
      failure.redirectUri = ctx.redirectUri;
      failure.clientId = ctx.client.client_id;
      if (ctx.state !== undefined) failure.state = ctx.state;
    }
    return { ok: false, failure };
  }
  return { ok: true, request: ctx.req as AuthorizationRequest };
}
