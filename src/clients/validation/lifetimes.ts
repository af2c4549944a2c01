/**
 * Token lifetimes and refresh-token use (spec §15.2): positive whole seconds, the access and
 * refresh token lifetimes no longer than the authorization they belong to.
 */
import { CLIENT_DEFAULTS, type Client } from '../client-types.js';
import type { FieldReader } from './field-reader.js';

export interface Lifetimes {
  accessLifetime: number | undefined;
  authzLifetime: number | undefined;
  refreshLifetime: number | undefined;
  rtUsage: Client['refresh_token_usage'] | undefined;
}

export function readLifetimes(r: FieldReader): Lifetimes {
  const accessLifetime = r.optPosInt('access_token_lifetime', CLIENT_DEFAULTS.access_token_lifetime);
  const authzLifetime = r.optPosInt('authorization_lifetime', CLIENT_DEFAULTS.authorization_lifetime);
  const refreshLifetime = r.optPosInt('refresh_token_lifetime', CLIENT_DEFAULTS.refresh_token_lifetime);
  if (accessLifetime !== undefined && authzLifetime !== undefined && accessLifetime > authzLifetime) {
    r.errors.push({ field: 'access_token_lifetime', message: `must not exceed authorization_lifetime (${accessLifetime} > ${authzLifetime})` });
  }
  if (refreshLifetime !== undefined && authzLifetime !== undefined && refreshLifetime > authzLifetime) {
    r.errors.push({ field: 'refresh_token_lifetime', message: `must not exceed authorization_lifetime (${refreshLifetime} > ${authzLifetime})` });
  }
  const rtUsageIn = r.optEnum('refresh_token_usage', ['ONETIME', 'REUSE'] as const);
  const rtUsage = rtUsageIn === null ? undefined : (rtUsageIn ?? CLIENT_DEFAULTS.refresh_token_usage);
  return { accessLifetime, authzLifetime, refreshLifetime, rtUsage };
}
