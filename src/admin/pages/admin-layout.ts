/** The shell of the self-service pages: the provider's layout plus a navigation bar. */
import { html, safeUrl, type SafeHtml } from '../../ui/html.js';
import { layout } from '../../ui/layout.js';

export interface AdminChrome {
  pagesPath: string;
  /** Shown when logged in: who, and the log-out form's CSRF token. */
  session?: { actor: string; orgno?: string; csrf: string };
}

function adminCssPath(pagesPath: string): string {
  return `${pagesPath}/admin.css`;
}

export function adminLayout(chrome: AdminChrome, title: string, body: SafeHtml): string {
  const p = chrome.pagesPath;
  const nav = chrome.session
    ? html`<nav class="admin-nav" aria-label="Administration">
<a href="${safeUrl(`${p}/clients`)}">Clients</a>
<a href="${safeUrl(`${p}/clients/new`)}">New client</a>
<span class="who">Logged in as <strong>${chrome.session.actor}</strong>${chrome.session.orgno ? html` (organisation ${chrome.session.orgno})` : ''}</span>
<form method="post" action="${safeUrl(`${p}/logout`)}" class="inline-form">
<input type="hidden" name="csrf" value="${chrome.session.csrf}">
<button type="submit" class="btn btn-link">Log out</button>
</form>
</nav>`
    : html``;
  return layout({
    locale: 'en',
    title,
    languageSwitcher: false,
    wide: true,
    body: html`<link rel="stylesheet" href="${safeUrl(adminCssPath(p))}">
${nav}
${body}`,
  });
}

/** A list of field errors, each naming its field. */
export function errorSummary(errors: { field: string; message: string }[] | undefined, heading = 'The client could not be saved'): SafeHtml {
  if (!errors || errors.length === 0) return html``;
  return html`<div class="alert" role="alert">
<h2>${heading}</h2>
<ul>${errors.map((e) => html`<li>${e.field ? html`<code>${e.field}</code>: ` : ''}${e.message}</li>`)}</ul>
</div>`;
}

export function renderMessagePage(chrome: AdminChrome, title: string, message: string): string {
  return adminLayout(chrome, title, html`<h1>${title}</h1>
<p>${message}</p>
<p><a href="${safeUrl(`${chrome.pagesPath}/clients`)}">Back to the clients</a></p>`);
}
