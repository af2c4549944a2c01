/**
 * Parse and normalise the `authorization_details` request parameter (spec §9, §5.2, §19).
 *
 * Every problem is an `OAuthError('invalid_authorization_details', …)` (RFC 9396 §5) with a
 * description naming the offending element and field; the default delivery ('redirect') is right
 * because these checks run after client and redirect_uri have been validated (§5.2).
 */
import { OAuthError } from '../core/oauth-error.js';
import {
  ALTINN_RESOURCE_URN_PREFIX,
  RAR_TYPE_ALTINN_RESOURCE,
  RAR_TYPE_ALTINN_SERVICE,
  RAR_TYPE_ORGNO,
  RAR_TYPES,
  isRarType,
  type NormalisedRar,
  type NormalisedRarItem,
  type OrganizationForm,
  type RarType,
} from './rar-types.js';

/** Largest accepted raw parameter (UTF-8 bytes). */
export const MAX_AUTHORIZATION_DETAILS_BYTES = 20 * 1024;
/** Largest accepted number of objects in the array. */
export const MAX_AUTHORIZATION_DETAILS_OBJECTS = 20;
/** Largest accepted number of actions in one object, and length of one action. */
const MAX_ACTIONS_PER_OBJECT = 50;
const MAX_ACTION_LENGTH = 200;

/** Altinn Resource Registry ids: letters, digits, `_` and `-` (e.g. `app_ttd_demo`, `eksempel-tjeneste`). */
const ALTINN_RESOURCE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;
/** Legacy Altinn 2 service: `<serviceCode>:<serviceEditionCode>`, digits only (§9.6). */
const ALTINN_SERVICE_ID = /^([0-9]{1,10}):([0-9]{1,10})$/;

const fail = (description: string): OAuthError => new OAuthError('invalid_authorization_details', description);

/**
 * @returns `undefined` when the parameter is absent (or empty: RFC 6749 §3.1 "parameters sent
 *          without a value MUST be treated as if they were omitted"), else the normalised request.
 * @throws OAuthError('invalid_authorization_details') on anything malformed.
 */
export function parseAuthorizationDetails(raw: string | undefined): NormalisedRar | undefined {
  if (raw === undefined || raw === '') return undefined;

  if (Buffer.byteLength(raw, 'utf8') > MAX_AUTHORIZATION_DETAILS_BYTES) {
    throw fail(`authorization_details is too large (more than ${MAX_AUTHORIZATION_DETAILS_BYTES} bytes)`);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw fail('authorization_details is not valid JSON');
  }

  if (!Array.isArray(parsed)) throw fail('authorization_details must be a JSON array');
  if (parsed.length === 0) throw fail('authorization_details must not be an empty array');
  if (parsed.length > MAX_AUTHORIZATION_DETAILS_OBJECTS) {
    throw fail(`authorization_details has too many objects (at most ${MAX_AUTHORIZATION_DETAILS_OBJECTS})`);
  }

  // Pass 1: every element is an object with a supported type; exactly one type per request (§9.1).
  const objects: Record<string, unknown>[] = [];
  let type: RarType | undefined;
  parsed.forEach((element: unknown, i) => {
    if (typeof element !== 'object' || element === null || Array.isArray(element)) {
      throw fail(`authorization_details[${i}] is not a JSON object`);
    }
    const obj = element as Record<string, unknown>;
    if (!('type' in obj) || obj.type === undefined) throw fail(`authorization_details[${i}] has no type`);
    if (typeof obj.type !== 'string') throw fail(`authorization_details[${i}].type must be a string`);
    if (!isRarType(obj.type)) {
      throw fail(
        `authorization_details[${i}].type '${clip(obj.type)}' is not supported (supported: ${RAR_TYPES.join(', ')})`,
      );
    }
    if (type !== undefined && obj.type !== type) {
      throw fail(
        `authorization_details mixes the types '${type}' and '${obj.type}'; only one type per request is supported`,
      );
    }
    type = obj.type;
    objects.push(obj);
  });
  const rarType = type as RarType;

  // Pass 2: per-object fields, then the request-wide merge rules (§9.3).
  let representationRequired = false;
  let allowMultiple = false;
  let organizationform: OrganizationForm | undefined;
  const items: NormalisedRarItem[] = [];
  const byResourceId = new Map<string, NormalisedRarItem>();

  objects.forEach((obj, i) => {
    const at = `authorization_details[${i}]`;

    representationRequired = readBoolean(obj, 'representation_is_required', at) || representationRequired;
    allowMultiple = readBoolean(obj, 'allow_multiple_organizations', at) || allowMultiple;

    const form = readOrganizationForm(obj, at);
    if (form !== undefined) {
      if (organizationform !== undefined && organizationform !== form) {
        throw fail(
          `authorization_details has conflicting organizationform values ('${organizationform}' and '${form}'); it must be identical in every object`,
        );
      }
      organizationform = form;
    }

    if (rarType === RAR_TYPE_ORGNO) {
      // The orgno model has only type + the request-wide flags (§9.5); anything else is an
      // extension and is ignored (RFC 9396 §2).
      return;
    }

    const allowDeleted = readBoolean(obj, 'allow_deleted_organizations', at);
    const { resource, resourceId } = readResource(obj, rarType, at);
    // `actions` belongs to the altinn:resource model only (§9.3); the legacy service model has
    // none (§9.6), so there it is an unknown field and ignored.
    const actions = rarType === RAR_TYPE_ALTINN_RESOURCE ? readActions(obj, at) : [];

    const existing = byResourceId.get(resourceId);
    if (existing === undefined) {
      const item: NormalisedRarItem = { resource, resourceId, actions, allowDeleted };
      byResourceId.set(resourceId, item);
      items.push(item);
    } else {
      // Same resource in several objects: one item. Empty actions means "any right", so it
      // absorbs a specific list; otherwise the action lists are united. Deleted organisations
      // are allowed if any of the objects allows them.
      existing.actions =
        existing.actions.length === 0 || actions.length === 0 ? [] : dedupe([...existing.actions, ...actions]);
      existing.allowDeleted = existing.allowDeleted || allowDeleted;
    }
  });

  const result: NormalisedRar = { type: rarType, items, representationRequired, allowMultiple };
  if (organizationform !== undefined) result.organizationform = organizationform;
  return result;
}

