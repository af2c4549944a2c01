/**
 * The "site" of a host, for the rule that logout URIs live in the same domain as a redirect URI
 * (OpenID Connect Front-Channel Logout 1.0 §2, Back-Channel Logout 1.0 §2.2 leave it to the OP;
 * Digdir requires the same registrable domain). The registrable domain is eTLD+1 by the Public
 * Suffix List, private section included, so `a.github.io` and `b.github.io` are different sites.
 */
import { createRequire } from 'node:module';
import type * as Tldts from 'tldts';

/**
 * tldts (the list, its lookup tables and code: 0.7 MB of heap, 1.3 MB under --enable-source-maps)
 * is required on first use, so a server that never compares a logout URI's host with another host
 * does not hold it. The package is CommonJS: `require` keeps this function synchronous.
 */
let tldts: typeof Tldts | undefined;
function psl(): typeof Tldts {
  tldts ??= createRequire(import.meta.url)('tldts') as typeof Tldts;
  return tldts;
}

/**
 * The registrable domain of `hostname` (as `URL.hostname` gives it), e.g. `example.no` for
 * `fag.example.no` and `b.kommune.no` for `a.b.kommune.no`. IP literals, and names without a
 * registrable domain (`localhost`, a bare public suffix), are their own site: only the very same
 * host matches them.
 */
export function registrableDomain(hostname: string): string {
  const p = psl().parse(hostname, { allowPrivateDomains: true });
  if (p.isIp || !p.domain) return hostname;
  return p.domain;
}
