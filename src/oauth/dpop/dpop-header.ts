import { DpopProofError } from './dpop-proof.js';

/**
 * The one DPoP header of a request, from its raw header list (name/value pairs, as Node gives
 * them). More than one DPoP header, or one holding several values, is an invalid proof
 * (RFC 9449 §4.3 item 1); none is undefined.
 */
export function singleDpopHeader(rawHeaders: readonly string[]): string | undefined {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'dpop') values.push(rawHeaders[i + 1]!);
  }
  if (values.length === 0) return undefined;
  if (values.length > 1) throw new DpopProofError('exactly one DPoP header is allowed');
  const v = values[0]!.trim();
  if (/[\s,]/.test(v)) throw new DpopProofError('the DPoP header must hold exactly one proof');
  return v;
}
