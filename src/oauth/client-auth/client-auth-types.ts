import type { Client, TokenEndpointAuthMethod } from '../../clients/client-types.js';
import { OAuthError } from '../../core/oauth-error.js';
import type { CounterLimit } from '../../store/ports.js';

export interface AuthenticatedClient {
  client: Client;
  /** Recorded as `client_amr` in access tokens (spec §7.4). */
  method: TokenEndpointAuthMethod;
  /** Overrides `method` as `client_amr` when more specific (a business certificate: `virksomhetssertifikat`). */
  clientAmr?: string;
  /**
   * With a deferred failure limit (authenticateClient's `deferLimit`): the limit the caller must
   * still apply, in its own store step before it changes anything (`condition`, refused with
   * `error()`), and on every other way out of the request (`check`: throws `error()` while it holds).
   */
  limit?: DeferredLimit;
}

export interface DeferredLimit {
  condition: CounterLimit;
  error: () => OAuthError;
  check: () => Promise<void>;
}

/** invalid_client: 401 with a WWW-Authenticate challenge (RFC 6749 §5.2). */
export function invalidClient(description: string): OAuthError {
  return new OAuthError('invalid_client', description, 'json', 401, { 'WWW-Authenticate': 'Basic realm="ansattporten", charset="UTF-8"' });
}
