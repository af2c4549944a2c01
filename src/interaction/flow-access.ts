import { OAuthError } from '../core/oauth-error.js';
import { randomId } from '../core/random.js';
import type { Params } from '../core/params.js';
import type { LoginFlow } from '../oauth/login-flow.js';
import { LOCALES } from '../ui/i18n.js';
import type { InteractionDeps } from './interaction-deps.js';
import type { CookieChange, StepCookies } from './outcome.js';

/** The browser-binding cookie (a login continues only in the browser it started in); created on the first visit. */
export function ensureBrowserCookie(cookies: StepCookies): { value: string; cookies: CookieChange[] } {
  if (cookies.browser) return { value: cookies.browser, cookies: [] };
  const value = randomId(24);
  return { value, cookies: [{ cookie: 'browser', value }] };
}

/** Loads the flow for a page (GET); a `lang` choice switches the language for this flow and later ones. */
export async function flowForPage(
  d: InteractionDeps, flowId: string | undefined, lang: string | undefined, cookies: StepCookies,
): Promise<{ flow: LoginFlow; cookies: CookieChange[] }> {
  const flow = await d.flows.load(flowId, cookies.browser);
  if (lang && (LOCALES as readonly string[]).includes(lang) && flow.pickedLocale !== lang) {
    flow.pickedLocale = lang;
    await d.flows.save(flow);
    return { flow, cookies: [{ cookie: 'lang', value: lang, maxAgeSeconds: 365 * 24 * 3600 }] };
  }
  return { flow, cookies: [] };
}

/** Loads the flow a form posts to; the form's CSRF token must match (every form carries it). */
export async function flowForPost(d: InteractionDeps, fields: Params, cookies: StepCookies): Promise<LoginFlow> {
  if (fields.isRepeated('flow') || fields.isRepeated('csrf')) throw new OAuthError('invalid_request', 'csrf', 'page', 403);
  return d.flows.load(fields.get('flow'), cookies.browser, fields.get('csrf') ?? null);
}

/** The client's name as shown on our pages. */
export async function clientNameOf(d: InteractionDeps, flow: LoginFlow): Promise<string> {
  return flow.request.clientName ?? (await d.clientName(flow.request.clientId)) ?? flow.request.clientId;
}