/** JSON boolean or the strings "true"/"false" (§9.1); absent/null → false; anything else → error. */
function readBoolean(obj: Record<string, unknown>, field: string, at: string): boolean {
  const v = obj[field];
  if (v === undefined || v === null) return false;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw fail(`${at}.${field} must be true or false (JSON boolean or the string true/false)`);
}

function readOrganizationForm(obj: Record<string, unknown>, at: string): OrganizationForm | undefined {
  const v = obj.organizationform;
  if (v === undefined || v === null) return undefined;
  if (v === 'enterprise' || v === 'business') return v;
  throw fail(`${at}.organizationform must be enterprise or business`);
}

function readResource(
  obj: Record<string, unknown>,
  type: RarType,
  at: string,
): { resource: string; resourceId: string } {
  const v = obj.resource;
  if (v === undefined || v === null || v === '') throw fail(`${at}.resource is required for type ${type}`);
  if (typeof v !== 'string') throw fail(`${at}.resource must be a string`);

  const hasPrefix = v.slice(0, ALTINN_RESOURCE_URN_PREFIX.length).toLowerCase() === ALTINN_RESOURCE_URN_PREFIX;
  const id = hasPrefix ? v.slice(ALTINN_RESOURCE_URN_PREFIX.length) : undefined;

  if (type === RAR_TYPE_ALTINN_SERVICE) {
    const m = id === undefined ? null : ALTINN_SERVICE_ID.exec(id);
    if (m === null) {
      throw fail(
        `${at}.resource '${clip(v)}' must be urn:altinn:resource:<serviceCode>:<serviceEditionCode> (digits) for type ${type}`,
      );
    }
    return { resource: v, resourceId: `${m[1]}:${m[2]}` };
  }

  if (id === undefined || !ALTINN_RESOURCE_ID.test(id)) {
    throw fail(`${at}.resource '${clip(v)}' must be urn:altinn:resource:<resource-id> for type ${type}`);
  }
  return { resource: v, resourceId: id };
}

/** A string, a comma-separated string or an array of strings (§9.1): trim, drop empties, dedupe. */
function readActions(obj: Record<string, unknown>, at: string): string[] {
  const v = obj.actions;
  if (v === undefined || v === null) return [];
  let parts: string[];
  if (typeof v === 'string') {
    parts = v.split(',');
  } else if (Array.isArray(v)) {
    parts = v.map((a: unknown, j) => {
      if (typeof a !== 'string') throw fail(`${at}.actions[${j}] must be a string`);
      return a;
    });
  } else {
    throw fail(`${at}.actions must be a string or an array of strings`);
  }
  const actions = dedupe(parts.map((p) => p.trim()).filter((p) => p !== ''));
  if (actions.length > MAX_ACTIONS_PER_OBJECT) {
    throw fail(`${at}.actions has too many values (at most ${MAX_ACTIONS_PER_OBJECT})`);
  }
  for (const a of actions) {
    if (a.length > MAX_ACTION_LENGTH) throw fail(`${at}.actions has a value longer than ${MAX_ACTION_LENGTH} characters`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(a)) throw fail(`${at}.actions has a value with control characters`);
  }
  return actions;
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * Echo client input safely in an error description: short, and only characters RFC 6749 §5.2
 * allows in `error_description` (%x20-21 / %x23-5B / %x5D-7E; so no double quote or backslash).
 */
function clip(s: string): string {
  const short = s.length > 80 ? `${s.slice(0, 77)}...` : s;
  return short.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '?');
}
