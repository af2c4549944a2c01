import { html, raw } from '../html.js';
import { t, type Locale } from '../i18n.js';
import { cancelForm, eyebrow, flowFields, layout, type PageChrome } from '../layout.js';

export interface TestEntraAccount {
  email: string;
  given_name: string;
  family_name: string;
}

export interface TestEntraPageProps extends PageChrome {
  locale: Locale;
  flow: string;
  csrf: string;
  clientName: string;
  accounts: TestEntraAccount[];
  cancelUrl: string;
  /** Form action; default `/login/testentra`. */
  action?: string;
  emailValue?: string;
  error?: string;
}

/** Test Entra ID: type the e-mail of a synthetic work account, or click one. Works without JavaScript. */
export function renderTestEntraPage(p: TestEntraPageProps): string {
  const title = t(p.locale, 'testentra.title');
  const action = p.action ?? '/login/testentra';
  const describedBy = p.error ? 'email-hint email-error' : 'email-hint';
  const accounts = p.accounts.map((a) => html`<li><form method="post" action="${action}">
${flowFields(p.flow, p.csrf)}
<button type="submit" name="email" value="${a.email}" class="person-button">
<span class="visually-hidden">${t(p.locale, 'testid.loginAs')} </span><span class="person-name">${a.given_name} ${a.family_name}</span>
<span class="person-pid">${a.email}</span>
</button>
</form></li>`);
  const body = html`${eyebrow(p.locale, p.clientName)}
<h1>${title}</h1>
<p class="lead">${t(p.locale, 'testentra.intro')}</p>
<form method="post" action="${action}" id="testentra-form">
${flowFields(p.flow, p.csrf)}
<div class="field">
<label for="email">${t(p.locale, 'testentra.emailLabel')}</label>
<span class="hint" id="email-hint">${t(p.locale, 'testentra.emailHint')}</span>
${p.error ? html`<p class="error-message" id="email-error" role="alert">${p.error}</p>` : ''}
<input type="email" id="email" name="email" autocomplete="off" spellcheck="false" required value="${p.emailValue ?? ''}" aria-describedby="${describedBy}"${raw(p.error ? ' aria-invalid="true"' : '')}>
</div>
<button type="submit" class="btn">${t(p.locale, 'testid.submit')}</button>
</form>
${p.accounts.length > 0 ? html`<section aria-labelledby="accounts-heading">
<h2 id="accounts-heading">${t(p.locale, 'testentra.accountsHeading')}</h2>
<ul class="person-list">
${accounts}
</ul>
</section>` : ''}
<div class="actions">${cancelForm(p.locale, p.cancelUrl, p.flow, p.csrf)}</div>`;
  return layout({ locale: p.locale, title, body, flow: p.flow, langPath: p.langPath });
}
