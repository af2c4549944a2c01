import { attrIf, html, raw, withData } from '../html.js';
import { t, type Locale } from '../i18n.js';
import { cancelForm, eyebrow, flowFields, layout, type PageChrome } from '../layout.js';

export type TestIdAcr = 'substantial' | 'high';

export interface TestIdPerson {
  pid: string;
  given_name: string;
  family_name: string;
}

export interface TestIdPageProps extends PageChrome {
  locale: Locale;
  flow: string;
  csrf: string;
  clientName: string;
  persons: TestIdPerson[];
  acrOptions: TestIdAcr[];
  selectedAcr: TestIdAcr;
  /** A person who is daglig leder of an organisation with rights relevant to the request, when there is one. */
  generalManager?: TestIdPerson & { organization_name: string };
  /** The test world's version the page shows; every form carries it back as `world` (src/eid/testid/testid-eid.ts). */
  worldVersion?: number;
  /** Value to put back into the number field (after an error). */
  pidValue?: string;
  /** Error text shown above the number field, e.g. t(locale, 'testid.errorFormat'). */
  error?: string;
  /** Usually `/login/cancel`. */
  cancelUrl: string;
  /** Form action; default `/login/testid`. */
  action?: string;
  /**
   * Optional CSP nonce. When given, a small script keeps the hidden `acr` of the person buttons in
   * step with the level chosen in the radio group; without it the person buttons use `selectedAcr`.
   */
  nonce?: string;
}

const ACR_SYNC_SCRIPT = `(function () {
  var labels = __DATA__;
  var radios = document.querySelectorAll('input[type="radio"][name="acr"]');
  var text = document.getElementById('testid-person-acr');
  function sync(value) {
    var hidden = document.querySelectorAll('input[data-acr-sync]');
    for (var i = 0; i < hidden.length; i++) hidden[i].value = value;
    if (text && labels[value]) text.textContent = labels[value];
  }
  for (var i = 0; i < radios.length; i++) {
    radios[i].addEventListener('change', function (ev) {
      if (ev.target && ev.target.checked) sync(ev.target.value);
    });
  }
})();`;

/** TestID: enter a synthetic national identity number, pick the level, or click a test person. */
export function renderTestIdPage(p: TestIdPageProps): string {
  const title = t(p.locale, 'testid.title');
  const action = p.action ?? '/login/testid';
  const acr: TestIdAcr = p.acrOptions.includes(p.selectedAcr) ? p.selectedAcr : (p.acrOptions[0] ?? p.selectedAcr);
  const acrLabel = (a: TestIdAcr) => t(p.locale, a === 'high' ? 'acr.high' : 'acr.substantial');
  const describedBy = p.error ? 'pid-hint pid-error' : 'pid-hint';
  const worldField = p.worldVersion !== undefined ? html`\n<input type="hidden" name="world" value="${p.worldVersion}">` : '';

  const acrFieldset =
    p.acrOptions.length > 0
      ? html`<fieldset>
<legend>${t(p.locale, 'testid.acrLegend')}</legend>
<div class="acr-options">
${p.acrOptions.map(
  (a) => html`<div class="choice"><input type="radio" name="acr" id="acr-${a}" value="${a}"${attrIf('checked', a === acr)}>
<label for="acr-${a}">${acrLabel(a)}</label></div>`,
)}
</div>
</fieldset>`
      : html`<input type="hidden" name="acr" value="${acr}">`;

  const personButton = (person: TestIdPerson, detail?: string) => html`<form method="post" action="${action}">
${flowFields(p.flow, p.csrf)}${worldField}
<input type="hidden" name="acr" value="${acr}" data-acr-sync>
<button type="submit" name="pid" value="${person.pid}" class="person-button">
<span class="visually-hidden">${t(p.locale, 'testid.loginAs')} </span><span class="person-name">${person.given_name} ${person.family_name}</span>
<span class="person-pid">${person.pid}${detail ? html`, ${detail}` : ''}</span>
</button>
</form>`;
  const manager = p.generalManager
    ? html`<section aria-labelledby="manager-heading">
<h2 id="manager-heading">${t(p.locale, 'testid.managerHeading')}</h2>
<p>${t(p.locale, 'testid.managerIntro')}</p>
${personButton(p.generalManager, p.generalManager.organization_name)}
</section>`
    : '';

  const persons = p.persons.map(
    (person) => html`<li><form method="post" action="${action}">
${flowFields(p.flow, p.csrf)}${worldField}
<input type="hidden" name="acr" value="${acr}" data-acr-sync>
<button type="submit" name="pid" value="${person.pid}" class="person-button">
<span class="visually-hidden">${t(p.locale, 'testid.loginAs')} </span><span class="person-name">${person.given_name} ${person.family_name}</span>
<span class="person-pid">${person.pid}</span>
</button>
</form></li>`,
  );

  const body = html`${eyebrow(p.locale, p.clientName)}
<h1>${title}</h1>
<p class="lead">${t(p.locale, 'testid.intro')}</p>
<form method="post" action="${action}" id="testid-form">
${flowFields(p.flow, p.csrf)}${worldField}
${acrFieldset}
<div class="field">
<label for="pid">${t(p.locale, 'testid.pidLabel')}</label>
<span class="hint" id="pid-hint">${t(p.locale, 'testid.pidHint')}</span>
${p.error ? html`<p class="error-message" id="pid-error" role="alert">${p.error}</p>` : ''}
<input type="text" id="pid" name="pid" class="input-pid" inputmode="numeric" pattern="[0-9]{11}" autocomplete="off" spellcheck="false" required value="${p.pidValue ?? ''}" aria-describedby="${describedBy}"${raw(
    p.error ? ' aria-invalid="true"' : '',
  )}>
</div>
<button type="submit" class="btn">${t(p.locale, 'testid.submit')}</button>
</form>
${manager}
${
  p.persons.length > 0
    ? html`<section aria-labelledby="persons-heading">
<h2 id="persons-heading">${t(p.locale, 'testid.personsHeading')}</h2>
<p>${t(p.locale, 'testid.personsIntro')} ${t(p.locale, 'testid.acrLegend')}: <strong id="testid-person-acr">${acrLabel(acr)}</strong>.</p>
<ul class="person-list">
${persons}
</ul>
</section>`
    : ''
}
<div class="actions">${cancelForm(p.locale, p.cancelUrl, p.flow, p.csrf)}</div>`;

  const script =
    p.nonce && (p.persons.length > 0 || p.generalManager) && p.acrOptions.length > 1
      ? withData(ACR_SYNC_SCRIPT, Object.fromEntries(p.acrOptions.map((a) => [a, acrLabel(a)])))
      : undefined;
  return layout({ locale: p.locale, title, body, flow: p.flow, langPath: p.langPath, nonce: p.nonce, bodyScript: script });
}
