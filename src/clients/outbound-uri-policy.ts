/**
 * Registration-time half of the outbound address policy (src/net/address-policy.ts): in production
 * a URI the provider itself will call (the back-channel logout URI, OIDC Back-Channel Logout 1.0
 * §2.2) may not name a loopback, private, link-local, unique-local or unspecified IP address. A
 * host name is checked when it is called (after DNS, src/net/safe-fetch.ts); a literal address
 * can be refused at once, with a 400 naming the field.
 */
import { classifyAddress, literalAddress } from '../net/address-policy.js';
/** Same shape as validate-client.ts's FieldError (not imported: no import cycle). */
type FieldError = { field: string; message: string };

/** The client fields holding URIs the provider calls server-side. */
export const OUTBOUND_URI_FIELDS = ['backchannel_logout_uri'] as const;

export function outboundUriErrors(input: Record<string, unknown>, production: boolean): FieldError[] {
  if (!production) return [];
  const errors: FieldError[] = [];
  for (const field of OUTBOUND_URI_FIELDS) {
    const v = input[field];
    if (typeof v !== 'string') continue;
    let host: string;
    try {
      host = new URL(v).hostname;
    } catch {
      continue; // reported by the URI checks
    }
    const literal = literalAddress(host);
    if (literal === undefined) continue;
    const cls = classifyAddress(literal);
    if (cls !== 'public') errors.push({ field, message: `must not point to a ${cls} address (${literal}): the provider calls this URI` });
  }
  return errors;
}
