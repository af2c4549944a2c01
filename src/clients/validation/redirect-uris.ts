/**
 * The URIs a client registers (spec §15.2, §16): redirect_uris, post_logout_redirect_uris and
 * the front- and back-channel logout URIs, which must be in the registrable domain of one of the
 * redirect URIs (see registrable-domain.ts).
 */
import { CLIENT_DEFAULTS } from '../client-types.js';
import { q, type FieldReader } from './field-reader.js';
import { registrableDomain } from './registrable-domain.js';
import { checkRedirectStyleUri, type UriRules } from './uri-syntax.js';

interface ClientUris {
  redirectUris: string[] | undefined;
  postLogoutUris: string[] | undefined;
  frontchannelLogoutUri: string | undefined;
  backchannelLogoutUri: string | undefined;
}

export function readUris(r: FieldReader, rules: UriRules): ClientUris {
  const { errors } = r;
  /** The hosts of the redirect URIs (their registrable domains are looked up only when needed). */
  const redirectHosts = new Set<string>();
  const redirectIn = r.optStringArray('redirect_uris');
  if (r.get('redirect_uris') === undefined) errors.push({ field: 'redirect_uris', message: 'is required' });
  else if (redirectIn && redirectIn.length === 0) errors.push({ field: 'redirect_uris', message: 'must not be empty' });
  let redirectUris: string[] | undefined;
  if (redirectIn && redirectIn.length > 0) {
    let ok = true;
    redirectIn.forEach((uri, i) => {
      const u = checkRedirectStyleUri(uri, `redirect_uris[${i}]`, rules, errors);
      if (u) redirectHosts.add(u.hostname);
      else ok = false;
    });
    if (ok) redirectUris = redirectIn;
  }

  const postLogoutIn = r.optStringArray('post_logout_redirect_uris');
  let postLogoutUris: string[] | undefined = postLogoutIn === undefined ? [...CLIENT_DEFAULTS.post_logout_redirect_uris] : undefined;
  if (postLogoutIn) {
    let ok = true;
    postLogoutIn.forEach((uri, i) => {
      if (!checkRedirectStyleUri(uri, `post_logout_redirect_uris[${i}]`, rules, errors)) ok = false;
    });
    if (ok) postLogoutUris = postLogoutIn;
  }

  const logoutUri = (k: 'frontchannel_logout_uri' | 'backchannel_logout_uri'): string | undefined => {
    const v = r.get(k);
    if (v === undefined) return undefined;
    const u = checkRedirectStyleUri(v, k, rules, errors);
    if (!u) return undefined;
    // A redirect URI's own host is trivially in its registrable domain.
    if (redirectHosts.size > 0 && !redirectHosts.has(u.hostname)) {
      const redirectSites = new Set([...redirectHosts].map(registrableDomain));
      if (!redirectSites.has(registrableDomain(u.hostname))) {
        errors.push({
          field: k,
          message: `host ${q(u.hostname)} must be in the same registrable domain as one of the redirect_uris (${[...redirectSites].map(q).join(', ')})`,
        });
        return undefined;
      }
    }
    return v as string;
  };
  return {
    redirectUris,
    postLogoutUris,
    frontchannelLogoutUri: logoutUri('frontchannel_logout_uri'),
    backchannelLogoutUri: logoutUri('backchannel_logout_uri'),
  };
}
