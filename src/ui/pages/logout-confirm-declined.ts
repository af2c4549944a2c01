import { html } from '../html.js';
import { t, type Locale } from '../i18n.js';
import { layout, type PageChrome } from '../layout.js';

export interface LogoutDeclinedPageProps extends PageChrome {
  locale: Locale;
}

/** After the user answered "no" on the logout confirmation: nothing ended. */
export function renderLogoutDeclinedPage(p: LogoutDeclinedPageProps): string {
  const title = t(p.locale, 'logoutkept.title');
  const body = html`<h1>${title}</h1>
<p class="lead">${t(p.locale, 'logoutkept.message')}</p>`;
  return layout({ locale: p.locale, title, body, langPath: p.langPath });
}
