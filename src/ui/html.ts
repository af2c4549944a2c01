/**
 * A tiny HTML templating helper: the `html` tagged template escapes every interpolated value
 * unless it is already a `SafeHtml` (produced by `html` itself or by `raw()`).
 *
 * All templates in src/ui quote their attribute values with double quotes, so escaping
 * `& < > " '` is enough for both text and attribute contexts. Never interpolate into an
 * unquoted attribute, a `<script>` or a `<style>`; use `scriptTag()`/`jsonForScript()` for scripts.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Mark an already-safe fragment as HTML. Only for trusted, constant or pre-escaped strings. */
export function raw(s: string): SafeHtml {
  return new SafeHtml(s);
}

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return (v as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(v));
}

/**
 * Tagged template. `null`, `undefined` and `false` render as nothing (handy for
 * `${cond && html`...`}`); arrays are concatenated; everything else is escaped.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += render(values[i]) + (strings[i + 1] ?? '');
  }
  return new SafeHtml(out);
}

/** A boolean attribute (` checked`, ` required`, …) or nothing. */
export function attrIf(name: 'checked' | 'selected' | 'required' | 'disabled' | 'hidden', on: boolean): SafeHtml {
  return raw(on ? ` ${name}` : '');
}

/**
 * Neutralise URLs with a dangerous scheme (javascript:, data:, vbscript:, …) before they go into
 * `href`, `src` or `action`. Relative URLs and http(s) URLs pass unchanged; anything else becomes
 * `about:blank`. Browsers ignore ASCII whitespace/control characters inside a scheme, so those are
 * stripped before the check.
 */
export function safeUrl(url: string): string {
  const probe = url.replace(/[\u0000-\u0020\u007f]/g, '');
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(probe);
  if (!m) return url;
  const scheme = (m[1] ?? '').toLowerCase();
  return scheme === 'http' || scheme === 'https' ? url : 'about:blank';
}

/** JSON that is safe to embed inside a `<script>` element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value ?? null)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** An inline script carrying the CSP nonce. `code` must be trusted JavaScript (data via jsonForScript). */
export function scriptTag(nonce: string, code: string): SafeHtml {
  const body = code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
  return html`<script nonce="${nonce}">${raw(body)}</script>`;
}

/** Hidden inputs for every entry of `fields` (names and values escaped). */
export function hiddenInputs(fields: Record<string, string | undefined>): SafeHtml {
  return html`${Object.entries(fields)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}`;
}

/** `310000019` → `310 000 019`; anything that is not nine digits is returned unchanged. */
export function formatOrgno(orgno: string): string {
  return /^[0-9]{9}$/.test(orgno) ? `${orgno.slice(0, 3)} ${orgno.slice(3, 6)} ${orgno.slice(6)}` : orgno;
}

/** Substitute the `__DATA__` placeholder in trusted script source with `data` as script-safe JSON. */
export function withData(code: string, data: unknown): string {
  const json = jsonForScript(data);
  return code.replace(/__DATA__/g, () => json);
}
