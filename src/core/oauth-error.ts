/**
 * One error type for the whole protocol. `delivery` says how it must reach the user:
 * - 'page': the redirect target cannot be trusted, show an error page (HTTP status `status`)
 * - 'redirect': send back to the client's redirect_uri with error, error_description, state, iss
 * - 'json': OAuth error JSON (token, PAR, revocation, introspection)
 */
type Delivery = 'page' | 'redirect' | 'json';

export class OAuthError extends Error {
  constructor(
    public readonly error: string,
    public readonly description: string,
    public readonly delivery: Delivery = 'redirect',
    public readonly status: number = 400,
    public readonly headers: Record<string, string> = {},
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
  }

  toJSON(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

