import { OAuthError } from '../core/oauth-error.js';
import type { Params } from '../core/params.js';
import type { LoginFlow } from '../oauth/login-flow.js';
import { issueAuthorizationDetails } from '../representation/issue-authorization-details.js';
import { groupParties, resolveChoice } from '../representation/picker-model.js';
import { t } from '../ui/i18n.js';
import { clientNameOf, flowForPage, flowForPost } from './flow-access.js';
import { finishLogin } from './finish-login.js';
import type { InteractionDeps } from './interaction-deps.js';
import { localeFor } from './locale.js';
import { withCookies, type Step, type StepCookies } from './outcome.js';

function pickParty(p: { orgno: string; name: string; unit_type: string; deleted: boolean }) {
  return { orgno: p.orgno, name: p.name, unit_type: p.unit_type, deleted: p.deleted };
}

/** The organisation picker (spec §9.7), with the previous choice preselected. */
async function pickerPage(d: InteractionDeps, flow: LoginFlow, cookies: StepCookies, status: number, error?: string): Promise<Step> {
  const rar = flow.request.authorizationDetails!;
  const prev = flow.context?.chosen;
  const groups = groupParties(flow.parties ?? []);
  return {
    kind: 'page', status, formTargets: [flow.request.redirectUri],
    view: {
      page: 'org-picker',
      props: {
        locale: localeFor(cookies, flow), flow: flow.id, csrf: flow.csrf, clientName: await clientNameOf(d, flow),
        cancelUrl: `${d.loginBaseUrl}/login/cancel`,
        parties: groups.map((g) => ({ ...pickParty(g.party), subunits: g.subunits.map(pickParty) })),
        allowMultiple: rar.allowMultiple, allowSelf: !rar.representationRequired,
        preselected: prev === 'self' ? ['self'] : prev ?? [],
        personName: typeof flow.context?.claims.name === 'string' ? flow.context.claims.name : '',
        ...(error ? { error } : {}),
      },
    },
  };
}

function pickerFlow(flow: LoginFlow): LoginFlow {
  if (!flow.context || !flow.parties) throw new OAuthError('invalid_request', 'flow_missing', 'page');
  return flow;
}

/** GET /login/organizations */
export async function showPicker(d: InteractionDeps, flowId: string | undefined, lang: string | undefined, cookies: StepCookies): Promise<Step> {
  const { flow, cookies: set } = await flowForPage(d, flowId, lang, cookies);
  return withCookies(await pickerPage(d, pickerFlow(flow), cookies, 200), set);
}

/** POST /login/organizations: the picker's answer becomes the issued authorization_details (RFC 9396 §7). */
export async function chooseOrganization(d: InteractionDeps, fields: Params, cookies: StepCookies): Promise<Step> {
  const flow = pickerFlow(await flowForPost(d, fields, cookies));
  const rar = flow.request.authorizationDetails!;
  let choice;
  try {
    choice = resolveChoice(fields.all('orgno'), flow.parties!, rar);
  } catch (e) {
    // A bad post re-shows the picker with a visible, announced error (it only happens with an
    // empty choice through the page itself; other bad values come from a tampered form).
    if (e instanceof OAuthError) return pickerPage(d, flow, cookies, 400, t(localeFor(cookies, flow), 'org.errorNoneSelected'));
    throw e;
  }
  const hasEmail = typeof flow.context!.claims.email === 'string';
  const authorizationDetails = issueAuthorizationDetails(rar, choice, d.resourceNames, hasEmail);
  const chosen = choice === 'self' ? 'self' as const : choice.map((p) => p.orgno);
  return finishLogin(d, { flow, authorizationDetails, chosen, cookies });
}
