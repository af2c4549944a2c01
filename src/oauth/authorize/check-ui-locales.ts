import type { Check } from './authorization-request.js';

const SUPPORTED = new Set(['nb', 'nn', 'en', 'se']);

/** ui_locales: space-separated preference list; unsupported tags are ignored (OIDC Core §3.1.2.1). */
export const checkUiLocales: Check = (ctx) => {
  const raw = ctx.params.get('ui_locales') ?? '';
  ctx.req.uiLocales = raw.split(' ')
    .map((t) => t.toLowerCase().split('-')[0]!)
    .map((t) => (t === 'no' ? 'nb' : t))
    .filter((t) => SUPPORTED.has(t));
};
