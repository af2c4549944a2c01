import { html, safeUrl, withData } from '../html.js';
import { t, type Locale } from '../i18n.js';
import { layout, type PageChrome } from '../layout.js';

/** How long a front-channel logout page waits for the client frames before it continues anyway. */
export const FRONT_CHANNEL_WAIT_MS = 5000;

export interface FrontChannelLogoutPageProps extends PageChrome {
  locale: Locale;
  /** Absolute frontchannel_logout_uri URLs (with iss/sid already added where required). */
  frames: string[];
  /** Where to go when all frames have loaded (validated post_logout_redirect_uri?state=…). */
  continueUrl?: string;
  nonce: string;
  /** Maximum time to wait for the frames before continuing anyway. */
  waitMs: number;
}

/*
 * Runs in <head>, before the iframes are parsed, so the capturing `load` listener on the document
 * sees every frame's load event (load does not bubble, but it does capture). Continues when every
 * frame has loaded, when the window's own load event fires (which waits for all iframes), or
 * after waitMs — whichever comes first.
 */
const FCL_SCRIPT = `(function () {
  var cfg = __DATA__;
  var seen = [];
  var done = false;
  function finish() {
    if (done) return;
    done = true;
    if (cfg.continueUrl) {
      window.location.replace(cfg.continueUrl);
      return;
    }
    var s = document.getElementById('fcl-status');
    if (s) s.textContent = cfg.doneText;
  }
  document.addEventListener('load', function (ev) {
    var el = ev.target;
    if (!el || el.tagName !== 'IFRAME' || !el.hasAttribute('data-fcl')) return;
    if (seen.indexOf(el) !== -1) return;
    seen.push(el);
    if (seen.length >= cfg.total) finish();
  }, true);
  window.addEventListener('load', finish);
  if (cfg.total === 0) document.addEventListener('DOMContentLoaded', finish);
  setTimeout(finish, cfg.waitMs);
})();`;

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** OIDC Front-Channel Logout: one hidden iframe per client, then continue (spec §12.1–12.2). */
export function renderFrontChannelLogoutPage(p: FrontChannelLogoutPageProps): string {
  const frames = p.frames.map((u) => safeUrl(u)).filter((u) => u !== 'about:blank');
  const continueUrl = p.continueUrl !== undefined ? safeUrl(p.continueUrl) : undefined;
  const hasContinue = continueUrl !== undefined && continueUrl !== 'about:blank';
  const title = hasContinue ? t(p.locale, 'fcl.title') : t(p.locale, 'loggedout.title');
  const body = html`<h1>${title}</h1>
${
  hasContinue
    ? html`<p class="lead">${t(p.locale, 'fcl.message')}</p>
<div class="actions"><a class="btn" id="fcl-continue" href="${continueUrl}">${t(p.locale, 'common.continue')}</a></div>`
    : html`<p class="lead">${t(p.locale, 'loggedout.message')}</p>`
}
<p class="muted" id="fcl-status" role="status"></p>
${frames.map(
  (u) =>
    html`<iframe data-fcl src="${u}" class="fcl-frame" title="${t(p.locale, 'fcl.frameTitle', { host: hostOf(u) })}" aria-hidden="true" tabindex="-1" loading="eager"></iframe>`,
)}`;
  const script = withData(FCL_SCRIPT, {
    continueUrl: hasContinue ? continueUrl : null,
    waitMs: Math.max(0, Math.floor(p.waitMs)),
    total: frames.length,
    doneText: t(p.locale, 'fcl.done'),
  });
  return layout({ locale: p.locale, title, body, langPath: p.langPath, nonce: p.nonce, headScript: script });
}
