import { OAuthError } from '../core/oauth-error.js';
import type { Params } from '../core/params.js';
import { beginLogin, type BeginInput } from './begin-login.js';
import { chooseOrganization, showPicker } from './choose-organization.js';
import { answerEidCallback, answerEidForm, showEidPage } from './eid-steps.js';
import type { InteractionDeps, StepLogger } from './interaction-deps.js';
import { cancelLogin, returnToClient } from './leave-login.js';
import type { Step, StepCookies } from './outcome.js';
import { chooseEid, selectorPage, showSelector } from './select-eid.js';

/** A page request inside a flow: its id, an optional language switch, the cookies. */
export interface PageInput {
  flowId: string | undefined;
  lang: string | undefined;
  cookies: StepCookies;
}

/** A form posted inside a flow (it carries `flow` and `csrf`). */
export interface FormInput {
  fields: Params;
  cookies: StepCookies;
  log?: StepLogger;
}

/**
 * The login phase between a valid authorization request and the response to the client, as
 * protocol code: every step takes plain values and returns a Step (src/interaction/outcome.ts)
 * saying what happens next. A problem whose redirect target cannot be trusted (unknown or expired
 * flow, another browser, a bad CSRF token) becomes an error page step.
 */
export class LoginInteraction {
  constructor(readonly deps: InteractionDeps) {}

  begin(input: BeginInput): Promise<Step> {
    return guard(() => beginLogin(this.deps, input));
  }

  showSelector(input: PageInput): Promise<Step> {
    return guard(() => showSelector(this.deps, input.flowId, input.lang, input.cookies));
  }

  chooseEid(input: FormInput): Promise<Step> {
    return guard(() => chooseEid(this.deps, input.fields, input.cookies));
  }

  showEidPage(eid: string, input: PageInput): Promise<Step> {
    return guard(() => showEidPage(this.deps, eid, input.flowId, input.lang, input.cookies, (flow, status) => selectorPage(this.deps, flow, input.cookies, status, '/login/select')));
  }

  answerEidForm(eid: string, input: FormInput): Promise<Step> {
    return guard(() => answerEidForm(this.deps, eid, input.fields, input.cookies, input.log));
  }

  /** An upstream eID's redirect back to `callbackUrl` with `params` (query or form_post). */
  answerEidCallback(eid: string, input: { params: Params; callbackUrl: string; cookies: StepCookies; log?: StepLogger }): Promise<Step> {
    return guard(() => answerEidCallback(this.deps, eid, input.params, input.callbackUrl, input.cookies, input.log));
  }

  showPicker(input: PageInput): Promise<Step> {
    return guard(() => showPicker(this.deps, input.flowId, input.lang, input.cookies));
  }

  chooseOrganization(input: FormInput): Promise<Step> {
    return guard(() => chooseOrganization(this.deps, input.fields, input.cookies));
  }

  cancel(input: FormInput): Promise<Step> {
    return guard(() => cancelLogin(this.deps, input.fields, input.cookies));
  }

  returnToClient(input: FormInput): Promise<Step> {
    return guard(() => returnToClient(this.deps, input.fields, input.cookies));
  }
}

async function guard(step: () => Promise<Step>): Promise<Step> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof OAuthError && e.delivery === 'page') return { kind: 'error', error: e };
    throw e;
  }
}
