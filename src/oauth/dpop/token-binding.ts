/** The DPoP key thumbprint a token's claims bind it to (`cnf.jkt`, RFC 9449 §6.1), if any. */
export function boundJkt(claims: Record<string, unknown>): string | undefined {
  const cnf = claims.cnf;
  if (!cnf || typeof cnf !== 'object') return undefined;
  const jkt = (cnf as Record<string, unknown>).jkt;
  return typeof jkt === 'string' ? jkt : undefined;
}

/** `token_type` of an access token for introspection: DPoP when bound (RFC 9449 §6.2). */
export function accessTokenType(claims: Record<string, unknown>): 'DPoP' | 'Bearer' {
  return boundJkt(claims) !== undefined ? 'DPoP' : 'Bearer';
}
