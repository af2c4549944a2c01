/** The API-scope part of the admin API's OpenAPI document (spec §15.3, §15.4; merged in openapi.ts). */
import { SCOPES_READ, SCOPES_WRITE } from './scope-routes.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const err = (description: string) => ({ description, content: json(ref('Error')) });
const readSec = [{ adminToken: [] }, { trustedJwt: [SCOPES_READ] }, { trustedJwt: [SCOPES_WRITE] }];
const writeSec = [{ adminToken: [] }, { trustedJwt: [SCOPES_WRITE] }];
const TAG = 'scopes';
const orgnoPattern = '^[0-9]{9}$';
const auth = {
  401: err('Missing or invalid Bearer token.'),
  403: err(`Valid token without ${SCOPES_READ}/${SCOPES_WRITE} (\`insufficient_scope\`), or another organisation's prefix or scope (\`access_denied\`).`),
};
const scopeQuery = (required: boolean) => ({
  name: 'scope', in: 'query', required, schema: { type: 'string', examples: ['fjell:timer'] },
  description: required ? 'The scope name (`prefix:subscope`): this operation takes the scope as a query parameter, not in the path.' : 'With it: that one scope (query parameter); without it: the list.',
});
const consumerParam = { name: 'consumer_orgno', in: 'path', required: true, schema: { type: 'string', pattern: orgnoPattern } };
const inactiveParam = { name: 'inactive', in: 'query', required: false, schema: { type: 'boolean' }, description: 'Include deactivated scopes.' };

export const scopeTag = {
  name: TAG,
  description:
    'API scopes (`prefix:subscope`), their prefixes and access lists, for API providers. A trusted-JWT caller manages only the scopes ' +
    `under its organisation's prefixes and the access to them (${SCOPES_WRITE}; reading: ${SCOPES_READ} or ${SCOPES_WRITE}); the admin token ` +
    'may do everything. Read on every request: a change applies to the next authorization, token refresh and introspection on every instance.',
};

