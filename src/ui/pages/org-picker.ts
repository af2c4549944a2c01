import { attrIf, formatOrgno, html, safeUrl, withData, type SafeHtml } from '../html.js';
import { t, type Locale } from '../i18n.js';
import { cancelForm, eyebrow, flowFields, layout, type PageChrome } from '../layout.js';

export interface OrgUnit {
  /** 9-digit organisation number; posted as the `orgno` value. */
  orgno: string;
  name: string;
  /** Enhetsregisteret organisation form, e.g. AS, ENK, BEDR. */
  unit_type: string;
  deleted: boolean;
}

export interface OrgParty extends OrgUnit {
  subunits: OrgUnit[];
  /**
   * Default true. False renders the main unit as a plain heading for its sub-units, for when the
   * user holds the right only for some sub-units and not for the main unit itself.
   */
  selectable?: boolean;
}

export interface OrgPickerPageProps extends PageChrome {
  locale: Locale;
  flow: string;
  csrf: string;
  clientName: string;
  parties: OrgParty[];
  /** Checkboxes instead of radio buttons. */
  allowMultiple: boolean;
  /** Offer "myself" (`orgno=self`); false when representation_is_required. */
  allowSelf: boolean;
  /** Organisation numbers (or `self`) to check initially. */
  preselected: string[];
  personName: string;
  nonce: string;
  /** Usually `/login/cancel`. */
  cancelUrl: string;
  /** Form action; default `/login/organizations`. */
  action?: string;
  /** Error text (e.g. t(locale, 'org.errorNoneSelected')) shown with role="alert". */
  error?: string;
}

/*
 * Progressive enhancement: reveals the search box and filters rows as the user types. A row is
 * shown when its name, organisation number or unit type contains the query (spaces in a numeric
 * query are ignored, so "310 000" matches 310000019) or when it is checked; a main unit also stays
 * visible when one of its sub-units is shown. The count in the aria-live region is updated after a
 * short pause so screen readers are not flooded while typing. A matching main unit that is not
 * selectable itself shows all its sub-units. The radio buttons carry no `required`: a required
 * group whose first radio is filtered out would block submission without any visible message, so
 * an empty choice is reported by the server (`error`).
 */
const FILTER_SCRIPT = `(function () {
  var cfg = __DATA__;
  var box = document.getElementById('org-search');
  var input = document.getElementById('org-q');
  var count = document.getElementById('org-count');
  var empty = document.getElementById('org-empty');
  var list = document.getElementById('org-list');
  if (!box || !input || !list) return;
  var nodes = list.querySelectorAll('[data-org-row]');
  var rows = [];
  var byKey = {};
  var total = 0;
  var i, j, row;
  for (i = 0; i < nodes.length; i++) {
    var el = nodes[i];
    row = {
      el: el,
      text: el.getAttribute('data-search') || '',
      key: el.getAttribute('data-key'),
      parent: el.getAttribute('data-parent'),
      input: el.getAttribute('data-input') ? document.getElementById(el.getAttribute('data-input')) : null,
      children: [],
      match: true
    };
    if (row.input) total++;
    rows.push(row);
    if (row.key) byKey[row.key] = row;
  }
  var mains = [];
  for (i = 0; i < rows.length; i++) {
    row = rows[i];
    if (row.parent && byKey[row.parent]) byKey[row.parent].children.push(row);
    else mains.push(row);
  }
  function countText(shown) {
    return cfg.count.replace('{shown}', String(shown)).replace('{total}', String(total));
  }
  var timer = null;
  function apply(immediate) {
    var q = input.value.toLowerCase().replace(/\\s+/g, ' ').replace(/^ | $/g, '');
    var compact = q.replace(/[\\s.]/g, '');
    var numeric = /^[0-9]+$/.test(compact);
    var shown = 0;
    var any = false;
    for (i = 0; i < rows.length; i++) {
      row = rows[i];
      row.match = q === '' ||
        row.text.indexOf(q) !== -1 ||
        (numeric && row.text.indexOf(compact) !== -1) ||
        !!(row.input && row.input.checked);
    }
    for (i = 0; i < mains.length; i++) {
      row = mains[i];
      var visible = row.match && !!row.input;
      if (visible) shown++;
      // A matching main unit that cannot itself be chosen shows all its sub-units.
      var allChildren = row.match && !row.input;
      for (j = 0; j < row.children.length; j++) {
        var child = row.children[j];
        var childVisible = child.match || allChildren;
        child.el.hidden = !childVisible;
        if (childVisible) {
          visible = true;
          if (child.input) shown++;
        }
      }
      row.el.hidden = !visible;
      if (visible) any = true;
    }
    if (empty) empty.hidden = any;
    if (timer) clearTimeout(timer);
    if (!count) return;
    if (immediate) count.textContent = countText(shown);
    else timer = setTimeout(function () { count.textContent = countText(shown); }, 400);
  }
  input.addEventListener('input', function () { apply(false); });
  input.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter') { ev.preventDefault(); apply(true); }
  });
  box.hidden = false;
  apply(true);
})();`;

