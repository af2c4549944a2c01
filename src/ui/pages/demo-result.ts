import { hiddenInputs, html, safeUrl } from '../html.js';
import { t, type Locale, type MessageKey } from '../i18n.js';
import { layout, type PageChrome } from '../layout.js';

export interface DemoResultPageProps extends PageChrome {
  locale: Locale;
  issuer: string;
  tokenResponse: object;
  idTokenHeader: object;
  idTokenClaims: object;
  accessTokenClaims?: object;
  userinfo?: object;
  /** The OP's end_session_endpoint. A query string in it is turned into hidden fields. */
  logoutUrl?: string;
  /** Hidden fields of the logout form (id_token_hint, post_logout_redirect_uri, state, …). */
  logoutFields?: Record<string, string>;
  /** Default 'get' (a plain form GET); 'post' keeps id_token_hint out of URLs and logs. */
  logoutMethod?: 'get' | 'post';
  /** Link target for "log in again"; default `/demo`. */
  demoPath?: string;
}

/** The demo client's result page: decoded tokens as pretty JSON. */
export function renderDemoResultPage(p: DemoResultPageProps): string {
  const { locale } = p;
  const title = t(locale, 'demo.resultTitle');
  const sections: [string, MessageKey, object | undefined][] = [
    ['token-response', 'demo.tokenResponse', p.tokenResponse],
    ['id-token-header', 'demo.idTokenHeader', p.idTokenHeader],
    ['id-token-claims', 'demo.idTokenClaims', p.idTokenClaims],
    ['access-token-claims', 'demo.accessTokenClaims', p.accessTokenClaims],
    ['userinfo', 'demo.userinfo', p.userinfo],
  ];

  let logout = html``;
  if (p.logoutUrl) {
    // Browsers drop the query string of a GET form's action, so move it into hidden fields.
    const [path, query] = splitQuery(p.logoutUrl);
    const fields: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(query)) fields[k] = v;
    Object.assign(fields, p.logoutFields ?? {});
    const method = p.logoutMethod ?? 'get';
    logout = html`<form method="${method}" action="${safeUrl(method === 'get' ? path : p.logoutUrl)}">
${hiddenInputs(method === 'get' ? fields : (p.logoutFields ?? {}))}
<button type="submit" class="btn btn-secondary">${t(locale, 'demo.logout')}</button>
</form>`;
  }

  const body = html`<h1>${title}</h1>
<p class="lead">${t(locale, 'demo.resultIntro')}</p>
<dl class="demo-meta"><dt>${t(locale, 'demo.issuer')}</dt><dd>${p.issuer}</dd></dl>
${sections
  .filter((s): s is [string, MessageKey, object] => s[2] !== undefined)
  .map(
    ([id, key, value]) => html`<section aria-labelledby="h-${id}">
<h2 id="h-${id}">${t(locale, key)}</h2>
<pre class="json">${JSON.stringify(value, null, 2)}</pre>
</section>`,
  )}
<div class="actions">
<a class="btn" href="${p.demoPath ?? '/demo'}">${t(locale, 'demo.loginAgain')}</a>
${logout}
</div>`;
  // The result page usually lives at the callback URL, which cannot be reloaded: switch language on /demo.
  return layout({ locale, title, body, wide: true, langPath: p.langPath ?? p.demoPath ?? '/demo' });
}

function splitQuery(url: string): [string, string] {
  const hash = url.indexOf('#');
  const noHash = hash === -1 ? url : url.slice(0, hash);
  const q = noHash.indexOf('?');
  return q === -1 ? [noHash, ''] : [noHash.slice(0, q), noHash.slice(q + 1)];
}