export const scopePaths: Record<string, unknown> = {
  '/scopes': {
    get: {
      tags: [TAG], operationId: 'listOrGetScopes', summary: 'List the caller\'s scopes, or read one with ?scope=', security: readSec,
      parameters: [scopeQuery(false), inactiveParam, { name: 'prefix', in: 'query', required: false, schema: { type: 'string' } }],
      responses: {
        200: { description: 'The scopes (ordered by name), or the one scope', content: json({ oneOf: [{ type: 'array', items: ref('Scope') }, ref('Scope')] }) },
        404: err('No such scope (or another organisation\'s, or deactivated without inactive=true).'), ...auth,
      },
    },
    post: {
      tags: [TAG], operationId: 'createScope', summary: 'Create a scope under one of the caller\'s prefixes', security: writeSec,
      description: 'Give `name`, or `prefix` and `subscope`. `owner_orgno` is the prefix\'s owner; `created`/`last_updated` are set by the provider.',
      requestBody: { required: true, content: json(ref('ScopeInput')) },
      responses: {
        201: { description: 'Created (`Location: …/scopes?scope=<name>`)', content: json(ref('Scope')) },
        400: err('Validation failed, or the prefix is not registered (`invalid_request`, `errors` names the fields).'),
        409: err('A scope of that name exists (use PUT, also to reactivate).'), ...auth,
      },
    },
    put: {
      tags: [TAG], operationId: 'updateScope', summary: 'Replace a scope (full update; ?scope= names it)', security: writeSec,
      parameters: [scopeQuery(true)],
      requestBody: { required: true, content: json(ref('ScopeInput')) },
      responses: { 200: { description: 'The updated scope', content: json(ref('Scope')) }, 400: err('Validation failed, or the body renames the scope.'), 404: err('No such scope (or another organisation\'s).'), ...auth },
    },
    delete: {
      tags: [TAG], operationId: 'deactivateScope', summary: 'Deactivate a scope (?scope= names it)', security: writeSec,
      description: 'Clients can no longer request it (authorize answers `invalid_scope`) and refreshed tokens drop it. PUT with `"active": true` reactivates.',
      parameters: [scopeQuery(true)],
      responses: { 200: { description: 'The deactivated scope', content: json(ref('Scope')) }, 404: err('No such active scope (or another organisation\'s).'), ...auth },
    },
  },
  '/scopes/prefix': {
    get: {
      tags: [TAG], operationId: 'listScopePrefixes', summary: 'The caller\'s prefixes (the admin token: all)', security: readSec,
      responses: { 200: { description: 'Prefixes, ordered', content: json({ type: 'array', items: ref('ScopePrefix') }) }, ...auth },
    },
    post: {
      tags: [TAG], operationId: 'createScopePrefix', summary: 'Register a prefix (first come, first served)', security: writeSec,
      description: 'A trusted-JWT caller registers for its own organisation (`owner_orgno` may be left out); the admin token must give `owner_orgno`.',
      requestBody: { required: true, content: json({ type: 'object', required: ['prefix'], additionalProperties: false, properties: { prefix: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' }, owner_orgno: { type: 'string', pattern: orgnoPattern } } }) },
      responses: { 201: { description: 'Registered', content: json(ref('ScopePrefix')) }, 400: err('Validation failed.'), 409: err('The prefix is taken.'), ...auth },
    },
  },
  '/scopes/access/{consumer_orgno}': {
    parameters: [consumerParam],
    get: {
      tags: [TAG], operationId: 'listScopeAccess', summary: 'A consumer organisation\'s access entries', security: readSec,
      description: 'A trusted-JWT caller sees the entries for its own scopes, and its own entries as the consumer.',
      responses: { 200: { description: 'Entries, ordered by scope', content: json({ type: 'array', items: ref('ScopeAccess') }) }, 400: err('consumer_orgno is not an organisation number.'), ...auth },
    },
    put: {
      tags: [TAG], operationId: 'putScopeAccess', summary: 'Give a consumer access to a scope (?scope= names it)', security: writeSec,
      parameters: [scopeQuery(true)],
      requestBody: { required: false, content: json({ type: 'object', properties: { state: { enum: ['APPROVED', 'REQUESTED', 'DENIED'], default: 'APPROVED' } } }) },
      responses: {
        200: { description: 'The entry, changed', content: json(ref('ScopeAccess')) }, 201: { description: 'The entry, new', content: json(ref('ScopeAccess')) },
        400: err('Validation failed.'), 404: err('No such scope.'), ...auth,
      },
    },
    delete: {
      tags: [TAG], operationId: 'revokeScopeAccess', summary: 'Revoke a consumer\'s access (?scope= names it)', security: writeSec,
      description: 'The entry stays with state DENIED. The next authorization asking for the scope answers `invalid_scope`; refreshed tokens drop it.',
      parameters: [scopeQuery(true)],
      responses: { 200: { description: 'The entry, now DENIED', content: json(ref('ScopeAccess')) }, 404: err('No such scope or entry.'), ...auth },
    },
  },
};

const scopeFields = {
  name: { type: 'string', examples: ['fjell:timer'] },
  prefix: { type: 'string' },
  subscope: { type: 'string' },
  description: { type: 'string' },
  long_description: { type: 'string' },
  active: { type: 'boolean', default: true },
  owner_orgno: { type: 'string', pattern: orgnoPattern },
  allowed_integration_types: { type: 'array', items: { type: 'string' }, default: ['ansattporten'], description: 'Must include `ansattporten` for Ansattporten clients (empty: any type).' },
  accessible_for_all: { type: 'boolean', default: false, description: 'false: only organisations with an APPROVED access entry.' },
  requires_pseudonymous_tokens: { type: 'boolean', default: false, description: 'Access tokens and introspection leave out `pid`.' },
  at_max_age: { type: 'integer', minimum: 1, description: 'Caps the access token lifetime (seconds; lowest among the scopes wins).' },
  authorization_max_lifetime: { type: 'integer', minimum: 1, description: 'Caps the grant\'s absolute lifetime (seconds).' },
  token_type: { enum: ['SELF_CONTAINED', 'OPAQUE'], default: 'SELF_CONTAINED', description: 'OPAQUE: the access token is a by-reference string, validated by introspection.' },
  visibility: { enum: ['PUBLIC', 'PRIVATE'], default: 'PUBLIC', description: 'PUBLIC active scopes are listed in discovery\'s scopes_supported.' },
};

export const scopeSchemas: Record<string, unknown> = {
  ScopeInput: { type: 'object', required: ['description'], additionalProperties: false, properties: scopeFields },
  Scope: {
    type: 'object',
    required: ['name', 'prefix', 'subscope', 'description', 'active', 'owner_orgno', 'allowed_integration_types', 'accessible_for_all', 'requires_pseudonymous_tokens', 'token_type', 'visibility', 'created', 'last_updated'],
    properties: { ...scopeFields, created: { type: 'string', format: 'date-time' }, last_updated: { type: 'string', format: 'date-time' } },
  },
  ScopePrefix: { type: 'object', required: ['prefix', 'owner_orgno', 'created'], properties: { prefix: { type: 'string' }, owner_orgno: { type: 'string' }, created: { type: 'string', format: 'date-time' } } },
  ScopeAccess: {
    type: 'object', required: ['scope', 'consumer_orgno', 'owner_orgno', 'state', 'created', 'last_updated'],
    properties: {
      scope: { type: 'string' }, consumer_orgno: { type: 'string' }, owner_orgno: { type: 'string' }, state: { enum: ['APPROVED', 'REQUESTED', 'DENIED'] },
      created: { type: 'string', format: 'date-time' }, last_updated: { type: 'string', format: 'date-time' },
    },
  },
};
