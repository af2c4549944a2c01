import type { Client, TokenEndpointAuthMethod } from './client-types.js';

/** The scope that lets a client call the introspection endpoint (spec §13.2). */
export const INTROSPECTION_SCOPE = 'idporten:token.introspection';

/**
 * The client authentication methods accepted at the introspection endpoint: only confidential
 * clients, which prove who they are (RFC 7662 §2.1 requires the endpoint to be protected; a public
 * client's `none` proves nothing). Discovery publishes exactly this list.
 */
export const INTROSPECTION_AUTH_METHODS: readonly TokenEndpointAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];

export interface IntrospectionScopeProblem {
  /** 400: the registration is invalid; 403: the caller may not grant the scope. */
  status: 400 | 403;
  field: 'scopes';
  message: string;
}

/**
 * Who may register `idporten:token.introspection`: only confidential clients, and only the
 * provider's own administrators (the static admin token, the CLI, the clients file). An
 * organisation administering its own clients cannot grant it, though it may keep it on a client
 * that already has it.
 */
export function introspectionScopeProblem(
  client: Pick<Client, 'scopes' | 'token_endpoint_auth_method'>,
  opts: { organisationCaller: boolean; before?: Pick<Client, 'scopes'> },
): IntrospectionScopeProblem | undefined {
  if (!client.scopes.includes(INTROSPECTION_SCOPE)) return undefined;
  if (opts.organisationCaller && !opts.before?.scopes.includes(INTROSPECTION_SCOPE)) {
    return { status: 403, field: 'scopes', message: `${INTROSPECTION_SCOPE} can only be granted by the provider's administrators` };
  }
  if (!INTROSPECTION_AUTH_METHODS.includes(client.token_endpoint_auth_method)) {
    return { status: 400, field: 'scopes', message: `${INTROSPECTION_SCOPE} requires a confidential client (token_endpoint_auth_method ${INTROSPECTION_AUTH_METHODS.join(', ')})` };
  }
  return undefined;
}

/** The rule as an admin-API answer: 400 invalid_client_metadata or 403 access_denied, with the field error. */
export function introspectionScopeFailure(
  client: Pick<Client, 'scopes' | 'token_endpoint_auth_method'>,
  opts: { organisationCaller: boolean; before?: Pick<Client, 'scopes'> },
):
  | { ok: false; status: 400; error: 'invalid_client_metadata'; description: string; errors: { field: string; message: string }[] }
  | { ok: false; status: 403; error: 'access_denied'; description: string; errors: { field: string; message: string }[] }
  | undefined {
  const p = introspectionScopeProblem(client, opts);
  if (!p) return undefined;
  const errors = [{ field: p.field, message: p.message }];
  const description = `${p.field}: ${p.message}`;
  return p.status === 403
    ? { ok: false, status: 403, error: 'access_denied', description, errors }
    : { ok: false, status: 400, error: 'invalid_client_metadata', description, errors };
}
