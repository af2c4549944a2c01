/** Adds parameters to a URL's query, keeping the ones it already has (RFC 6749 §3.1.2). */
export function withQuery(base: string, params: Record<string, string>): string {
  const u = new URL(base);
  for (const [k, v] of Object.entries(params)) u.searchParams.append(k, v);
  return u.href;
}
