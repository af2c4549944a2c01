/**
 * The "site" of a host, for the rule that logout URIs live in the same domain as a redirect URI
 * (OpenID Connect Front-Channel Logout 1.0 §2, Back-Channel Logout 1.0 §2.2 leave it to the OP;
 * Digdir requires the same registrable domain). The registrable domain is eTLD+1 by the Public
 * Suffix List, private section included, so `a.github.io` and `b.github.io` are different sites.
 */
import { parse } from 'tldts';

/**
 * The registrable domain of `hostname` (as `URL.hostname` gives it), e.g. `example.no` for
 * `fag.example.no` and `b.kommune.no` for `a.b.kommune.no`. IP literals, and names without a
 * registrable domain (`localhost`, a bare public suffix), are their own site: only the very same
 * host matches them.
 */
export function registrableDomain(hostname: string): string {
  const p = parse(hostname, { allowPrivateDomains: true });
  if (p.isIp || !p.domain) return hostname;
  return p.domain;
}
