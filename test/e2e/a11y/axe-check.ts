/**
 * Runs axe-core (WCAG 2.2 AA rule set) on a page in headless Chromium, with JavaScript on or off.
 *
 * With JavaScript ON the page is checked where it is: axe is evaluated into every frame and run.
 *
 * With JavaScript OFF axe cannot run in the page itself: Chromium's script switch also stops the
 * timers and tasks axe needs, so axe.run never settles. Neither of the obvious replays is faithful:
 * `page.setContent(await page.content())` in a scripting context would parse `<noscript>` as raw
 * text (its fallback, e.g. the form_post "Continue" button, would vanish) and would lose the page's
 * URL, so relative stylesheets would not load. So the check takes the DOM as the script-less
 * browser built it (`<noscript>` children are real elements there; `hidden` parts that a script
 * would reveal stay hidden), unwraps each `<noscript>` into its children (that is how a script-less
 * browser renders it), removes the `<script>` elements (they never ran), and loads that document in
 * a JavaScript-enabled page AT THE SAME URL through `page.route` (the request never reaches the
 * server), so the same stylesheets, frames and base URL apply; axe then runs there.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Frame, Page } from 'playwright-core';

const require = createRequire(import.meta.url);
export const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.0, 2.1 and 2.2 level A and AA (axe's tags). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeViolation { id: string; impact: string | null; help: string; helpUrl: string; targets: string[] }
export interface AxeOutcome { violations: AxeViolation[]; passes: number; lang: string | null; title: string }

interface AxeGlobal {
  axe: {
    run(ctx: Document, o: unknown): Promise<{
      violations: { id: string; impact: string | null; help: string; helpUrl: string; nodes: { target: unknown[] }[] }[];
      passes: unknown[];
    }>;
  };
}

/** Loads axe into every frame of the page. `evaluate` is not subject to the page's CSP (script-src with a nonce). */
async function inject(page: Page): Promise<void> {
  await Promise.all(page.frames().map((f: Frame) => f.evaluate(axeSource).catch(() => undefined)));
  // the main frame must have it
  if (!(await page.evaluate(() => typeof (globalThis as unknown as Partial<AxeGlobal>).axe === 'object'))) throw new Error('axe-core did not load');
}

async function runAxe(page: Page): Promise<AxeOutcome> {
  await inject(page);
  return page.evaluate(async (tags) => {
    const r = await (globalThis as unknown as AxeGlobal).axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return {
      violations: r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, targets: v.nodes.map((n) => JSON.stringify(n.target)),
      })),
      passes: r.passes.length,
      lang: document.documentElement.getAttribute('lang'),
      title: document.title,
    };
  }, WCAG_TAGS);
}

/** The document as a browser without JavaScript renders it: see the file comment. */
async function scriptlessSnapshot(page: Page): Promise<{ url: string; html: string }> {
  // evaluate works in a javaScriptEnabled: false context (synchronous DevTools evaluation); the page's own scripts never ran
  return page.evaluate(() => {
    for (const s of Array.from(document.querySelectorAll('script'))) s.remove();
    for (const n of Array.from(document.querySelectorAll('noscript'))) n.replaceWith(...Array.from(n.childNodes));
    const dt = document.doctype ? `<!DOCTYPE ${document.doctype.name}>\n` : '';
    return { url: location.href, html: dt + document.documentElement.outerHTML };
  });
}

/**
 * Checks `page` (in a context with JavaScript as the page's context has it). For a script-less
 * page, `host` must be a JavaScript-enabled context used to replay the rendering.
 */
export async function checkPage(page: Page, javaScript: boolean, host?: BrowserContext): Promise<AxeOutcome> {
  if (javaScript) {
    // not waitForLoadState: after a navigation answered 204 (the form_post auto-submit, the front-channel
    // continue) the document stays but Playwright keeps waiting for a load that never comes
    await page.waitForFunction(() => document.readyState === 'complete');
    return runAxe(page);
  }
  await page.waitForLoadState('load');
  if (!host) throw new Error('a JavaScript-enabled host context is needed for a script-less page');
  const snap = await scriptlessSnapshot(page);
  const target = snap.url.split('#')[0]!;
  const replay = await replayPage(host);
  pendingReplay.set(target, snap.html);
  await replay.goto(target, { waitUntil: 'load' });
  return runAxe(replay);
}

const pendingReplay = new Map<string, string>();
const replayPages = new WeakMap<BrowserContext, Page>();

/** One replay page per host context; its route serves each snapshot once, at the page's own URL. */
async function replayPage(host: BrowserContext): Promise<Page> {
  const known = replayPages.get(host);
  if (known && !known.isClosed()) return known;
  const page = await host.newPage();
  await page.route((u) => pendingReplay.has(u.href.split('#')[0]!), (route) => {
    const key = route.request().url().split('#')[0]!;
    const body = pendingReplay.get(key);
    pendingReplay.delete(key);
    if (body === undefined || route.request().resourceType() !== 'document') return route.continue();
    return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });
  });
  replayPages.set(host, page);
  return page;
}

/** One line per violation: rule id, impact, help text, the nodes' targets. */
export function describeViolations(page: string, violations: AxeViolation[]): string[] {
  return violations.map((v) => `${page}: ${v.id} (${v.impact ?? '?'}): ${v.help} [${v.helpUrl}]\n    at ${v.targets.join('\n    at ')}`);
}
