import { hiddenInputs, html } from '../html.js';
import { t, type Locale } from '../i18n.js';
import { cancelForm, eyebrow, flowFields, layout, type PageChrome } from '../layout.js';

export interface EidOption {
  /** Value posted as `eid`, e.g. `testid`. */
  id: string;
  name: string;
  description?: string;
  /**
   * The eID's own page (TestID), when it has one: its button belongs to a small GET form of its
   * own (the `form` attribute, HTML §4.10.18.3) that opens that page with only the flow's id,
   * instead of posting the choice here, because choosing such an eID changes nothing in the login
   * and the POST could only redirect there. The CSRF token stays out of the URL.
   */
  page?: string;
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

/**
 * The eID selector: one submit button per eID, named `eid`, posting to /login/select; an eID with a
 * page of its own opens it directly by GET (one request fewer, and nothing is lost: see EidOption.page).
 */
export function renderEidSelectPage(p: EidSelectPageProps): string {
  const title = t(p.locale, 'eid.title');
  const buttons = p.eids.map(
    (e) => html`<li><button type="submit" name="eid" value="${e.id}" class="eid-button"${e.page ? html` form="open-${e.id}"` : ''}>
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
<div class="actions">${cancelForm(p.locale, p.cancelUrl, p.flow, p.csrf)}</div>
${p.eids.filter((e) => e.page).map((e) => html`<form method="get" action="${e.page}" id="open-${e.id}">${hiddenInputs({ flow: p.flow })}</form>`)}`;
  return layout({ locale: p.locale, title, body, flow: p.flow, langPath: p.langPath });
}
