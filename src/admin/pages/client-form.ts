/** Conversion between the client model and the HTML form of the self-service pages. */
import type { Client } from '../../clients/client-types.js';
import type { Params } from '../../core/params.js';

/** The form's values, as text (what the user typed, so that a failed submission is shown again unchanged). */
export interface ClientFormValues {
  client_name: string;
  description: string;
  client_uri: string;
  client_orgno: string;
  supplier_orgno: string;
  application_type: string;
  token_endpoint_auth_method: string;
  refresh_token: boolean;
  scopes: string;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  frontchannel_logout_uri: string;
  frontchannel_logout_session_required: boolean;
  backchannel_logout_uri: string;
  code_challenge_method: string;
  access_token_lifetime: string;
  authorization_lifetime: string;
  refresh_token_lifetime: string;
  refresh_token_usage: string;
}

export function emptyFormValues(orgno = ''): ClientFormValues {
  return {
    client_name: '', description: '', client_uri: '', client_orgno: orgno, supplier_orgno: '',
    application_type: 'web', token_endpoint_auth_method: 'client_secret_basic', refresh_token: false,
    scopes: 'openid profile', redirect_uris: '', post_logout_redirect_uris: '',
    frontchannel_logout_uri: '', frontchannel_logout_session_required: false, backchannel_logout_uri: '',
    code_challenge_method: 'S256', access_token_lifetime: '120', authorization_lifetime: '7200', refresh_token_lifetime: '600',
    refresh_token_usage: 'ONETIME',
  };
}

export function clientToFormValues(c: Client): ClientFormValues {
  return {
    client_name: c.client_name,
    description: c.description,
    client_uri: c.client_uri ?? '',
    client_orgno: c.client_orgno,
    supplier_orgno: c.supplier_orgno ?? '',
    application_type: c.application_type,
    token_endpoint_auth_method: c.token_endpoint_auth_method,
    refresh_token: c.grant_types.includes('refresh_token'),
    scopes: c.scopes.join(' '),
    redirect_uris: c.redirect_uris.join('\n'),
    post_logout_redirect_uris: c.post_logout_redirect_uris.join('\n'),
    frontchannel_logout_uri: c.frontchannel_logout_uri ?? '',
    frontchannel_logout_session_required: c.frontchannel_logout_session_required,
    backchannel_logout_uri: c.backchannel_logout_uri ?? '',
    code_challenge_method: c.code_challenge_method,
    access_token_lifetime: String(c.access_token_lifetime),
    authorization_lifetime: String(c.authorization_lifetime),
    refresh_token_lifetime: String(c.refresh_token_lifetime),
    refresh_token_usage: c.refresh_token_usage,
  };
}

export function paramsToFormValues(p: Params): ClientFormValues {
  const s = (k: string) => p.get(k) ?? '';
  return {
    client_name: s('client_name'),
    description: s('description'),
    client_uri: s('client_uri'),
    client_orgno: s('client_orgno'),
    supplier_orgno: s('supplier_orgno'),
    application_type: s('application_type'),
    token_endpoint_auth_method: s('token_endpoint_auth_method'),
    refresh_token: p.get('refresh_token') === 'true',
    scopes: s('scopes'),
    redirect_uris: s('redirect_uris'),
    post_logout_redirect_uris: s('post_logout_redirect_uris'),
    frontchannel_logout_uri: s('frontchannel_logout_uri'),
    frontchannel_logout_session_required: p.get('frontchannel_logout_session_required') === 'true',
    backchannel_logout_uri: s('backchannel_logout_uri'),
    code_challenge_method: s('code_challenge_method'),
    access_token_lifetime: s('access_token_lifetime'),
    authorization_lifetime: s('authorization_lifetime'),
    refresh_token_lifetime: s('refresh_token_lifetime'),
    refresh_token_usage: s('refresh_token_usage'),
  };
}

const lines = (s: string) => s.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());
/** Digits become numbers; anything else is passed on as text so that validation names the field. */
const num = (s: string) => (/^[0-9]{1,12}$/.test(s.trim()) ? Number(s.trim()) : opt(s));

/** The admin API body for the form's values (absent fields take the model's defaults). */
export function formValuesToInput(v: ClientFormValues): Record<string, unknown> {
  const input: Record<string, unknown> = {
    integration_type: 'ansattporten',
    client_name: v.client_name,
    description: v.description,
    client_uri: opt(v.client_uri),
    client_orgno: opt(v.client_orgno),
    supplier_orgno: opt(v.supplier_orgno),
    application_type: opt(v.application_type),
    token_endpoint_auth_method: opt(v.token_endpoint_auth_method),
    grant_types: v.refresh_token ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
    scopes: v.scopes.split(/\s+/).filter((s) => s !== ''),
    redirect_uris: lines(v.redirect_uris),
    post_logout_redirect_uris: lines(v.post_logout_redirect_uris),
    frontchannel_logout_uri: opt(v.frontchannel_logout_uri),
    frontchannel_logout_session_required: v.frontchannel_logout_session_required,
    backchannel_logout_uri: opt(v.backchannel_logout_uri),
    code_challenge_method: opt(v.code_challenge_method),
    access_token_lifetime: num(v.access_token_lifetime),
    authorization_lifetime: num(v.authorization_lifetime),
    refresh_token_lifetime: num(v.refresh_token_lifetime),
    refresh_token_usage: opt(v.refresh_token_usage),
  };
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  return input;
}
