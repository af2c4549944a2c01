import { html, safeUrl } from '../../ui/html.js';
import { adminLayout } from './admin-layout.js';

interface AdminLoginPageProps {
  pagesPath: string;
  csrf: string;
  error?: string;
}

/** The login form: the admin token or a trusted JWT access token, pasted once. */
export function renderAdminLoginPage(p: AdminLoginPageProps): string {
  const body = html`<h1>Client administration</h1>
<p class="lead">Log in with the admin token (ADMIN_TOKEN) or an access token with the <code>idporten:dcr.*</code> scopes from the trusted issuer.</p>
${p.error ? html`<div class="alert" role="alert"><p>${p.error}</p></div>` : ''}
<form method="post" action="${safeUrl(`${p.pagesPath}/login`)}">
<input type="hidden" name="csrf" value="${p.csrf}">
<div class="field">
<label for="admin-token">Token</label>
<span class="hint" id="admin-token-hint">The token is checked once and not stored; the session lasts until you log out or it expires.</span>
<input type="password" id="admin-token" name="token" autocomplete="off" spellcheck="false" required aria-describedby="admin-token-hint"${p.error ? html` aria-invalid="true"` : ''}>
</div>
<div class="actions"><button type="submit" class="btn">Log in</button></div>
</form>`;
  return adminLayout({ pagesPath: p.pagesPath }, 'Log in', body);
}
