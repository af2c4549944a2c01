/** Who the client is (spec §15.2): client_id, integration_type, name, description, client_uri, organisation numbers. */
import { randomUUID } from 'node:crypto';
import { isValidOrgno } from '../../core/orgno.js';
import { CLIENT_DEFAULTS, type Client } from '../client-types.js';
import { q, type FieldReader } from './field-reader.js';
import { parseAbsoluteHttpUrl } from './uri-syntax.js';

const CLIENT_ID = /^[\x21-\x7E]{1,255}$/;

interface IdentityFields {
  clientId: string | undefined;
  clientName: string | undefined;
  description: string;
  clientUri: string | undefined;
  clientOrgno: string | undefined;
  supplierOrgno: string | undefined;
}

/** `existing`: the stored client on an update, whose client_id and integration_type cannot change. */
export function readIdentity(r: FieldReader, existing: Client | undefined): IdentityFields {
  const { errors } = r;
  let clientId: string | undefined;
  const rawClientId = r.get('client_id');
  if (rawClientId !== undefined) {
    if (typeof rawClientId !== 'string' || !CLIENT_ID.test(rawClientId)) {
      errors.push({ field: 'client_id', message: `must be 1–255 printable ASCII characters without spaces (got ${q(rawClientId)})` });
    } else if (existing && rawClientId !== existing.client_id) {
      errors.push({ field: 'client_id', message: `cannot be changed (is ${q(existing.client_id)})` });
    } else clientId = rawClientId;
  } else clientId = existing?.client_id ?? randomUUID();

  const rawIntegration = r.get('integration_type');
  if (rawIntegration !== undefined && rawIntegration !== 'ansattporten') {
    errors.push({ field: 'integration_type', message: `must be "ansattporten" (got ${q(rawIntegration)})` });
  } else if (existing && (existing.integration_type as string) !== CLIENT_DEFAULTS.integration_type) {
    errors.push({ field: 'integration_type', message: `cannot be changed (is ${q(existing.integration_type)})` });
  }

  const clientName = r.optString('client_name');
  if (r.get('client_name') === undefined) errors.push({ field: 'client_name', message: 'is required' });
  else if (clientName !== undefined && clientName.trim() === '') errors.push({ field: 'client_name', message: 'must not be empty' });

  const description = r.optString('description') ?? '';

  let clientUri: string | undefined;
  const rawClientUri = r.optString('client_uri');
  if (rawClientUri !== undefined && parseAbsoluteHttpUrl(rawClientUri, 'client_uri', errors)) clientUri = rawClientUri;

  const orgnoField = (k: string): string | undefined => {
    const v = r.optString(k);
    if (v === undefined) return undefined;
    if (!/^[0-9]{9}$/.test(v)) errors.push({ field: k, message: `must be a 9-digit organisation number (got ${q(v)})` });
    else if (!isValidOrgno(v)) errors.push({ field: k, message: `check digit mismatch (${q(v)})` });
    else return v;
    return undefined;
  };
  if (r.get('client_orgno') === undefined) errors.push({ field: 'client_orgno', message: 'is required' });
  const clientOrgno = orgnoField('client_orgno');
  const supplierOrgno = orgnoField('supplier_orgno');
  return { clientId, clientName, description, clientUri, clientOrgno, supplierOrgno };
}
