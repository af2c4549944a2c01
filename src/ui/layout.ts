/** The page shell shared by every page, plus small reusable fragments. */
import { APP_CSS_PATH } from './assets.js';
import { html, hiddenInputs, raw, safeUrl, scriptTag, type SafeHtml } from './html.js';
import { LANGUAGE_NAMES, LOCALES, t, type Locale } from './i18n.js';

/** Options every page accepts in addition to its own props. */
export interface PageChrome {
  /**
   * Path the language-switcher links point to. Default: empty, i.e. the links are the relative
   * URLs `?flow=<id>&lang=xx` (or `?lang=xx`) and resolve against the current path.
   */
  langPath?: string;
}

export interface LayoutOptions extends PageChrome {
  locale: Locale;
  title: string;
  body: SafeHtml;
  /** Flow id carried by the language-switcher links. */
  flow?: string;
  /** Whether to show the language switcher (default true). */
  languageSwitcher?: boolean;
  /** CSP nonce for `headScript`/`bodyScript`. */
  nonce?: string;
  /** JavaScript placed in <head> (runs before the body is parsed). Requires `nonce`. */
  headScript?: string;
  /** JavaScript placed at the end of <body>. Requires `nonce`. */
  bodyScript?: string;
  /** Wider content column (demo result). */
  wide?: boolean;
}

export function languageSwitcher(locale: Locale, flow: string | undefined, langPath = ''): SafeHtml {
  const items = LOCALES.map((l) => {
    const q = new URLSearchParams();
    if (flow) q.set('flow', flow);
    q.set('lang', l);
    const href = `${langPath}?${q.toString()}`;
    return html`<li><a href="${safeUrl(href)}" lang="${l}" hreflang="${l}"${raw(
      l === locale ? ' aria-current="true"' : '',
    )}>${LANGUAGE_NAMES[l]}</a></li>`;
  });
  return html`<nav class="lang-switcher" aria-label="${t(locale, 'lang.label')}"><ul>${items}</ul></nav>`;
}

export function layout(o: LayoutOptions): string {
  const needsNonce = o.headScript !== undefined || o.bodyScript !== undefined;
  if (needsNonce && !o.nonce) throw new Error('layout: a script requires a CSP nonce');
  const nonce = o.nonce ?? '';
  const doc = html`<!DOCTYPE html>
<html lang="${o.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${o.title} – ${t(o.locale, 'app.name')}</title>
<link rel="stylesheet" href="${APP_CSS_PATH}">
${o.headScript !== undefined ? scriptTag(nonce, o.headScript) : ''}
</head>
<body${o.wide ? raw(' class="page-wide"') : ''}>
<header class="site-header">
<div class="wrap">
<span class="brand">${t(o.locale, 'app.name')}</span>
${o.languageSwitcher === false ? '' : languageSwitcher(o.locale, o.flow, o.langPath)}
</div>
</header>
<main id="main">
<div class="wrap">
<div class="card">
${o.body}
</div>
</div>
</main>
<footer class="site-footer">
<div class="wrap"><p>${t(o.locale, 'footer.disclaimer')}</p></div>
</footer>
${o.bodyScript !== undefined ? scriptTag(nonce, o.bodyScript) : ''}
</body>
</html>
`;
  return doc.value;
}

/** Hidden `flow` (when given) and `csrf` fields. */
export function flowFields(flow: string | undefined, csrf: string): SafeHtml {
  return hiddenInputs({ flow, csrf });
}

/** A stand-alone POST form with a single secondary "Cancel" button. */
export function cancelForm(locale: Locale, cancelUrl: string, flow: string | undefined, csrf: string): SafeHtml {
  return html`<form method="post" action="${safeUrl(cancelUrl)}" class="cancel-form">
${flowFields(flow, csrf)}
<button type="submit" class="btn btn-secondary">${t(locale, 'common.cancel')}</button>
</form>`;
}

/** The small "Log in to <service>" line above the page heading. */
export function eyebrow(locale: Locale, clientName: string): SafeHtml {
  return html`<p class="eyebrow">${t(locale, 'common.loginTo', { client: clientName })}</p>`;
}
