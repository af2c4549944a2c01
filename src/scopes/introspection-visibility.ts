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

/** The rule with its facts read now: the token client's organisation and the owners of the token's scopes. */
export async function introspectionVisibleNow(
  caller: { client_id: string; client_orgno: string },
  token: { client_id: string; scope: string },
  lookup: { clientOrgno(clientId: string): Promise<string | undefined>; owners(scopes: readonly string[]): Promise<Map<string, string>> },
): Promise<boolean> {
  const scopes = token.scope.split(' ').filter((s) => s.length > 0);
  if (token.client_id === caller.client_id) return true;
  const tokenOrgno = await lookup.clientOrgno(token.client_id);
  const owners = await lookup.owners(scopes);
  return introspectionVisible({
    caller,
    token: { client_id: token.client_id, ...(tokenOrgno !== undefined ? { client_orgno: tokenOrgno } : {}), scopes },
    ownerOf: (s) => owners.get(s),
  });
}
