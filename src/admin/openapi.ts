/** The OpenAPI 3.1 description of the admin API, served at `{base}/openapi.json`. */
import { MAX_CLIENT_KEYS } from '../clients/validation/client-jwks.js';
import { SCOPE_MODIFY, SCOPE_READ, SCOPE_WRITE } from './admin-auth.js';
import { employerRulePaths, employerRuleSchemas, employerRuleTag } from './openapi-employer-rules.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const err = (description: string) => ({ description, content: json(ref('Error')) });

const clientIdParam = { name: 'client_id', in: 'path', required: true, schema: { type: 'string', maxLength: 255 } };
const inactiveParam = {
  name: 'inactive', in: 'query', required: false,
  description: 'Include deactivated (deleted) clients.', schema: { type: 'boolean', default: false },
};
const security = (scope: string) => [{ adminToken: [] }, { trustedJwt: [scope] }];
const common = {
  401: err('Missing or invalid Bearer token (`WWW-Authenticate: Bearer`).'),
  403: err('Valid token without the needed scope (`insufficient_scope`).'),
};

const uri = { type: 'string', format: 'uri' };
const uriList = { type: 'array', items: uri };

export function adminOpenApi(opts: { serverUrl: string }): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ansattporten admin API (independent implementation)',
      version: '1.0.0',
      description:
        'Self-service administration of Ansattporten clients, shaped like Digdir\'s admin API ("External OIDC", spec §15.3), ' +
        'so that scripts written for it work by changing the base URL. Every change takes effect on the next request on every ' +
        'instance and is written to the audit log. A caller authenticated with a trusted JWT only sees and changes the clients ' +
        'of the organisation in its `consumer` claim; another organisation\'s client answers 404.',
    },
    servers: [{ url: opts.serverUrl }],
    security: [{ adminToken: [] }, { trustedJwt: [] }],
    tags: [{ name: 'clients' }, { name: 'jwks' }, { name: 'audit' }, employerRuleTag],
    paths: {
      '/clients': {
        get: {
          tags: ['clients'], operationId: 'listClients', summary: 'List the clients (of the caller\'s organisation)',
          security: security(SCOPE_READ), parameters: [inactiveParam],
          responses: { 200: { description: 'The clients', content: json({ type: 'array', items: ref('Client') }) }, ...common },
        },
        post: {
          tags: ['clients'], operationId: 'createClient',
          summary: 'Register a client',
          description:
            'The provider assigns a UUID `client_id` (a `client_id` in the body is ignored; naming an existing or deleted client gives 409). ' +
            'For `client_secret_basic`/`client_secret_post` the response carries the generated `client_secret` in clear; it is never shown again.',
          security: security(SCOPE_WRITE),
          requestBody: { required: true, content: json(ref('ClientInput')) },
          responses: {
            201: { description: 'Created', content: json(ref('Client')) },
            400: err('Validation failed (`invalid_client_metadata`, with `errors` naming the fields).'),
            409: err('A client with this client_id exists or existed (deleted clients cannot be re-registered).'),
            ...common,
          },
        },
      },
      '/clients/{client_id}': {
        parameters: [clientIdParam],
        get: {
          tags: ['clients'], operationId: 'getClient', summary: 'Read a client', security: security(SCOPE_READ), parameters: [inactiveParam],
          responses: { 200: { description: 'The client', content: json(ref('Client')) }, 404: err('No such client (or another organisation\'s).'), ...common },
        },
        put: {
          tags: ['clients'], operationId: 'updateClient',
          summary: 'Replace a client (full update)',
          description:
            '`integration_type` and `client_id` cannot change. The secret is kept; changing to a method without a secret deletes it, ' +
            'changing to a secret method when there is none generates one (returned once). `jwks` may be left out (kept).',
          security: security(SCOPE_MODIFY),
          requestBody: { required: true, content: json(ref('ClientInput')) },
          responses: {
            200: { description: 'The updated client', content: json(ref('Client')) },
            400: err('Validation failed.'), 404: err('No such client.'), ...common,
          },
        },
        delete: {
          tags: ['clients'], operationId: 'deleteClient',
          summary: 'Deactivate a client',
          description: 'The client can no longer log in or use the token endpoint, its tokens stop being accepted, and it is hidden unless `inactive=true`.',
          security: security(SCOPE_MODIFY),
          responses: { 204: { description: 'Deactivated' }, 404: err('No such client.'), ...common },
        },
      },
      '/clients/{client_id}/secret': {
        parameters: [clientIdParam],
        post: {
          tags: ['clients'], operationId: 'rotateClientSecret',
          summary: 'Rotate the client secret',
          description: 'Returns the client with the new `client_secret` in clear, once. Only its hash is stored; it expires after 360 days.',
          security: security(SCOPE_MODIFY),
          responses: {
            200: { description: 'The client with its new secret', content: json(ref('Client')) },
            400: err('The client does not use a client secret.'), 404: err('No such client.'), ...common,
          },
        },
      },
      '/clients/{client_id}/jwks': {
        parameters: [clientIdParam],
        get: {
          tags: ['jwks'], operationId: 'getClientJwks', summary: 'Read the client\'s key set', security: security(SCOPE_READ),
          responses: { 200: { description: 'The key set', content: json(ref('Jwks')) }, 404: err('No such client.'), ...common },
        },
        post: {
          tags: ['jwks'], operationId: 'replaceClientJwks', summary: 'Replace the whole key set', security: security(SCOPE_MODIFY),
          requestBody: { required: true, content: json(ref('JwksInput')) },
          responses: { 200: { description: 'The stored key set', content: json(ref('Jwks')) }, 400: err('Validation failed.'), 404: err('No such client.'), ...common },
        },
        put: {
          tags: ['jwks'], operationId: 'putClientJwks', summary: 'Replace the whole key set (same as POST)', security: security(SCOPE_MODIFY),
          requestBody: { required: true, content: json(ref('JwksInput')) },
          responses: { 200: { description: 'The stored key set', content: json(ref('Jwks')) }, 400: err('Validation failed.'), 404: err('No such client.'), ...common },
        },
      },
      '/audit': {
        get: {
          tags: ['audit'], operationId: 'listAudit', summary: 'The most recent audit entries (static admin token only)',
          security: [{ adminToken: [] }],
          parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } }],
          responses: { 200: { description: 'Newest first', content: json({ type: 'array', items: ref('AuditEntry') }) }, ...common },
        },
      },
      ...employerRulePaths,
    },
    components: {
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'The static admin token (environment variable ADMIN_TOKEN): every scope, every organisation.' },
        trustedJwt: {
          type: 'http', scheme: 'bearer', bearerFormat: 'JWT',
          description:
            `A JWT access token from the trusted issuer (ADMIN_TRUSTED_ISSUER, keys at ADMIN_TRUSTED_JWKS_URI) with a space-separated \`scope\` claim ` +
            `(${SCOPE_READ} for GET, ${SCOPE_WRITE} for POST /clients and /employer-rules, ${SCOPE_MODIFY} for PUT, DELETE, secret and jwks) and a ` +
            '`consumer` claim `{"authority": "iso6523-actorid-upis", "ID": "0192:<orgno>"}`.',
        },
      },
      schemas: {
        Error: {
          type: 'object', required: ['error'],
          properties: {
            error: { type: 'string', examples: ['invalid_client_metadata', 'invalid_token', 'insufficient_scope', 'not_found', 'conflict'] },
            error_description: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
        ClientInput: {
          type: 'object', required: ['client_name', 'redirect_uris'],
          description: 'The client model of spec §15.2. Defaults apply to absent fields.',
          properties: {
            client_name: { type: 'string', minLength: 1 },
            description: { type: 'string', default: '' },
            client_uri: uri,
            client_orgno: { type: 'string', pattern: '^[0-9]{9}$', description: 'Required for the admin token; set from the `consumer` claim for organisation callers.' },
            supplier_orgno: { type: 'string', pattern: '^[0-9]{9}$' },
            integration_type: { const: 'ansattporten', default: 'ansattporten' },
            application_type: { enum: ['web', 'browser', 'native'], default: 'web' },
            token_endpoint_auth_method: {
              enum: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
              description: 'web: client_secret_basic (default), client_secret_post or private_key_jwt; browser and native: none (default).',
            },
            grant_types: { type: 'array', items: { enum: ['authorization_code', 'refresh_token'] }, default: ['authorization_code'], description: 'Must contain authorization_code.' },
            scopes: { type: 'array', items: { type: 'string' }, default: ['openid', 'profile'], description: 'Must contain openid.' },
            redirect_uris: { ...uriList, minItems: 1, description: 'Absolute, no fragment; https in production (http loopback only for native clients).' },
            post_logout_redirect_uris: { ...uriList, default: [] },
            frontchannel_logout_uri: { ...uri, description: 'On the host of a registered redirect URI.' },
            frontchannel_logout_session_required: { type: 'boolean', default: false },
            backchannel_logout_uri: { ...uri, description: 'On the host of a registered redirect URI.' },
            backchannel_logout_session_required: { type: 'boolean', readOnly: true, description: 'Set automatically.' },
            sso_disabled: { type: 'boolean', description: 'Accepted, always stored as true (isolated SSO).' },
            code_challenge_method: { enum: ['S256', 'none'], default: 'S256' },
            access_token_lifetime: { type: 'integer', minimum: 1, default: 120 },
            authorization_lifetime: { type: 'integer', minimum: 1, default: 7200 },
            refresh_token_lifetime: { type: 'integer', minimum: 1, default: 600 },
            refresh_token_usage: { enum: ['ONETIME', 'REUSE'], default: 'ONETIME' },
            jwks: ref('JwksInput'),
          },
        },
        Client: {
          allOf: [
            ref('ClientInput'),
            {
              type: 'object',
              required: ['client_id', 'client_name', 'client_orgno', 'integration_type', 'application_type', 'token_endpoint_auth_method',
                'grant_types', 'scopes', 'redirect_uris', 'post_logout_redirect_uris', 'sso_disabled', 'active', 'created', 'last_updated'],
              properties: {
                client_id: { type: 'string', description: 'A UUID for clients created through the API.' },
                sso_disabled: { const: true },
                active: { type: 'boolean' },
                created: { type: 'string', format: 'date-time' },
                last_updated: { type: 'string', format: 'date-time' },
                client_secret: { type: 'string', description: 'In clear, only in the responses to creation and rotation.' },
                client_secret_expires_at: { type: 'integer', description: 'Seconds since the epoch (360 days after the secret was set).' },
                jwks: ref('Jwks'),
              },
            },
          ],
        },
        Jwk: {
          type: 'object', required: ['kty', 'alg', 'use', 'kid', 'e', 'n'],
          properties: {
            kty: { const: 'RSA' },
            alg: { enum: ['RS256', 'RS384', 'RS512'] },
            use: { const: 'sig' },
            kid: { type: 'string', pattern: '^[A-Za-z0-9._-]+$', description: 'Unique across all clients.' },
            e: { type: 'string' },
            n: { type: 'string', description: 'RSA modulus, at least 2048 bits.' },
            x5c: { type: 'array', items: { type: 'string' } },
            exp: { type: 'integer', readOnly: true, description: 'Set by the provider: one year after upload (seconds since the epoch).' },
          },
        },
        JwksInput: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', maxItems: MAX_CLIENT_KEYS, items: ref('Jwk') } } },
        Jwks: {
          type: 'object', required: ['keys'],
          properties: { created: { type: 'string', format: 'date-time' }, last_updated: { type: 'string', format: 'date-time' }, keys: { type: 'array', items: ref('Jwk') } },
        },
        AuditEntry: {
          type: 'object', required: ['id', 'at', 'actor', 'action', 'target'],
          properties: {
            id: { type: 'integer' }, at: { type: 'integer', description: 'ms since the epoch' }, actor: { type: 'string' },
            action: { type: 'string', examples: ['client.create', 'client.update', 'client.deactivate', 'client.secret.rotate', 'client.jwks.replace', 'key.rotate', 'employer_rule.create', 'employer_rule.update', 'employer_rule.delete'] },
            target: { type: 'string' }, before: {}, after: {},
          },
        },
        ...employerRuleSchemas,
      },
    },
  };
}
