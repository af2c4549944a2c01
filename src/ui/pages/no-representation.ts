import { html, safeUrl } from '../html.js';
import { t, type Locale } from '../i18n.js';
import { eyebrow, flowFields, layout, type PageChrome } from '../layout.js';

export interface NoRepresentationPageProps extends PageChrome {
  locale: Locale;
  flow: string;
  csrf: string;
  clientName: string;
  /** POST target that sends the user back to the client (with error=access_denied). */
  returnUrl: string;
}

/** Spec §9.7 item 4: representation_is_required but the user has nothing to choose. */
export function renderNoRepresentationPage(p: NoRepresentationPageProps): string {
  const title = t(p.locale, 'norep.title');
  const body = html`${eyebrow(p.locale, p.clientName)}
<h1>${title}</h1>
<p class="lead">${t(p.locale, 'norep.message', { client: p.clientName })}</p>
<p>${t(p.locale, 'norep.hint')}</p>
<div class="actions"><form method="post" action="${safeUrl(p.returnUrl)}">
${flowFields(p.flow, p.csrf)}
<button type="submit" class="btn">${t(p.locale, 'common.returnToService')}</button>
</form></div>`;
  return layout({ locale: p.locale, title, body, flow: p.flow, langPath: p.langPath });
}
