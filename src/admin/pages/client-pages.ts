/** The self-service pages for clients: list, create, edit (with keys, secret rotation, deletion), new secret. */
import type { FieldError } from '../../clients/validation/field-reader.js';
import { attrIf, html, safeUrl, type SafeHtml } from '../../ui/html.js';
import type { ClientView } from '../client-admin.js';
import { adminLayout, errorSummary, type AdminChrome } from './admin-layout.js';
import type { ClientFormValues } from './client-form.js';

type Session = NonNullable<AdminChrome['session']>;

function csrfField(session: Session): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${session.csrf}">`;
}

function clientPath(pagesPath: string, id: string, suffix = ''): string {
  return `${pagesPath}/clients/${encodeURIComponent(id)}${suffix}`;
}

function isoDate(epochS: number | undefined): string {
  return epochS === undefined ? '' : new Date(epochS * 1000).toISOString().slice(0, 10);
}

interface ClientListPageProps {
  pagesPath: string;
  session: Session;
  clients: ClientView[];
  showInactive: boolean;
  notice?: string;
}

export function renderClientListPage(p: ClientListPageProps): string {
  const rows = p.clients.map(
    (c) => html`<tr>
<td><a href="${safeUrl(clientPath(p.pagesPath, c.client_id))}">${c.client_name}</a>${c.active ? '' : html`<span class="badge badge-deleted">deleted</span>`}</td>
<td><code>${c.client_id}</code></td>
<td>${c.client_orgno}</td>
<td>${c.application_type}</td>
<td>${c.token_endpoint_auth_method}</td>
<td>${c.last_updated.slice(0, 10)}</td>
</tr>`,
  );
  const toggle = p.showInactive
    ? html`<a href="${safeUrl(`${p.pagesPath}/clients`)}">Hide deleted clients</a>`
    : html`<a href="${safeUrl(`${p.pagesPath}/clients?inactive=true`)}">Show deleted clients</a>`;
  const body = html`<h1>Clients</h1>
${p.notice ? html`<div class="notice" role="status"><p>${p.notice}</p></div>` : ''}
${
  p.clients.length === 0
    ? html`<p>No clients yet.</p>`
    : html`<table class="admin-table">
<caption class="visually-hidden">Registered clients</caption>
<thead><tr><th scope="col">Name</th><th scope="col">client_id</th><th scope="col">Organisation</th><th scope="col">Type</th><th scope="col">Authentication</th><th scope="col">Updated</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
}
<p>${toggle}</p>
<div class="actions"><a class="btn" href="${safeUrl(`${p.pagesPath}/clients/new`)}">New client</a></div>`;
  return adminLayout({ pagesPath: p.pagesPath, session: p.session }, 'Clients', body);
}

function fieldError(errors: FieldError[] | undefined, name: string): FieldError[] {
  return (errors ?? []).filter((e) => e.field === name || e.field.startsWith(`${name}[`) || e.field.startsWith(`${name}.`));
}

function textField(
  errors: FieldError[] | undefined, name: keyof ClientFormValues, label: string, value: string,
  opts: { hint?: string; required?: boolean; type?: string; readonly?: boolean } = {},
): SafeHtml {
  const errs = fieldError(errors, name);
  const id = `f-${name}`;
  return html`<div class="field">
<label for="${id}">${label}</label>
${opts.hint ? html`<span class="hint" id="${id}-hint">${opts.hint}</span>` : ''}
${errs.map((e) => html`<p class="error-message">${e.message}</p>`)}
<input type="${opts.type ?? 'text'}" id="${id}" name="${name}" value="${value}" autocomplete="off" spellcheck="false"${attrIf('required', !!opts.required)}${opts.readonly ? html` readonly` : ''}${opts.hint ? html` aria-describedby="${id}-hint"` : ''}${errs.length ? html` aria-invalid="true"` : ''}>
</div>`;
}

function textArea(errors: FieldError[] | undefined, name: keyof ClientFormValues, label: string, value: string, hint: string, required = false): SafeHtml {
  const errs = fieldError(errors, name);
  const id = `f-${name}`;
  return html`<div class="field">
<label for="${id}">${label}</label>
<span class="hint" id="${id}-hint">${hint}</span>
${errs.map((e) => html`<p class="error-message"><code>${e.field}</code>: ${e.message}</p>`)}
<textarea id="${id}" name="${name}" rows="3" spellcheck="false" aria-describedby="${id}-hint"${attrIf('required', required)}${errs.length ? html` aria-invalid="true"` : ''}>${value}</textarea>
</div>`;
}

function selectField(errors: FieldError[] | undefined, name: keyof ClientFormValues, label: string, value: string, options: string[], hint?: string): SafeHtml {
  const errs = fieldError(errors, name);
  const id = `f-${name}`;
  const opts = options.includes(value) || value === '' ? options : [...options, value];
  return html`<div class="field">
<label for="${id}">${label}</label>
${hint ? html`<span class="hint" id="${id}-hint">${hint}</span>` : ''}
${errs.map((e) => html`<p class="error-message">${e.message}</p>`)}
<select id="${id}" name="${name}"${hint ? html` aria-describedby="${id}-hint"` : ''}${errs.length ? html` aria-invalid="true"` : ''}>
${opts.map((o) => html`<option value="${o}"${attrIf('selected', o === value)}>${o}</option>`)}
</select>
</div>`;
}

function checkbox(name: keyof ClientFormValues, label: string, checked: boolean): SafeHtml {
  const id = `f-${name}`;
  return html`<div class="field checkbox-field">
<input type="checkbox" id="${id}" name="${name}" value="true"${attrIf('checked', checked)}>
<label for="${id}">${label}</label>
</div>`;
}

function clientFields(v: ClientFormValues, errors: FieldError[] | undefined, orgnoFixed: boolean): SafeHtml {
  const otherErrors = fieldError(errors, 'grant_types');
  return html`<fieldset>
<legend>About the service</legend>
${textField(errors, 'client_name', 'Name shown to users (client_name)', v.client_name, { required: true })}
${textField(errors, 'description', 'Description', v.description)}
${textField(errors, 'client_uri', 'Web site (client_uri)', v.client_uri, { type: 'url' })}
${textField(errors, 'client_orgno', 'Organisation number (client_orgno)', v.client_orgno, { required: true, readonly: orgnoFixed, hint: orgnoFixed ? 'Your organisation.' : '9 digits.' })}
${textField(errors, 'supplier_orgno', 'Supplier organisation number (supplier_orgno)', v.supplier_orgno, { hint: 'Optional, 9 digits.' })}
</fieldset>
<fieldset>
<legend>Application and authentication</legend>
${selectField(errors, 'application_type', 'Application type', v.application_type, ['web', 'browser', 'native'], 'web: server-side application; browser: single-page application; native: mobile or desktop app.')}
${selectField(errors, 'token_endpoint_auth_method', 'Client authentication (token_endpoint_auth_method)', v.token_endpoint_auth_method,
  ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'], 'web clients: a client_secret_* method or private_key_jwt; browser and native clients: none.')}
${otherErrors.map((e) => html`<p class="error-message">${e.message}</p>`)}
${checkbox('refresh_token', 'Refresh tokens (grant type refresh_token)', v.refresh_token)}
${textField(errors, 'scopes', 'Scopes', v.scopes, { hint: 'Separated by spaces; must contain openid.' })}
${selectField(errors, 'code_challenge_method', 'PKCE (code_challenge_method)', v.code_challenge_method, ['S256', 'none'])}
</fieldset>
<fieldset>
<legend>Addresses</legend>
${textArea(errors, 'redirect_uris', 'Redirect URIs', v.redirect_uris, 'One per line; absolute, no fragment; https in production.', true)}
${textArea(errors, 'post_logout_redirect_uris', 'Post-logout redirect URIs', v.post_logout_redirect_uris, 'One per line.')}
${textField(errors, 'frontchannel_logout_uri', 'Front-channel logout URI', v.frontchannel_logout_uri, { hint: 'In the same registrable domain as a redirect URI.' })}
${checkbox('frontchannel_logout_session_required', 'Front-channel logout with iss and sid (frontchannel_logout_session_required)', v.frontchannel_logout_session_required)}
${textField(errors, 'backchannel_logout_uri', 'Back-channel logout URI', v.backchannel_logout_uri, { hint: 'In the same registrable domain as a redirect URI.' })}
</fieldset>
<fieldset>
<legend>Lifetimes (seconds)</legend>
${textField(errors, 'access_token_lifetime', 'Access token', v.access_token_lifetime)}
${textField(errors, 'authorization_lifetime', 'Authorization', v.authorization_lifetime)}
${textField(errors, 'refresh_token_lifetime', 'Refresh token', v.refresh_token_lifetime)}
${selectField(errors, 'refresh_token_usage', 'Refresh token usage', v.refresh_token_usage, ['ONETIME', 'REUSE'])}
</fieldset>`;
}

interface ClientCreatePageProps {
  pagesPath: string;
  session: Session;
  values: ClientFormValues;
  errors?: FieldError[];
  orgnoFixed: boolean;
}

export function renderClientCreatePage(p: ClientCreatePageProps): string {
  const body = html`<h1>New client</h1>
${errorSummary(p.errors)}
<form method="post" action="${safeUrl(`${p.pagesPath}/clients/new`)}">
${csrfField(p.session)}
${clientFields(p.values, p.errors, p.orgnoFixed)}
<div class="actions"><button type="submit" class="btn">Create client</button><a href="${safeUrl(`${p.pagesPath}/clients`)}">Cancel</a></div>
</form>`;
  return adminLayout({ pagesPath: p.pagesPath, session: p.session }, 'New client', body);
}

interface ClientEditPageProps {
  pagesPath: string;
  session: Session;
  client: ClientView;
  values: ClientFormValues;
  errors?: FieldError[];
  jwksText: string;
  jwksErrors?: FieldError[];
  orgnoFixed: boolean;
  canModify: boolean;
  notice?: string;
}

export function renderClientEditPage(p: ClientEditPageProps): string {
  const c = p.client;
  const usesSecret = c.token_endpoint_auth_method === 'client_secret_basic' || c.token_endpoint_auth_method === 'client_secret_post';
  const meta = html`<dl class="admin-meta">
<dt>client_id</dt><dd><code>${c.client_id}</code></dd>
<dt>Status</dt><dd>${c.active ? 'active' : html`<span class="badge badge-deleted">deleted</span>`}</dd>
<dt>Created</dt><dd>${c.created}</dd>
<dt>Last updated</dt><dd>${c.last_updated}</dd>
${usesSecret ? html`<dt>Secret expires</dt><dd>${isoDate(c.client_secret_expires_at)}</dd>` : ''}
<dt>Keys</dt><dd>${String(c.jwks?.keys.length ?? 0)}</dd>
</dl>`;
  if (!c.active || !p.canModify) {
    return adminLayout({ pagesPath: p.pagesPath, session: p.session }, c.client_name, html`<h1>${c.client_name}</h1>
${meta}
<pre class="json">${JSON.stringify(c, null, 2)}</pre>`);
  }
  const body = html`<h1>${c.client_name}</h1>
${p.notice ? html`<div class="notice" role="status"><p>${p.notice}</p></div>` : ''}
${meta}
${errorSummary(p.errors)}
<form method="post" action="${safeUrl(clientPath(p.pagesPath, c.client_id))}">
${csrfField(p.session)}
${clientFields(p.values, p.errors, p.orgnoFixed)}
<div class="actions"><button type="submit" class="btn">Save changes</button></div>
</form>
<section class="admin-section" aria-labelledby="keys-heading">
<h2 id="keys-heading">Keys (private_key_jwt)</h2>
<p>Replace the whole key set: a JSON object <code>{"keys": [...]}</code> with at most 5 public RSA keys, each with kty, alg, use, kid, e and n. Each key expires one year after upload.</p>
${errorSummary(p.jwksErrors, 'The keys could not be saved')}
<form method="post" action="${safeUrl(clientPath(p.pagesPath, c.client_id, '/jwks'))}">
${csrfField(p.session)}
<div class="field">
<label for="f-jwks">Key set (JWKS)</label>
<textarea id="f-jwks" name="jwks" rows="8" spellcheck="false"${p.jwksErrors?.length ? html` aria-invalid="true"` : ''}>${p.jwksText}</textarea>
</div>
<div class="actions"><button type="submit" class="btn btn-secondary">Replace keys</button></div>
</form>
</section>
${
  usesSecret
    ? html`<section class="admin-section" aria-labelledby="secret-heading">
<h2 id="secret-heading">Client secret</h2>
<p>A new secret replaces the current one at once; it is shown only once.</p>
<form method="post" action="${safeUrl(clientPath(p.pagesPath, c.client_id, '/secret'))}">
${csrfField(p.session)}
<button type="submit" class="btn btn-secondary">Generate a new secret</button>
</form>
</section>`
    : ''
}
<section class="admin-section" aria-labelledby="delete-heading">
<h2 id="delete-heading">Delete</h2>
<p>The client is deactivated: it can no longer log users in, and its tokens stop being accepted. This cannot be undone.</p>
<form method="post" action="${safeUrl(clientPath(p.pagesPath, c.client_id, '/delete'))}">
${csrfField(p.session)}
<button type="submit" class="btn btn-danger">Delete client</button>
</form>
</section>`;
  return adminLayout({ pagesPath: p.pagesPath, session: p.session }, c.client_name, body);
}

interface ClientSecretPageProps {
  pagesPath: string;
  session: Session;
  client: ClientView;
  secret: string;
  created: boolean;
}

/** Shows a new client secret once. */
export function renderClientSecretPage(p: ClientSecretPageProps): string {
  const c = p.client;
  const body = html`<h1>${p.created ? 'Client created' : 'New client secret'}</h1>
<dl class="admin-meta">
<dt>Name</dt><dd>${c.client_name}</dd>
<dt>client_id</dt><dd><code>${c.client_id}</code></dd>
<dt>Expires</dt><dd>${isoDate(c.client_secret_expires_at)}</dd>
</dl>
<div class="notice" role="status"><p>Copy the client secret now. It is stored only as a hash and will not be shown again.</p></div>
<label for="new-secret">client_secret</label>
<output id="new-secret" class="secret-box">${p.secret}</output>
<p><a href="${safeUrl(clientPath(p.pagesPath, c.client_id))}">Continue to the client</a></p>`;
  return adminLayout({ pagesPath: p.pagesPath, session: p.session }, p.created ? 'Client created' : 'New client secret', body);
}
