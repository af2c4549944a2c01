import type { JWTPayload } from 'jose';

/** The response modes of the authorization endpoint: RFC 6749 §4.1.2, OAuth 2.0 Form Post, JARM §2.3. */
export type ResponseMode = 'query' | 'form_post' | 'query.jwt' | 'form_post.jwt';

/** Every value of `response_mode` the authorization endpoint accepts (JARM §2.3.4 `jwt` included). */
export const RESPONSE_MODES_SUPPORTED = ['query', 'form_post', 'query.jwt', 'form_post.jwt', 'jwt'] as const;

/** Signing algorithms of the response JWT (JARM §4 `authorization_signing_alg_values_supported`). */
export const AUTHORIZATION_SIGNING_ALGS = ['RS256'] as const;

/** Lifetime of the response JWT: JARM §2.1 recommends at most 10 minutes. */
export const RESPONSE_JWT_LIFETIME_SECONDS = 600;

/**
 * Reads a `response_mode` value. JARM §2.3.4: `jwt` is the default JWT mode of the response type,
 * which for `code` (the only response type here) is `query.jwt`. Undefined for anything else.
 */
export function parseResponseMode(value: string): ResponseMode | undefined {
  switch (value) {
    case 'query': case 'form_post': case 'query.jwt': case 'form_post.jwt': return value;
    case 'jwt': return 'query.jwt';
    default: return undefined;
  }
}

export function isJwtResponseMode(mode: ResponseMode): mode is 'query.jwt' | 'form_post.jwt' {
  return mode === 'query.jwt' || mode === 'form_post.jwt';
}

/** Whatever signs with the provider's current key (src/tokens/signing-keys.ts). */
export interface ResponseSigner {
  sign(payload: JWTPayload, typ?: string): Promise<string>;
}

export interface ResponseJwtInput {
  issuer: string;
  /** The client the response is for: the JWT's audience (JARM §2.1). */
  clientId: string;
  /** The authorization response parameters: `code`, or `error` and `error_description`. */
  params: Record<string, string>;
  state?: string;
  /** Now, in seconds since the epoch (src/core/clock.ts). */
  nowSeconds: number;
}

/** The claims of the response JWT (JARM §2.1, success and error): iss, aud, exp and the response parameters. */
export function responseJwtClaims(input: ResponseJwtInput): JWTPayload {
  const claims: JWTPayload = { ...input.params };
  if (input.state !== undefined) claims.state = input.state;
  // iss carries RFC 9207 inside the JWT (RFC 9207 §2.4), so it is set last and cannot be overridden.
  claims.iss = input.issuer;
  claims.aud = input.clientId;
  claims.iat = input.nowSeconds;
  claims.exp = input.nowSeconds + RESPONSE_JWT_LIFETIME_SECONDS;
  return claims;
}

/** The value of the single `response` parameter (JARM §2.3): the claims signed with RS256 and the current kid. */
export async function signResponseJwt(signer: ResponseSigner, input: ResponseJwtInput): Promise<string> {
  return signer.sign(responseJwtClaims(input));
}
