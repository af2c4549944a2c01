import { OAuthError } from '../core/oauth-error.js';
import type { LoginFlow } from '../oauth/login-flow.js';
import { AuthorisationSourceError, type Party } from '../representation/authorisation-source.js';
import { issueAuthorizationDetails } from '../representation/issue-authorization-details.js';
import type { Locale } from '../ui/i18n.js';
import { clientNameOf } from './flow-access.js';
import { finishLogin } from './finish-login.js';
import type { InteractionDeps, StepLogger } from './interaction-deps.js';
import { localeFor } from './locale.js';
import { respondError, type Step, type StepCookies } from './outcome.js';
import { targetOf } from './response-target.js';

/**
 * After authentication (or the reuse of a context): without authorization_details the login ends
 * here; with them the authorisation source is asked (spec §9.7) and the picker is shown when there
 * is a choice. prompt=none cannot show it: interaction_required (OIDC Core §3.1.2.6).
 */
export async function afterAuthentication(d: InteractionDeps, flow: LoginFlow, cookies: StepCookies, log?: StepLogger): Promise<Step> {
  const rar = flow.request.authorizationDetails;
  const ctx = flow.context!;
  if (!rar) return finishLogin(d, { flow, cookies, ...(log ? { log } : {}) });
  const hasEmail = typeof ctx.claims.email === 'string';
  if (rar.type === 'ansattporten:orgno' && !hasEmail) {
    return finishLogin(d, { flow, cookies, authorizationDetails: issueAuthorizationDetails(rar, 'none', d.resourceNames, false) });
  }
  const returnUrl = `${d.loginBaseUrl}/login/return`;
  let parties: Party[];
  try {
    parties = await d.source.listParties({
      pid: ctx.pid, email: hasEmail ? (ctx.claims.email as string) : undefined,
      groups: Array.isArray(ctx.claims.groups) ? (ctx.claims.groups as string[]) : undefined,
      tenant: typeof ctx.claims.tid === 'string' ? ctx.claims.tid : undefined,
      clientId: flow.request.clientId, rar,
    });
  } catch (e) {
    if (!(e instanceof AuthorisationSourceError)) throw e;
    log?.warn({ err: e.message }, 'authorisation source failed');
    const locale = localeFor(cookies, flow);
    return {
      kind: 'page', status: 503, formTargets: [flow.request.redirectUri],
      view: {
        page: 'error',
        props: {
          locale, errorCode: 'temporarily_unavailable', message: sourceDownMessage(locale),
          returnAction: { url: returnUrl, fields: { flow: flow.id, csrf: flow.csrf, reason: 'source_unavailable' } },
        },
      },
    };
  }
  if (parties.length === 0) {
    if (rar.representationRequired) {
      return {
        kind: 'page', status: 403, formTargets: [flow.request.redirectUri],
        view: {
          page: 'no-representation',
          props: { locale: localeFor(cookies, flow), flow: flow.id, csrf: flow.csrf, clientName: await clientNameOf(d, flow), returnUrl },
        },
      };
    }
    return finishLogin(d, { flow, cookies, authorizationDetails: issueAuthorizationDetails(rar, 'none', d.resourceNames, hasEmail) });
  }
  if (flow.request.prompt.none) {
    await d.flows.finish(flow.id);
    return respondError(targetOf(flow.request), new OAuthError('interaction_required', 'the user must choose an organisation'), localeFor(cookies, flow));
  }
  flow.parties = parties;
  await d.flows.save(flow);
  return { kind: 'redirect', url: `${d.loginBaseUrl}/login/organizations?flow=${flow.id}`, status: 303 };
}

function sourceDownMessage(locale: Locale): string {
  switch (locale) {
    case 'en': return 'We could not look up which organisations you can represent right now. Please try again later.';
    case 'nn': return 'Vi kunne ikkje slå opp kva verksemder du kan representere no. Prøv igjen seinare.';
    case 'se': return 'Mii eat sáhttán dál iskat makkár organisašuvnnaid don sáhtát ovddastit. Geahččal maŋŋelis.';
    default: return 'Vi kunne ikke slå opp hvilke virksomheter du kan representere akkurat nå. Prøv igjen senere.';
  }
}
