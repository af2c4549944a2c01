import { html } from '../html.js';
import { t, type Locale } from '../i18n.js';
import { cancelForm, eyebrow, flowFields, layout, type PageChrome } from '../layout.js';

export interface EidOption {
  /** Value posted as `eid`, e.g. `testid`. */
  id: string;
  name: string;
  description?: string;
}

export interface EidSelectPageProps extends PageChrome {
  locale: Locale;
  flow: string;
  csrf: string;
  clientName: string;
  eids: EidOption[];
  /** Usually `/login/cancel`. */
  cancelUrl: string;
  /** Form action; default `/login/select`. */
  action?: string;
}

/** The eID selector: one submit button per eID, named `eid`, posting to /login/select. */
export function renderEidSelectPage(p: EidSelectPageProps): string {
  const title = t(p.locale, 'eid.title');
  const buttons = p.eids.map(
    (e) => html`<li><button type="submit" name="eid" value="${e.id}" class="eid-button">
<span class="eid-name">${e.name}</span>${e.description ? html`<span class="eid-desc">${e.description}</span>` : ''}
</button></li>`,
  );
  const body = html`${eyebrow(p.locale, p.clientName)}
<h1>${title}</h1>
<p class="lead">${t(p.locale, 'eid.intro', { client: p.clientName })}</p>
${
  p.eids.length > 0
    ? html`<form method="post" action="${p.action ?? '/login/select'}">
${flowFields(p.flow, p.csrf)}
<fieldset>
<legend class="visually-hidden">${t(p.locale, 'eid.legend')}</legend>
<ul class="eid-list">
${buttons}
</ul>
</fieldset>
</form>`
    : html`<p class="notice">${t(p.locale, 'eid.none')}</p>`
}
<div class="actions">${cancelForm(p.locale, p.cancelUrl, p.flow, p.csrf)}</div>`;
  return layout({ locale: p.locale, title, body, flow: p.flow, langPath: p.langPath });
}
