/** The client model, with the field names of Digdir's admin API (spec §15.2). */
export type ApplicationType = 'web' | 'browser' | 'native';
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
export type GrantType = 'authorization_code' | 'refresh_token';

export interface ClientJwk {
  kty: string;
  alg?: string;
  use?: string;
  kid?: string;
  e?: string;
  n?: string;
  x5c?: string[];
  [k: string]: unknown;
}

export interface ClientJwks {
  keys: ClientJwk[];
  created?: string;
  last_updated?: string;
}

export interface Client {
  client_id: string;
  client_name: string;
  description: string;
  client_uri?: string;
  client_orgno: string;
  supplier_orgno?: string;
  integration_type: 'ansattporten';
  application_type: ApplicationType;
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  grant_types: GrantType[];
  scopes: string[];
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  frontchannel_logout_uri?: string;
  frontchannel_logout_session_required: boolean;
  backchannel_logout_uri?: string;
  backchannel_logout_session_required: boolean;
  /** Always true for Ansattporten (isolated SSO); accepted on input, stored as true. */
  sso_disabled: true;
  code_challenge_method: 'S256' | 'none';
  access_token_lifetime: number;
  authorization_lifetime: number;
  refresh_token_lifetime: number;
  refresh_token_usage: 'ONETIME' | 'REUSE';
  jwks?: ClientJwks;
  active: boolean;
  created: string;
  last_updated: string;
}

/** What the registry stores: the client plus its hashed secret (never the clear text). */
export interface StoredClient {
  client: Client;
  secret_hash?: string;
  secret_expires_at?: number; // epoch ms
}

export const CLIENT_DEFAULTS = {
  integration_type: 'ansattporten' as const,
  application_type: 'web' as const,
  token_endpoint_auth_method: 'client_secret_basic' as const,
  grant_types: ['authorization_code'] as GrantType[],
  scopes: ['openid', 'profile'],
  post_logout_redirect_uris: [] as string[],
  frontchannel_logout_session_required: false,
  backchannel_logout_session_required: false,
  sso_disabled: true as const,
  code_challenge_method: 'S256' as const,
  access_token_lifetime: 120,
  authorization_lifetime: 7200,
  refresh_token_lifetime: 600,
  refresh_token_usage: 'ONETIME' as const,
};

/** Secrets expire 360 days after they are set (spec §7.4, §18). */
export const SECRET_LIFETIME_MS = 360 * 24 * 3600 * 1000;
