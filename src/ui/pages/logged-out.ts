import { html } from '../html.js';
import { t, type Locale } from '../i18n.js';
import { layout, type PageChrome } from '../layout.js';

export interface LoggedOutPageProps extends PageChrome {
  locale: Locale;
}

/** Shown after logout when there is nowhere to redirect to. */
export function renderLoggedOutPage(p: LoggedOutPageProps): string {
  const title = t(p.locale, 'loggedout.title');
  const body = html`<h1>${title}</h1>
<p class="lead">${t(p.locale, 'loggedout.message')}</p>`;
  return layout({ locale: p.locale, title, body, langPath: p.langPath });
}
