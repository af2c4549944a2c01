/**
 * Whether a proof's `htu` names the request URL: scheme, host, port and path, ignoring the query
 * and fragment (RFC 9449 §4.3 item 9), after URL normalisation (RFC 3986 §6.2.2, §6.2.3).
 */
export function sameHtu(htu: string, requestUrl: string): boolean {
  const a = parse(htu);
  const b = parse(requestUrl);
  return a !== undefined && b !== undefined && a === b;
}

function parse(s: string): string | undefined {
  if (s.length > 2048) return undefined;
  try {
    const u = new URL(s);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return undefined;
  }
}
