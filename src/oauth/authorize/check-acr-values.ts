import { OAuthError } from '../../core/oauth-error.js';
import type { Acr, Check } from './authorization-request.js';

const ALIASES: Record<string, Acr> = {
  substantial: 'substantial',
  high: 'high',
  entraid: 'entraid',
  'idporten-loa-substantial': 'substantial',
  'idporten-loa-high': 'high',
};

/** Pure: the acr values of a request, short form, deduplicated; unknown values dropped. */
export function parseAcrValues(raw: string | undefined): Acr[] {
  if (raw === undefined || raw === '') return ['substantial']; // empty = omitted (RFC 6749 §3.1)
  const out: Acr[] = [];
  for (const v of raw.split(' ')) {
    const acr = ALIASES[v];
    if (acr && !out.includes(acr)) out.push(acr);
  }
  return out;
}

/** acr_values: default substantial; legacy idporten-loa-* accepted; none usable → invalid_request. */
export const checkAcrValues: Check = (ctx) => {
  const values = parseAcrValues(ctx.params.get('acr_values')).filter((a) => ctx.deps.supportedAcr.has(a));
  if (values.length === 0) throw new OAuthError('invalid_request', 'acr_values contains no supported value');
  ctx.req.acrValues = values;
};
