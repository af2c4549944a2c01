import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { RAR_TYPES } from '../../representation/rar-types.js';
import { ASSERTION_ALGS } from '../../oauth/client-auth/verify-private-key-jwt.js';
import { DPOP_ALGS } from '../../oauth/dpop/dpop-proof.js';
import { INTROSPECTION_AUTH_METHODS } from '../../oauth/introspection/introspect-token.js';
import { AUTHORIZATION_SIGNING_ALGS, RESPONSE_MODES_SUPPORTED } from '../../oauth/jarm/authorization-response-jwt.js';

/** The discovery document (spec §3) for what is implemented. */
export function discoveryDocument(s: Services): Record<string, unknown> {
  const iss = s.config.issuer;
  const login = s.config.loginBaseUrl;
  return {
    issuer: iss,
    authorization_endpoint: `${login}/authorize`,
    pushed_authorization_request_endpoint: `${iss}/par`,
    require_pushed_authorization_requests: false,
    token_endpoint: `${iss}/token`,
    userinfo_endpoint: `${iss}/userinfo`,
    jwks_uri: `${iss}/jwks.json`,
    end_session_endpoint: `${login}/logout`,
    revocation_endpoint: `${iss}/token/revoke`,
    introspection_endpoint: `${iss}/token/introspect`,
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    introspection_endpoint_auth_methods_supported: [...INTROSPECTION_AUTH_METHODS],
    scopes_supported: ['openid', 'profile'],
    response_types_supported: ['code'],
    response_modes_supported: [...RESPONSE_MODES_SUPPORTED],
    authorization_signing_alg_values_supported: [...AUTHORIZATION_SIGNING_ALGS], // JARM §4
    grant_types_supported: ['authorization_code', 'refresh_token'],
    acr_values_supported: [...s.supportedAcr],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    code_challenge_methods_supported: ['S256'],
    dpop_signing_alg_values_supported: [...DPOP_ALGS],
    ui_locales_supported: ['nb', 'nn', 'en', 'se'],
    claims_locales_supported: ['nb', 'nn', 'en', 'se'],
    prompt_values_supported: ['none', 'login', 'consent'],
    display_values_supported: ['page'],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'jti', 'nonce', 'acr', 'amr', 'pid', 'locale', 'sid', 'name', 'given_name', 'family_name', 'email', 'groups', 'authorization_details'],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    authorization_response_iss_parameter_supported: true,
    frontchannel_logout_supported: true,
    frontchannel_logout_session_supported: true,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    authorization_details_types_supported: [...RAR_TYPES],
  };
}

export function discoveryRoutes(app: FastifyInstance, s: Services): void {
  const doc = JSON.stringify(discoveryDocument(s));
  app.get('/.well-known/openid-configuration', async (_req, reply) =>
    reply.header('Cache-Control', 'public, max-age=3600').type('application/json').send(doc));
  app.get('/.well-known/oauth-authorization-server', async (_req, reply) =>
    reply.header('Cache-Control', 'public, max-age=3600').type('application/json').send(doc));
  // Clients are told to cache keys; rotation publishes the next key well before it is used.
  app.get('/jwks.json', async (_req, reply) =>
    reply.header('Cache-Control', 'public, max-age=300').type('application/jwk-set+json').send(s.keys.jwks()));
}
