import { html, safeUrl } from '../html.js';
import { t, type Locale } from '../i18n.js';
import { flowFields, layout, type PageChrome } from '../layout.js';

export interface LogoutConfirmPageProps extends PageChrome {
  locale: Locale;
  /** The pending logout's id (posted back as `flow`). */
  flow: string;
  csrf: string;
  /** POST target of the answer, normally `/logout/confirm`. */
  action: string;
}

/**
 * "Do you want to log out?" — shown when an end-session request carries no id_token_hint for the
 * current session (OpenID Connect RP-Initiated Logout 1.0 §2). One form, two submit buttons: the
 * answer travels as `answer=logout` or `answer=stay`.
 */
export function renderLogoutConfirmPage(p: LogoutConfirmPageProps): string {
  const title = t(p.locale, 'logoutconfirm.title');
  const body = html`<h1>${title}</h1>
<p class="lead" id="logout-confirm-message">${t(p.locale, 'logoutconfirm.message')}</p>
<form method="post" action="${safeUrl(p.action)}" aria-describedby="logout-confirm-message">
${flowFields(p.flow, p.csrf)}
<div class="actions">
<button type="submit" name="answer" value="logout" class="btn">${t(p.locale, 'logoutconfirm.yes')}</button>
<button type="submit" name="answer" value="stay" class="btn btn-secondary">${t(p.locale, 'logoutconfirm.no')}</button>
</div>
</form>`;
  return layout({ locale: p.locale, title, body, flow: p.flow, langPath: p.langPath });
}
