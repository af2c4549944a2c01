import { hiddenInputs, html, safeUrl } from '../html.js';
import { t, type Locale } from '../i18n.js';
import { layout } from '../layout.js';

export interface FormPostPageProps {
  /** The client's redirect_uri. */
  action: string;
  /** Response parameters (code, state, iss — or error, error_description, … — or response for JARM). */
  fields: Record<string, string>;
  nonce: string;
  /** Page language for the no-JavaScript fallback text; default 'nb'. */
  locale?: Locale;
}

// HTMLFormElement.prototype.submit is used because a field named "submit" would shadow form.submit.
const AUTO_SUBMIT = `(function () {
  var f = document.getElementById('form-post');
  if (f) HTMLFormElement.prototype.submit.call(f);
})();`;

/**
 * OAuth 2.0 Form Post Response Mode: an auto-submitting POST form to the client's redirect_uri.
 * The only script is the nonce'd auto-submit; without JavaScript a submit button is shown.
 * There is no language switcher: the page is transient, and re-requesting it with `?lang=` would
 * not replay the POST that produced it.
 */
export function renderFormPostPage(p: FormPostPageProps): string {
  const locale = p.locale ?? 'nb';
  const title = t(locale, 'formpost.title');
  const body = html`<h1>${title}</h1>
<form method="post" action="${safeUrl(p.action)}" id="form-post">
${hiddenInputs(p.fields)}
<noscript>
<p>${t(locale, 'formpost.noscript')}</p>
<button type="submit" class="btn">${t(locale, 'common.continue')}</button>
</noscript>
</form>`;
  return layout({ locale, title, body, languageSwitcher: false, nonce: p.nonce, bodyScript: AUTO_SUBMIT });
}
