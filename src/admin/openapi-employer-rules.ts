/** The employer-rule part of the admin API's OpenAPI document (merged in openapi.ts). */
import { SCOPE_MODIFY, SCOPE_READ, SCOPE_WRITE } from './admin-auth.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const err = (description: string) => ({ description, content: json(ref('Error')) });
const security = (scope: string) => [{ adminToken: [] }, { trustedJwt: [scope] }];
const common = {
  401: err('Missing or invalid Bearer token (`WWW-Authenticate: Bearer`).'),
  403: err('Valid token without the needed scope (`insufficient_scope`).'),
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const TAG = 'employer-rules';
const orgnoPattern = '^[0-9]{9}$';
const clientIds = { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } };

export const employerRuleTag = {
  name: TAG,
  description:
    'Virksomhetsbroen-style employer rules for `ansattporten:orgno` (Entra ID logins), kept in the store beside the fixtures ' +
    "file's `employer_rules`. Read on every login: a change applies to the next login on every instance. An organisation " +
    "caller only sees and manages its own organisation's rules (another organisation's rule answers 404; creating one for " +
    'another orgno answers 403).',
};

export const employerRulePaths: Record<string, unknown> = {
  '/employer-rules': {
    get: {
      tags: [TAG], operationId: 'listEmployerRules', summary: 'List the stored employer rules (of the caller\'s organisation)',
      security: security(SCOPE_READ),
      parameters: [{ name: 'orgno', in: 'query', required: false, description: 'Only the rules of this organisation.', schema: { type: 'string', pattern: orgnoPattern } }],
      responses: {
        200: { description: 'The rules, ordered by orgno, then creation', content: json({ type: 'array', items: ref('EmployerRule') }) },
        400: err('`orgno` is not 9 digits.'),
        ...common,
      },
    },
    post: {
      tags: [TAG], operationId: 'createEmployerRule', summary: 'Create an employer rule',
      description: 'The provider assigns `id`, `created` and `last_updated` (given values are ignored). An organisation caller may leave out `orgno` (its own).',
      security: security(SCOPE_WRITE),
      requestBody: { required: true, content: json(ref('EmployerRuleInput')) },
      responses: {
        201: { description: 'Created (`Location` names the rule)', content: json(ref('EmployerRule')) },
        400: err('Validation failed (`invalid_request`, with `errors` naming the fields).'),
        401: common[401],
        403: err('Missing scope, or an organisation caller naming another organisation (`access_denied`).'),
      },
    },
  },
  '/employer-rules/{id}': {
    parameters: [idParam],
    get: {
      tags: [TAG], operationId: 'getEmployerRule', summary: 'Read an employer rule', security: security(SCOPE_READ),
      responses: { 200: { description: 'The rule', content: json(ref('EmployerRule')) }, 404: err('No such rule (or another organisation\'s).'), ...common },
    },
    put: {
      tags: [TAG], operationId: 'updateEmployerRule', summary: 'Replace an employer rule (full update)',
      description: '`id` and `created` are kept; a missing `orgno` keeps the rule\'s.',
      security: security(SCOPE_MODIFY),
      requestBody: { required: true, content: json(ref('EmployerRuleInput')) },
      responses: {
        200: { description: 'The updated rule', content: json(ref('EmployerRule')) },
        400: err('Validation failed.'),
        401: common[401],
        403: err('Missing scope, or an organisation caller moving the rule to another organisation.'),
        404: err('No such rule (or another organisation\'s).'),
      },
    },
    delete: {
      tags: [TAG], operationId: 'deleteEmployerRule', summary: 'Delete an employer rule', security: security(SCOPE_MODIFY),
      responses: { 204: { description: 'Deleted' }, 404: err('No such rule (or another organisation\'s).'), ...common },
    },
  },
};

/** `match.tenants`: Entra tenant ids a rule is limited to. */
const tenants = { type: 'array', items: { type: 'string', format: 'uuid' }, minItems: 1, maxItems: 50, description: 'Entra tenant ids (GUIDs); the rule applies only to logins whose id_token `tid` is listed.' } as const;

export const employerRuleSchemas: Record<string, unknown> = {
  EmployerRuleInput: {
    type: 'object', required: ['match'],
    description: 'The rule model of the fixtures file\'s `employer_rules` (spec §9.8), validated the same way; other fields than these (and `id`, `created`, `last_updated`, which are ignored) are refused.',
    properties: {
      orgno: { type: 'string', pattern: orgnoPattern, description: 'With a valid check digit. Required for the admin token; defaults to the caller\'s organisation.' },
      match: {
        description: 'Exactly one of: an e-mail domain, an Entra group object id (GUID), an e-mail address; optionally `tenants`, the Entra tenant ids (the id_token\'s `tid`) the rule is limited to. Stored lower-case; matched case-insensitively. Domain and e-mail rules match only an e-mail address the eID vouches for (the `email` claim; with Entra, `xms_edov` true where sent).',
        oneOf: [
          { type: 'object', required: ['domain'], additionalProperties: false, properties: { domain: { type: 'string', examples: ['example.no'] }, tenants } },
          { type: 'object', required: ['group'], additionalProperties: false, properties: { group: { type: 'string', format: 'uuid' }, tenants } },
          { type: 'object', required: ['email'], additionalProperties: false, properties: { email: { type: 'string', format: 'email' }, tenants } },
        ],
      },
      filter: {
        description: 'null (default): every client; `allow`: only the listed client ids; `deny`: every client but the listed ones.',
        oneOf: [
          { type: 'null' },
          { type: 'object', required: ['allow'], additionalProperties: false, properties: { allow: clientIds } },
          { type: 'object', required: ['deny'], additionalProperties: false, properties: { deny: clientIds } },
        ],
        default: null,
      },
      rights: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Service-specific free-text rights; only with `{"allow": [<exactly one client id>]}`.' },
      name: { type: 'string', minLength: 1, maxLength: 200, description: 'A label for administrators. Never shown to users nor put in tokens: they get the organisation registry\'s name, or the orgno when the registry does not list it.' },
      unit_type: { type: 'string', pattern: '^[A-Z]{2,6}$', description: 'Its Enhetsregisteret unit type, likewise.' },
    },
  },
  EmployerRule: {
    allOf: [
      ref('EmployerRuleInput'),
      {
        type: 'object', required: ['id', 'orgno', 'match', 'filter', 'created', 'last_updated'],
        properties: { id: { type: 'string', format: 'uuid' }, created: { type: 'string', format: 'date-time' }, last_updated: { type: 'string', format: 'date-time' } },
      },
    ],
  },
};
