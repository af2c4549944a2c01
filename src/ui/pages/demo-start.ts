import { attrIf, html, type SafeHtml } from '../html.js';
import { t, type Locale, type MessageKey } from '../i18n.js';
import { layout, type PageChrome } from '../layout.js';

export interface DemoDefaults {
  scope: string;
  acr_values: string;
  /** '' for not set. */
  ui_locales: string;
  /** JSON text ('' for none). */
  authorization_details: string;
  /** '' (not set), 'login' or 'none'. */
  prompt: string;
  /** 'query' or 'form_post'. */
  response_mode: string;
  use_par: boolean;
}

export interface DemoStartPageProps extends PageChrome {
  locale: Locale;
  /** Accepted for symmetry with the other pages; the page needs no script. */
  nonce?: string;
  issuer: string;
  clientId: string;
  defaults: DemoDefaults;
  /** Form action; default `/demo/login`. */
  action?: string;
  /** Path of this page for the example links; default `/demo`. */
  demoPath?: string;
}

export type DemoExampleId = 'resource' | 'multiple' | 'required' | 'service' | 'orgno' | 'none';

/**
 * The example links shown under the authorization_details field (`/demo?example=<id>`), with a
 * suggested request for the server to put into `defaults`. Resource ids are the public TT02 test
 * resources from spec §17; replace them with resources of your fixtures as needed.
 */
export const DEMO_EXAMPLES: Readonly<
  Record<DemoExampleId, { label: MessageKey; authorization_details: unknown[] | null; acr_values?: string }>
> = {
  resource: {
    label: 'demo.example.resource',
    authorization_details: [{ type: 'ansattporten:altinn:resource', resource: 'urn:altinn:resource:app_ttd_apps-test' }],
  },
  multiple: {
    label: 'demo.example.multiple',
    authorization_details: [
      {
        type: 'ansattporten:altinn:resource',
        resource: 'urn:altinn:resource:app_ttd_apps-test',
        allow_multiple_organizations: true,
      },
    ],
  },
  required: {
    label: 'demo.example.required',
    authorization_details: [
      {
        type: 'ansattporten:altinn:resource',
        resource: 'urn:altinn:resource:app_ttd_apps-test',
        representation_is_required: true,
      },
    ],
  },
  service: {
    label: 'demo.example.service',
    authorization_details: [{ type: 'ansattporten:altinn:service', resource: 'urn:altinn:resource:2480:40' }],
  },
  orgno: {
    label: 'demo.example.orgno',
    authorization_details: [{ type: 'ansattporten:orgno' }],
    acr_values: 'entraid',
  },
  none: { label: 'demo.example.none', authorization_details: null },
};

function select(
  id: string,
  name: string,
  label: string,
  current: string,
  options: { value: string; text: string }[],
): SafeHtml {
  const opts = options.some((o) => o.value === current) ? options : [...options, { value: current, text: current }];
  return html`<div class="field">
<label for="${id}">${label}</label>
<select id="${id}" name="${name}">
${opts.map((o) => html`<option value="${o.value}"${attrIf('selected', o.value === current)}>${o.text}</option>`)}
</select>
</div>`;
}

/** The demo client's start page (`/demo`): a GET form to `/demo/login`. */
export function renderDemoStartPage(p: DemoStartPageProps): string {
  const { locale, defaults: d } = p;
  const title = t(locale, 'demo.title');
  const demoPath = p.demoPath ?? '/demo';
  const notSet = t(locale, 'demo.notSet');
  const examples = (Object.keys(DEMO_EXAMPLES) as DemoExampleId[]).map(
    (id) =>
      html`<li><a href="${`${demoPath}?${new URLSearchParams({ example: id }).toString()}`}">${t(locale, DEMO_EXAMPLES[id].label)}</a></li>`,
  );

  const body = html`<h1>${title}</h1>
<p class="lead">${t(locale, 'demo.intro')}</p>
<dl class="demo-meta">
<dt>${t(locale, 'demo.issuer')}</dt><dd>${p.issuer}</dd>
<dt>${t(locale, 'demo.clientId')}</dt><dd>${p.clientId}</dd>
</dl>
<form method="get" action="${p.action ?? '/demo/login'}">
<fieldset>
<legend>${t(locale, 'demo.parameters')}</legend>
<div class="field">
<label for="demo-scope">${t(locale, 'demo.scope')}</label>
<input type="text" id="demo-scope" name="scope" value="${d.scope}" autocomplete="off" spellcheck="false">
</div>
${select('demo-acr', 'acr_values', t(locale, 'demo.acr'), d.acr_values, [
  { value: 'substantial', text: `substantial – ${t(locale, 'acr.substantial')}` },
  { value: 'high', text: `high – ${t(locale, 'acr.high')}` },
  { value: 'substantial high', text: 'substantial high' },
])}
${select('demo-locales', 'ui_locales', t(locale, 'demo.uiLocales'), d.ui_locales, [
  { value: '', text: notSet },
  { value: 'nb', text: 'nb – Bokmål' },
  { value: 'nn', text: 'nn – Nynorsk' },
  { value: 'en', text: 'en – English' },
  { value: 'se', text: 'se – Davvisámegiella' },
])}
${select('demo-prompt', 'prompt', t(locale, 'demo.prompt'), d.prompt, [
  { value: '', text: notSet },
  { value: 'login', text: 'login' },
  { value: 'none', text: 'none' },
])}
${select('demo-mode', 'response_mode', t(locale, 'demo.responseMode'), d.response_mode, [
  { value: 'query', text: 'query' },
  { value: 'form_post', text: 'form_post' },
])}
<div class="field checkbox-field">
<input type="checkbox" id="demo-par" name="use_par" value="true"${attrIf('checked', d.use_par)}>
<label for="demo-par">${t(locale, 'demo.usePar')}</label>
</div>
<div class="field">
<label for="demo-authz">${t(locale, 'demo.authzDetails')}</label>
<span class="hint" id="demo-authz-hint">${t(locale, 'demo.authzHint')}</span>
<textarea id="demo-authz" name="authorization_details" rows="10" spellcheck="false" aria-describedby="demo-authz-hint">${d.authorization_details}</textarea>
</div>
<nav aria-labelledby="demo-examples-label">
<p class="hint" id="demo-examples-label">${t(locale, 'demo.examples')}</p>
<ul class="example-links">${examples}</ul>
</nav>
</fieldset>
<div class="actions"><button type="submit" class="btn">${t(locale, 'demo.start')}</button></div>
</form>`;
  return layout({ locale, title, body, langPath: p.langPath });
}
