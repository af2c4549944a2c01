import { hiddenInputs, html, safeUrl } from '../html.js';
import { t, type Locale } from '../i18n.js';
import { layout, type PageChrome } from '../layout.js';

export interface ErrorPageProps extends PageChrome {
  locale: Locale;
  /** Heading; defaults to "Something went wrong" in the page language. */
  title?: string;
  message: string;
  /** Shown as "Error code: …", e.g. `invalid_client`. */
  errorCode?: string;
  /** When given, a POST form back to the service (e.g. carrying error/state/iss, or flow/csrf). */
  returnAction?: { url: string; fields: Record<string, string>; label?: string };
  /** Flow id for the language switcher, when the error happens inside a login flow. */
  flow?: string;
}

/** Error page rendered at the OP (unknown client, redirect_uri mismatch, expired flow, …). */
export function renderErrorPage(p: ErrorPageProps): string {
  const title = p.title ?? t(p.locale, 'error.title');
  const r = p.returnAction;
  const body = html`<h1>${title}</h1>
<div class="alert" role="alert"><p>${p.message}</p>
${p.errorCode ? html`<p class="muted">${t(p.locale, 'error.code', { code: p.errorCode })}</p>` : ''}
</div>
${
  r
    ? html`<div class="actions"><form method="post" action="${safeUrl(r.url)}">
${hiddenInputs(r.fields)}
<button type="submit" class="btn">${r.label ?? t(p.locale, 'common.returnToService')}</button>
</form></div>`
    : html`<p>${t(p.locale, 'error.noReturn')}</p>`
}`;
  return layout({ locale: p.locale, title, body, flow: p.flow, langPath: p.langPath });
}