/** The organisation picker (spec §9.7): radio buttons or checkboxes named `orgno`, plus "myself". */
export function renderOrgPickerPage(p: OrgPickerPageProps): string {
  const { locale } = p;
  const title = t(locale, 'org.title');
  const action = p.action ?? '/login/organizations';
  const type = p.allowMultiple ? 'checkbox' : 'radio';

  // Radio buttons: only one may be checked, so take the first preselected value that is on offer.
  const offered = new Set<string>();
  if (p.allowSelf && !p.allowMultiple) offered.add('self');
  for (const party of p.parties) {
    if (party.selectable !== false) offered.add(party.orgno);
    for (const s of party.subunits) offered.add(s.orgno);
  }
  const checked = new Set<string>(
    p.allowMultiple ? p.preselected : p.preselected.filter((v) => offered.has(v)).slice(0, 1),
  );

  const meta = (u: OrgUnit) => `${t(locale, 'org.orgno', { orgno: formatOrgno(u.orgno) })}${u.unit_type ? ` · ${u.unit_type}` : ''}`;
  const searchText = (u: OrgUnit) => `${u.name} ${u.orgno} ${u.unit_type}`.toLowerCase();
  const deletedBadge = (u: OrgUnit) =>
    u.deleted ? html` <span class="badge badge-deleted">${t(locale, 'org.deleted')}</span>` : '';

  const choice = (u: OrgUnit, id: string): SafeHtml =>
    html`<div class="choice${u.deleted ? ' org-deleted' : ''}"><input type="${type}" name="orgno" value="${u.orgno}" id="${id}"${attrIf(
      'checked',
      checked.has(u.orgno),
    )}><label for="${id}"><span class="choice-title">${u.name}${deletedBadge(u)}</span><span class="choice-meta">${meta(u)}</span></label></div>`;

  const rows = p.parties.map((party, i) => {
    const key = `m${i}`;
    const head =
      party.selectable === false
        ? html`<div class="org-heading${party.deleted ? ' org-deleted' : ''}"><span class="choice-title">${party.name}${deletedBadge(party)}</span><span class="choice-meta">${meta(party)}</span></div>`
        : choice(party, `org-${i}`);
    const subs =
      party.subunits.length > 0
        ? html`
<ul class="org-sublist" aria-label="${t(locale, 'org.subunits', { name: party.name })}">
${party.subunits.map(
  (s, j) => html`<li data-org-row data-parent="${key}" data-input="org-${i}-${j}" data-search="${searchText(s)}">${choice(s, `org-${i}-${j}`)}</li>
`,
)}</ul>`
        : '';
    const inputRef = party.selectable === false ? '' : html` data-input="org-${i}"`;
    return html`<li data-org-row data-key="${key}"${inputRef} data-search="${searchText(party)}">${head}${subs}</li>
`;
  });

  const selfRadio =
    p.allowSelf && !p.allowMultiple
      ? html`<div class="choice choice-self"><input type="radio" name="orgno" value="self" id="org-self"${attrIf(
          'checked',
          checked.has('self'),
        )}><label for="org-self"><span class="choice-title">${t(locale, 'org.self')}</span><span class="choice-meta">${t(
          locale,
          'org.selfHint',
        )}</span></label></div>`
      : '';

  const selfForm =
    p.allowSelf && p.allowMultiple
      ? html`<section class="self-section">
<p>${t(locale, 'org.selfSectionIntro')}</p>
<form method="post" action="${safeUrl(action)}">
${flowFields(p.flow, p.csrf)}
<button type="submit" name="orgno" value="self" class="btn btn-secondary">${t(locale, 'org.selfButton')}</button>
</form>
</section>`
      : '';

  const body = html`${eyebrow(locale, p.clientName)}
<h1>${title}</h1>
<p class="lead">${t(locale, 'org.intro', { person: p.personName, client: p.clientName })}</p>
${p.error ? html`<div class="alert" role="alert"><p>${p.error}</p></div>` : ''}
<form method="post" action="${safeUrl(action)}" id="org-form">
${flowFields(p.flow, p.csrf)}
<div class="org-search field" id="org-search" hidden>
<label for="org-q">${t(locale, 'org.searchLabel')}</label>
<input type="search" id="org-q" autocomplete="off" spellcheck="false" aria-controls="org-list" aria-describedby="org-count">
<p class="org-count" id="org-count" role="status" aria-live="polite"></p>
</div>
<fieldset>
<legend>${t(locale, p.allowMultiple ? 'org.legendMultiple' : p.allowSelf ? 'org.legendSingleSelf' : 'org.legendSingle')}</legend>
${selfRadio}
<ul class="org-list" id="org-list">
${rows}</ul>
<p class="org-empty" id="org-empty" hidden>${t(locale, 'org.noMatch')}</p>
</fieldset>
<div class="actions sticky-actions"><button type="submit" class="btn">${t(locale, 'common.continue')}</button></div>
</form>
${selfForm}
<div class="actions">${cancelForm(locale, p.cancelUrl, p.flow, p.csrf)}</div>`;

  const script = withData(FILTER_SCRIPT, { count: t(locale, 'org.count') });
  return layout({ locale, title, body, flow: p.flow, langPath: p.langPath, nonce: p.nonce, bodyScript: script });
}
