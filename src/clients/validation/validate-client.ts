/**
 * Validation of client registrations (admin API bodies and clients-file entries), spec §15.2,
 * §15.5, §17 and §18. Turns an untrusted object into a complete `Client` with defaults, or
 * returns every problem found, each naming its field (e.g. `redirect_uris[1]`). The rules for
 * each group of fields live beside this file; this one reads them in order and assembles the client.
 */
import { isPlainObject, typeName } from '../../core/json-value.js';
import { CLIENT_DEFAULTS, type Client } from '../client-types.js';
import { readAuthMethod, readGrantTypes, readPkce, readScopes } from './auth-and-grants.js';
import { readJwks } from './client-jwks.js';
import { fieldReader, type FieldError } from './field-reader.js';
import { readIdentity } from './identity-fields.js';
import { readLifetimes } from './lifetimes.js';
import { readUris } from './redirect-uris.js';
import { outboundUriErrors } from '../outbound-uri-policy.js';

type ValidateClientResult = { ok: true; client: Client } | { ok: false; errors: FieldError[] };

export interface ValidateClientOptions {
  /** Production rules: https only (loopback http only for native clients), no localhost otherwise. */
  production: boolean;
  /** The stored client when this is an update (PUT): keeps client_id, created and jwks, and integration_type may not change. */
  existing?: Client;
  /** Epoch milliseconds, for created / last_updated. */
  now: number;
}

/** Fields a client object may carry. */
const CLIENT_FIELDS = new Set([
  'client_id',
  'client_name',
  'description',
  'client_uri',
  'client_orgno',
  'supplier_orgno',
  'integration_type',
  'application_type',
  'token_endpoint_auth_method',
  'grant_types',
  'scopes',
  'redirect_uris',
  'post_logout_redirect_uris',
  'frontchannel_logout_uri',
  'frontchannel_logout_session_required',
  'backchannel_logout_uri',
  'backchannel_logout_session_required', // set automatically; input ignored
  'sso_disabled', // always stored as true
  'code_challenge_method',
  'access_token_lifetime',
  'authorization_lifetime',
  'refresh_token_lifetime',
  'refresh_token_usage',
  'jwks',
  // server-managed; accepted so that a stored client can be sent back unchanged, but ignored
  'active',
  'created',
  'last_updated',
  // handled by the clients-file loader / secret rotation, never part of Client
  'client_secret',
]);

export function validateClientInput(input: unknown, opts: ValidateClientOptions): ValidateClientResult {
  const errors: FieldError[] = [];
  if (!isPlainObject(input)) {
    return { ok: false, errors: [{ field: '', message: `must be a JSON object (got ${typeName(input)})` }] };
  }
  const existing = opts.existing;
  for (const k of Object.keys(input)) {
    if (!CLIENT_FIELDS.has(k)) errors.push({ field: k, message: 'unknown field' });
  }
  const r = fieldReader(input, errors);

  const id = readIdentity(r, existing);
  const { appType, authMethod } = readAuthMethod(r);
  const grantTypes = readGrantTypes(r);
  const scopes = readScopes(r);
  const uris = readUris(r, { production: opts.production, native: appType === 'native' });
  const fclSessionRequired = r.optBool('frontchannel_logout_session_required') ?? CLIENT_DEFAULTS.frontchannel_logout_session_required;
  r.optBool('backchannel_logout_session_required'); // type-checked, value derived from backchannel_logout_uri
  r.optBool('sso_disabled'); // type-checked, always stored as true
  const pkce = readPkce(r, appType);
  const life = readLifetimes(r);
  const nowIso = new Date(opts.now).toISOString();
  const jwks = readJwks(r, existing, nowIso);
  errors.push(...outboundUriErrors(input, opts.production));

  if (errors.length > 0) return { ok: false, errors };

  // All of these are defined when there are no errors; the checks narrow the types.
  const { clientId, clientName, clientOrgno } = id;
  const { redirectUris, postLogoutUris, frontchannelLogoutUri: fcl, backchannelLogoutUri: bcl } = uris;
  const { accessLifetime, authzLifetime, refreshLifetime, rtUsage } = life;
  if (
    clientId === undefined ||
    clientName === undefined ||
    clientOrgno === undefined ||
    appType === undefined ||
    authMethod === undefined ||
    grantTypes === undefined ||
    scopes === undefined ||
    redirectUris === undefined ||
    postLogoutUris === undefined ||
    pkce === undefined ||
    accessLifetime === undefined ||
    authzLifetime === undefined ||
    refreshLifetime === undefined ||
    rtUsage === undefined
  ) {
    return { ok: false, errors: [{ field: '', message: 'internal error: incomplete client' }] };
  }

  const client: Client = {
    client_id: clientId,
    client_name: clientName,
    description: id.description,
    ...(id.clientUri !== undefined ? { client_uri: id.clientUri } : {}),
    client_orgno: clientOrgno,
    ...(id.supplierOrgno !== undefined ? { supplier_orgno: id.supplierOrgno } : {}),
    integration_type: 'ansattporten',
    application_type: appType,
    token_endpoint_auth_method: authMethod,
    grant_types: [...grantTypes],
    scopes: [...scopes],
    redirect_uris: [...redirectUris],
    post_logout_redirect_uris: [...postLogoutUris],
    ...(fcl !== undefined ? { frontchannel_logout_uri: fcl } : {}),
    frontchannel_logout_session_required: fclSessionRequired,
    ...(bcl !== undefined ? { backchannel_logout_uri: bcl } : {}),
    backchannel_logout_session_required: bcl !== undefined,
    sso_disabled: true,
    code_challenge_method: pkce,
    access_token_lifetime: accessLifetime,
    authorization_lifetime: authzLifetime,
    refresh_token_lifetime: refreshLifetime,
    refresh_token_usage: rtUsage,
    ...(jwks !== undefined ? { jwks } : {}),
    active: existing?.active ?? true,
    created: existing?.created ?? nowIso,
    last_updated: nowIso,
  };
  return { ok: true, client };
}
