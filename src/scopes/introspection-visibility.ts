/**
 * Who may see a token as active at the introspection endpoint (RFC 7662 §2.2: the server may
 * answer `active: false` to a caller that is not allowed to learn about the token; spec §13.2).
 * Besides holding the introspection scope, the caller must be the token's own client (or a
 * client of the same organisation), or the owner of at least one of the token's API scopes:
 * an API provider introspects the tokens meant for its API, and nothing else.
 */
export interface IntrospectionParties {
  caller: { client_id: string; client_orgno: string };
  /** The client the token was issued to, and its organisation when known. */
  token: { client_id: string; client_orgno?: string; scopes: readonly string[] };
  /** The owner organisation of an API scope (undefined for built-in or unknown scopes). */
  ownerOf(scope: string): string | undefined;
}

export function introspectionVisible(p: IntrospectionParties): boolean {
  if (p.token.client_id === p.caller.client_id) return true;
  if (p.token.client_orgno !== undefined && p.token.client_orgno === p.caller.client_orgno) return true;
  return p.token.scopes.some((s) => p.ownerOf(s) === p.caller.client_orgno);
}
