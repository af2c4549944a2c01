import { OAuthError } from '../core/oauth-error.js';
import type { Params } from '../core/params.js';
import { flowForPost } from './flow-access.js';
import type { InteractionDeps } from './interaction-deps.js';
import { respondError, type Step, type StepCookies } from './outcome.js';
import { targetOf } from './response-target.js';
import { localeFor } from './locale.js';

/** POST /login/cancel: the person cancelled; the client gets access_denied (RFC 6749 §4.1.2.1). */
export async function cancelLogin(d: InteractionDeps, fields: Params, cookies: StepCookies): Promise<Step> {
  const flow = await flowForPost(d, fields, cookies);
  await d.flows.finish(flow.id);
  d.logins?.inc({ eid: flow.context?.eid ?? 'none', outcome: 'cancelled' });
  return respondError(targetOf(flow.request), new OAuthError('access_denied', 'the user cancelled the login'), localeFor(cookies, flow));
}

/** POST /login/return: "return to the service" from the no-representation and source-unavailable pages. */
export async function returnToClient(d: InteractionDeps, fields: Params, cookies: StepCookies): Promise<Step> {
  const flow = await flowForPost(d, fields, cookies);
  await d.flows.finish(flow.id);
  const err = fields.get('reason') === 'source_unavailable'
    ? new OAuthError('temporarily_unavailable', 'the authorisation source is unavailable')
    : new OAuthError('access_denied', 'the user has no right to represent an organisation for the requested service');
  d.logins?.inc({ eid: flow.context?.eid ?? 'none', outcome: err.error });
  return respondError(targetOf(flow.request), err, localeFor(cookies, flow));
}
