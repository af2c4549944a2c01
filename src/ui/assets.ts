/**
 * The single stylesheet of the provider, served by the app at APP_CSS_PATH.
 * Sober Norwegian public-sector look: system fonts, navy header, white card, blue actions,
 * strong visible focus. No external fonts or images; no inline styles are needed anywhere.
 */

export const APP_CSS_PATH = '/assets/app.css';

export const APP_CSS = `/* Ansattporten (independent implementation) */
:root {
  --c-text: #1a1a1a;
  --c-muted: #4a4f57;
  --c-bg: #f2f4f7;
  --c-surface: #ffffff;
  --c-border: #c3c8cf;
  --c-input-border: #5c6470;
  --c-navy: #12284c;
  --c-primary: #0b57a4;
  --c-primary-dark: #083f78;
  --c-focus: #12284c;
  --c-focus-ring: #f9c642;
  --c-error: #b3261e;
  --c-error-bg: #fdecea;
  --c-info-bg: #e8f0fa;
  --c-badge-bg: #ececec;
  --radius: 4px;
  --wrap: 44rem;
  color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  min-height: 100vh;
  display: flex;
  flex-direction: column;
  background: var(--c-bg);
  color: var(--c-text);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 1.0625rem;
  line-height: 1.5;
}
.wrap { width: 100%; max-width: var(--wrap); margin: 0 auto; padding: 0 1rem; }
.page-wide { --wrap: 64rem; }

/* Header and language switcher */
.site-header { background: var(--c-navy); color: #fff; }
.site-header .wrap { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem 1rem; padding-top: .75rem; padding-bottom: .75rem; }
.brand { font-weight: 700; font-size: 1.2rem; letter-spacing: .01em; }
.lang-switcher ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem; }
.lang-switcher a { display: inline-block; padding: .2rem .5rem; color: #fff; border-radius: var(--radius); font-size: .9rem; text-decoration: underline; text-underline-offset: .15em; }
.lang-switcher a:hover { background: rgba(255,255,255,.15); }
.lang-switcher a[aria-current] { text-decoration: none; font-weight: 700; background: rgba(255,255,255,.2); }
.lang-switcher a:focus-visible { outline: 3px solid var(--c-focus-ring); outline-offset: 2px; }

/* Main card */
main { flex: 1 0 auto; padding: 2rem 0 3rem; }
.card { background: var(--c-surface); border: 1px solid var(--c-border); border-radius: 6px; padding: 1.5rem 1.25rem; box-shadow: 0 1px 2px rgba(0,0,0,.06); }
@media (min-width: 40em) { .card { padding: 2rem 2.5rem; } }
.eyebrow { margin: 0 0 .25rem; color: var(--c-muted); font-size: .95rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.3rem; line-height: 1.3; margin: 2rem 0 .75rem; }
p { margin: 0 0 1rem; }
.lead { font-size: 1.125rem; }
.muted { color: var(--c-muted); }
a { color: var(--c-primary); text-underline-offset: .15em; }
a:hover { color: var(--c-primary-dark); }
.visually-hidden {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}

/* Focus: always clearly visible (WCAG 2.4.7) */
:focus-visible { outline: 3px solid var(--c-focus); outline-offset: 3px; }
a:focus-visible { outline: 3px solid var(--c-focus); outline-offset: 2px; background: var(--c-focus-ring); color: var(--c-text); }

/* Buttons */
.btn {
  display: inline-flex; align-items: center; justify-content: center; gap: .5rem;
  min-height: 2.75rem; padding: .55rem 1.25rem;
  font: inherit; font-weight: 600; line-height: 1.2; text-align: center; text-decoration: none;
  border: 2px solid var(--c-primary); border-radius: var(--radius);
  background: var(--c-primary); color: #fff; cursor: pointer;
}
.btn:hover { background: var(--c-primary-dark); border-color: var(--c-primary-dark); color: #fff; }
.btn-secondary { background: #fff; color: var(--c-primary); }
.btn-secondary:hover { background: var(--c-info-bg); color: var(--c-primary-dark); }
.btn-link { background: none; border-color: transparent; color: var(--c-primary); text-decoration: underline; padding-left: .25rem; padding-right: .25rem; font-weight: 400; }
.btn-link:hover { background: none; border-color: transparent; color: var(--c-primary-dark); }
.actions { display: flex; flex-wrap: wrap; align-items: center; gap: .75rem; margin-top: 1.5rem; }
.actions form { margin: 0; }
.inline-form { display: inline; margin: 0; }

/* Form fields */
fieldset { border: 0; margin: 0 0 1.5rem; padding: 0; min-width: 0; }
legend { font-weight: 700; font-size: 1.1rem; padding: 0; margin-bottom: .5rem; }
label { font-weight: 600; }
.field { margin-bottom: 1.25rem; }
.field > label { display: block; margin-bottom: .25rem; }
.hint { display: block; color: var(--c-muted); font-size: .95rem; margin: 0 0 .4rem; font-weight: 400; }
input[type="text"], input[type="search"], select, textarea {
  display: block; width: 100%; max-width: 100%;
  font: inherit; color: var(--c-text); background: #fff;
  border: 2px solid var(--c-input-border); border-radius: var(--radius);
  padding: .5rem .6rem; min-height: 2.75rem;
}
input.input-pid { max-width: 14rem; letter-spacing: .05em; font-variant-numeric: tabular-nums; }
textarea { min-height: 10rem; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9rem; }
input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid var(--c-focus); outline-offset: 0; box-shadow: 0 0 0 5px var(--c-focus-ring); }
input[aria-invalid="true"], textarea[aria-invalid="true"], select[aria-invalid="true"] { border-color: var(--c-error); }
.error-message { color: var(--c-error); font-weight: 600; margin: 0 0 .4rem; }
.alert { border-left: 5px solid var(--c-error); background: var(--c-error-bg); padding: .75rem 1rem; margin: 0 0 1.25rem; border-radius: 0 var(--radius) var(--radius) 0; }
.notice { border-left: 5px solid var(--c-primary); background: var(--c-info-bg); padding: .75rem 1rem; margin: 0 0 1.25rem; border-radius: 0 var(--radius) var(--radius) 0; }

/* Radio buttons and checkboxes with large hit areas */
.choice { position: relative; display: flex; align-items: flex-start; gap: .65rem; padding: .55rem .5rem; border-radius: var(--radius); }
.choice:hover { background: var(--c-info-bg); }
.choice input { flex: none; width: 1.35rem; height: 1.35rem; margin: .15rem 0 0; accent-color: var(--c-primary); cursor: pointer; }
.choice label { cursor: pointer; flex: 1 1 auto; min-width: 0; }
.choice input:focus-visible { outline: 3px solid var(--c-focus); outline-offset: 2px; }
.choice-title { display: block; overflow-wrap: anywhere; }
.choice-meta { display: block; font-weight: 400; color: var(--c-muted); font-size: .93rem; }
.choice-self { border: 1px solid var(--c-border); margin-bottom: .75rem; }

/* eID selector */
.eid-list { list-style: none; margin: 0; padding: 0; display: grid; gap: .75rem; }
.eid-button {
  display: flex; flex-direction: column; align-items: flex-start; width: 100%;
  padding: .9rem 1rem; font: inherit; text-align: left; cursor: pointer;
  background: #fff; color: var(--c-text); border: 2px solid var(--c-border); border-radius: 6px;
}
.eid-button:hover { border-color: var(--c-primary); background: var(--c-info-bg); }
.eid-name { font-weight: 700; font-size: 1.1rem; color: var(--c-primary); }
.eid-desc { color: var(--c-muted); font-size: .95rem; }

/* TestID persons */
.person-list { list-style: none; margin: 0; padding: 0; display: grid; gap: .5rem; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); }
.person-list form { margin: 0; height: 100%; }
.person-button {
  display: flex; flex-direction: column; align-items: flex-start; width: 100%; height: 100%;
  padding: .6rem .8rem; font: inherit; text-align: left; cursor: pointer;
  background: #fff; color: var(--c-text); border: 1px solid var(--c-border); border-radius: var(--radius);
}
.person-button:hover { border-color: var(--c-primary); background: var(--c-info-bg); }
.person-name { font-weight: 600; overflow-wrap: anywhere; }
.person-pid { color: var(--c-muted); font-size: .9rem; font-variant-numeric: tabular-nums; }
.acr-options { display: flex; flex-wrap: wrap; gap: 0 1.5rem; }

/* Organisation picker */
.org-search { margin: 0 0 1rem; }
.org-count { margin: .4rem 0 0; color: var(--c-muted); font-size: .95rem; }
.org-list, .org-sublist { list-style: none; margin: 0; padding: 0; }
.org-list > li { border-top: 1px solid var(--c-border); padding: .25rem 0; }
.org-list > li:last-child { border-bottom: 1px solid var(--c-border); }
.org-sublist { margin-left: 1.9rem; border-left: 2px solid var(--c-border); padding-left: .5rem; }
.org-heading { display: block; padding: .55rem .5rem; font-weight: 600; }
.badge { display: inline-block; margin-left: .35rem; padding: 0 .4rem; border-radius: 3px; background: var(--c-badge-bg); color: var(--c-text); font-size: .8rem; font-weight: 600; vertical-align: .1em; }
.badge-deleted { background: var(--c-error-bg); color: var(--c-error); border: 1px solid var(--c-error); }
.org-deleted .choice-title { text-decoration: line-through; text-decoration-thickness: 1px; }
.org-empty { margin: 1rem 0; font-style: italic; }
/* Keyboard focus scrolls clear of the sticky bar below (WCAG 2.2 SC 2.4.11 Focus Not Obscured) */
html:has(.sticky-actions) { scroll-padding-bottom: 5.5rem; }
.sticky-actions { position: sticky; bottom: 0; background: var(--c-surface); border-top: 1px solid var(--c-border); padding: .75rem 0; margin-top: 0; z-index: 1; }
.self-section { margin-top: 1.5rem; }

/* Logout */
.fcl-frame { position: absolute; width: 0; height: 0; border: 0; visibility: hidden; }

/* Demo */
.demo-meta { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1.5rem; }
.demo-meta dt { font-weight: 600; }
.demo-meta dd { margin: 0; overflow-wrap: anywhere; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .95rem; }
.example-links { display: flex; flex-wrap: wrap; gap: .5rem; list-style: none; padding: 0; margin: .25rem 0 .75rem; }
.example-links a { display: inline-block; padding: .25rem .6rem; border: 1px solid var(--c-primary); border-radius: 999px; font-size: .9rem; text-decoration: none; }
.example-links a:hover { background: var(--c-info-bg); }
.checkbox-field { display: flex; align-items: center; gap: .6rem; }
.checkbox-field input { width: 1.3rem; height: 1.3rem; accent-color: var(--c-primary); }
pre.json {
  margin: 0 0 1rem; padding: 1rem; overflow-x: auto;
  background: #f6f8fa; border: 1px solid var(--c-border); border-radius: var(--radius);
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; line-height: 1.45;
  white-space: pre-wrap; overflow-wrap: anywhere;
}

/* Footer */
.site-footer { flex-shrink: 0; border-top: 1px solid var(--c-border); background: var(--c-surface); color: var(--c-muted); font-size: .9rem; }
.site-footer p { margin: 0; padding: 1rem 0; }

@media (max-width: 30em) {
  body { font-size: 1rem; }
  h1 { font-size: 1.45rem; }
  main { padding-top: 1rem; }
  .card { border-left: 0; border-right: 0; border-radius: 0; }
  main > .wrap { padding: 0; }
  .actions .btn { width: 100%; }
  .actions form { width: 100%; }
  .demo-meta { grid-template-columns: 1fr; }
}
@media (forced-colors: active) {
  .btn, .eid-button, .person-button { border: 2px solid ButtonText; }
  .badge-deleted { border: 1px solid CanvasText; }
}
@media print {
  .site-header, .lang-switcher, .actions, .site-footer { display: none; }
  body { background: #fff; }
  .card { border: 0; box-shadow: none; }
}
`;
