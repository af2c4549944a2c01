import type { Params } from '../core/params.js';
import type { LoginFlow } from '../oauth/login-flow.js';
import { fittingEids, startEid } from './eid-steps.js';
import { clientNameOf, flowForPage, flowForPost } from './flow-access.js';
import type { InteractionDeps } from './interaction-deps.js';
import { localeFor } from './locale.js';
import { withCookies, type Step, type StepCookies } from './outcome.js';

/**
 * The eID selector (spec §5.3): the eIDs that fit the requested acr values. Its form posts here and
 * is redirected on to an upstream eID or back to the client, so those are allowed form targets. An
 * eID with a page of its own (TestID) is opened from the selector by GET at /login/{eid}, which
 * makes the same choice as the POST (src/interaction/eid-steps.ts showEidPage).
 */
export async function selectorPage(d: InteractionDeps, flow: LoginFlow, cookies: StepCookies, status: number, langPath?: string): Promise<Step> {
  const eids = fittingEids(d, flow);
  const targets = (await Promise.all(eids.map((e) => e.formTargets()))).flat();
  return {
    kind: 'page', status, formTargets: [flow.request.redirectUri, ...targets],
    view: {
      page: 'eid-select',
      props: {
        locale: localeFor(cookies, flow), flow: flow.id, csrf: flow.csrf, clientName: await clientNameOf(d, flow),
        cancelUrl: `${d.loginBaseUrl}/login/cancel`, eids: eids.map((e) => ({ id: e.id, name: e.name, ...(e.page ? { page: `/login/${e.id}` } : {}) })),
        // Shown at another path (an eID's page refusing an eID that does not fit): its language links go to the selector.
        ...(langPath ? { langPath } : {}),
      },
    },
  };
}

/** GET /login/select */
export async function showSelector(d: InteractionDeps, flowId: string | undefined, lang: string | undefined, cookies: StepCookies): Promise<Step> {
  const { flow, cookies: set } = await flowForPage(d, flowId, lang, cookies);
  return withCookies(await selectorPage(d, flow, cookies, 200), set);
}

/** POST /login/select: the person picked an eID; one that does not fit shows the selector again. */
export async function chooseEid(d: InteractionDeps, fields: Params, cookies: StepCookies): Promise<Step> {
  const flow = await flowForPost(d, fields, cookies);
  const eid = fittingEids(d, flow).find((e) => e.id === fields.get('eid'));
  if (!eid) return selectorPage(d, flow, cookies, 400);
  return startEid(d, flow, eid, cookies);
}
