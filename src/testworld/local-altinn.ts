/**
 * A local, Altinn-compatible authorisation API over the test world (src/representation/altinn-model.ts):
 *
 * - authorized parties, resource-owner variant (Altinn 3 Access Management): the request
 *   `{"type":"urn:altinn:person:identifier-no","value":"<pid>"}` answers the parties the person
 *   may represent as `AuthorizedPartyExternal` objects (the shape src/representation/altinn-source.ts
 *   reads), main units at the top and sub-units nested under `subunits`;
 * - the decision point (PDP) `POST /authorization/api/v1/authorize`: XACML 3.0 requests in the
 *   JSON profile (JSON Profile of XACML 3.0 §4), with several decisions per request either through
 *   `MultiRequests` (Multiple Decision Profile §2.4, as Altinn 3 uses it) or through repeated
 *   categories (Multiple Decision Profile §2.3). The party is named by organisation number
 *   (`urn:altinn:organization:identifier-no`) or by the `partyId` the authorized-parties answer
 *   gives (`urn:altinn:partyid`).
 *
 * Pure functions: no HTTP, no store. Input problems are reported as LocalAltinnError (the route
 * answers 400 with RFC 9457 problem details).
 */
import { createHash } from 'node:crypto';
import { parseNationalId } from '../core/national-id.js';
import type { FixtureOrganization } from '../fixtures/fixture-types.js';
import { knownResources, organizationIndex, PersonAccess, type AltinnModel } from '../representation/altinn-model.js';

export const PERSON_IDENTIFIER = 'urn:altinn:person:identifier-no';
export const ORGANIZATION_IDENTIFIER = 'urn:altinn:organization:identifier-no';
export const RESOURCE_ATTRIBUTE = 'urn:altinn:resource';
export const PARTY_ID = 'urn:altinn:partyid';
export const ACTION_ID = 'urn:oasis:names:tc:xacml:1.0:action:action-id';
const XACML_STRING = 'http://www.w3.org/2001/XMLSchema#string';
/** Category identifiers (XACML 3.0 Appendix B.2) and their JSON profile shorthands (§4.2.2.1). */
const CATEGORY_IDS = {
  AccessSubject: 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject',
  Action: 'urn:oasis:names:tc:xacml:3.0:attribute-category:action',
  Resource: 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource',
} as const;
type CategoryName = keyof typeof CATEGORY_IDS;
const STATUS_OK = 'urn:oasis:names:tc:xacml:1.0:status:ok';
const STATUS_MISSING_ATTRIBUTE = 'urn:oasis:names:tc:xacml:1.0:status:missing-attribute';
/** More decisions than this in one request are refused (bounds the work of one call). */
export const MAX_DECISIONS = 1000;

export class LocalAltinnError extends Error {
  override name = 'LocalAltinnError';
}

// ---------------------------------------------------------------------------------------------
// authorized parties

export interface AuthorizedPartyExternal {
  partyUuid: string;
  name: string;
  organizationNumber: string;
  personId: null;
  partyId: number;
  type: 'Organization';
  unitType: string;
  isDeleted: boolean;
  onlyHierarchyElementWithNoAccess: boolean;
  authorizedResources: string[];
  authorizedRoles: string[];
  authorizedAccessPackages: string[];
  authorizedInstances: never[];
  subunits: AuthorizedPartyExternal[];
}

/** A stable UUID and party id for an organisation (Altinn's own are opaque; these are derived from the orgno). */
export function partyIdentifiers(orgno: string): { partyUuid: string; partyId: number } {
  const h = createHash('sha256').update(`ansattporten-local-altinn-party:${orgno}`).digest('hex');
  const partyUuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return { partyUuid, partyId: 50_000_000 + (parseInt(h.slice(0, 8), 16) % 40_000_000) };
}

/** Validates the authorized-parties request body; the pid it names. */
export function parseAuthorizedPartiesRequest(body: unknown): string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new LocalAltinnError('the body must be a JSON object {"type", "value"}');
  const { type, value } = body as Record<string, unknown>;
  if (type !== PERSON_IDENTIFIER) throw new LocalAltinnError(`"type" must be "${PERSON_IDENTIFIER}"`);
  if (typeof value !== 'string' || !parseNationalId(value).ok) throw new LocalAltinnError('"value" must be a valid national identity number');
  return value;
}

/**
 * The parties `pid` may represent: every organisation where the person holds a role, an access
 * package or a right (and the sub-units these reach), with the resources on which they have at
 * least one action. A main unit where the person only reaches sub-units is listed with
 * `onlyHierarchyElementWithNoAccess`.
 */
export function authorizedParties(model: AltinnModel, pid: string): AuthorizedPartyExternal[] {
  const orgs = organizationIndex(model);
  const access = new PersonAccess(model, pid, orgs);
  const resources = knownResources(model);
  const toParty = (o: FixtureOrganization, noAccess: boolean): AuthorizedPartyExternal => {
    const a = access.access(o.orgno);
    return {
      ...partyIdentifiers(o.orgno),
      name: o.name,
      organizationNumber: o.orgno,
      personId: null,
      type: 'Organization',
      unitType: o.unit_type,
      isDeleted: o.deleted,
      onlyHierarchyElementWithNoAccess: noAccess,
      authorizedResources: noAccess ? [] : resources.filter((r) => access.actions(o.orgno, r).length > 0),
      authorizedRoles: noAccess ? [] : a.roles,
      authorizedAccessPackages: noAccess ? [] : a.packages,
      authorizedInstances: [],
      subunits: [],
    };
  };

  const reached = access.organizations();
  const top = new Map<string, AuthorizedPartyExternal>();
  for (const o of reached.filter((x) => x.parent_orgno === null || !orgs.has(x.parent_orgno))) top.set(o.orgno, toParty(o, false));
  for (const o of reached.filter((x) => x.parent_orgno !== null && orgs.has(x.parent_orgno))) {
    let parent = top.get(o.parent_orgno!);
    if (parent === undefined) {
      parent = toParty(orgs.get(o.parent_orgno!)!, true);
      top.set(o.parent_orgno!, parent);
    }
    parent.subunits.push(toParty(o, false));
  }
  return model.organizations.filter((o) => top.has(o.orgno)).map((o) => top.get(o.orgno)!);
}

// ---------------------------------------------------------------------------------------------
// decision point (XACML 3.0 JSON profile)

export interface XacmlAttribute {
  AttributeId: string;
  Value: unknown;
  DataType?: string;
  IncludeInResult?: boolean;
}

interface CategoryElement {
  Id?: string;
  Attribute: XacmlAttribute[];
}

export interface XacmlResult {
  Decision: 'Permit' | 'NotApplicable' | 'Indeterminate';
  Status: { StatusCode: { Value: string }; StatusMessage?: string };
  Category: { CategoryId: string; Attribute: XacmlAttribute[] }[];
}

function asObject(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new LocalAltinnError(`${what} must be a JSON object`);
  return v as Record<string, unknown>;
}

/** A category: an object or an array of objects (JSON profile §4.2.2), each with an Attribute array. */
function categoryElements(request: Record<string, unknown>, name: CategoryName): CategoryElement[] {
  const raw = request[name] ?? request[CATEGORY_IDS[name]];
  if (raw === undefined) throw new LocalAltinnError(`Request.${name} is required`);
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new LocalAltinnError(`Request.${name} must not be empty`);
  return list.map((e, i) => {
    const o = asObject(e, `Request.${name}[${i}]`);
    if (o.Id !== undefined && typeof o.Id !== 'string') throw new LocalAltinnError(`Request.${name}[${i}].Id must be a string`);
    const attrs = o.Attribute === undefined ? [] : o.Attribute;
    if (!Array.isArray(attrs)) throw new LocalAltinnError(`Request.${name}[${i}].Attribute must be an array`);
    const Attribute = attrs.map((a, j) => {
      const ao = asObject(a, `Request.${name}[${i}].Attribute[${j}]`);
      if (typeof ao.AttributeId !== 'string' || ao.AttributeId === '') throw new LocalAltinnError(`Request.${name}[${i}].Attribute[${j}].AttributeId must be a string`);
      const out: XacmlAttribute = { AttributeId: ao.AttributeId, Value: ao.Value };
      if (typeof ao.DataType === 'string') out.DataType = ao.DataType;
      if (typeof ao.IncludeInResult === 'boolean') out.IncludeInResult = ao.IncludeInResult;
      return out;
    });
    return { ...(typeof o.Id === 'string' ? { Id: o.Id } : {}), Attribute };
  });
}

/** The single string value of an attribute (the JSON profile allows a value or an array of values, §4.2.3). */
function attributeValue(el: CategoryElement, id: string): string | undefined {
  const a = el.Attribute.find((x) => x.AttributeId === id);
  if (a === undefined) return undefined;
  const v = Array.isArray(a.Value) && a.Value.length === 1 ? a.Value[0] : a.Value;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The bare resource id: `urn:altinn:resource`, or an app as `urn:altinn:org` + `urn:altinn:app`; `se_<code>_<edition>` is a legacy service. */
function resourceIdOf(el: CategoryElement): string | undefined {
  const r = attributeValue(el, RESOURCE_ATTRIBUTE);
  if (r !== undefined) {
    const legacy = /^se_([0-9]+)_([0-9]+)$/.exec(r);
    return legacy ? `${legacy[1]}:${legacy[2]}` : r;
  }
  const org = attributeValue(el, 'urn:altinn:org');
  const app = attributeValue(el, 'urn:altinn:app');
  return org !== undefined && app !== undefined ? `app_${org}_${app}` : undefined;
}

type Triple = Record<CategoryName, CategoryElement>;

/** The individual decision requests of one request (Multiple Decision Profile §2.3, §2.4). */
function individualRequests(request: Record<string, unknown>): Triple[] {
  const cats = {
    AccessSubject: categoryElements(request, 'AccessSubject'),
    Action: categoryElements(request, 'Action'),
    Resource: categoryElements(request, 'Resource'),
  };
  const multi = request.MultiRequests;
  if (multi !== undefined) {
    const refs = asObject(multi, 'Request.MultiRequests').RequestReference;
    if (!Array.isArray(refs) || refs.length === 0) throw new LocalAltinnError('Request.MultiRequests.RequestReference must be a non-empty array');
    if (refs.length > MAX_DECISIONS) throw new LocalAltinnError(`at most ${MAX_DECISIONS} decisions per request`);
    const byId = new Map<string, [CategoryName, CategoryElement]>();
    for (const name of Object.keys(cats) as CategoryName[]) {
      for (const el of cats[name]) {
        if (el.Id === undefined) continue;
        if (byId.has(el.Id)) throw new LocalAltinnError(`the Id ${JSON.stringify(el.Id)} is used twice`);
        byId.set(el.Id, [name, el]);
      }
    }
    return refs.map((ref, i) => {
      const ids = asObject(ref, `RequestReference[${i}]`).ReferenceId;
      if (!Array.isArray(ids)) throw new LocalAltinnError(`RequestReference[${i}].ReferenceId must be an array`);
      const picked: Partial<Triple> = {};
      for (const id of ids) {
        const hit = typeof id === 'string' ? byId.get(id) : undefined;
        if (hit === undefined) throw new LocalAltinnError(`RequestReference[${i}] names an unknown Id ${JSON.stringify(id)}`);
        if (picked[hit[0]] !== undefined) throw new LocalAltinnError(`RequestReference[${i}] names two ${hit[0]} elements`);
        picked[hit[0]] = hit[1];
      }
      for (const name of Object.keys(cats) as CategoryName[]) {
        if (picked[name] === undefined) {
          if (cats[name].length !== 1) throw new LocalAltinnError(`RequestReference[${i}] names no ${name}`);
          picked[name] = cats[name][0]!;
        }
      }
      return picked as Triple;
    });
  }
  const n = cats.AccessSubject.length * cats.Action.length * cats.Resource.length;
  if (n > MAX_DECISIONS) throw new LocalAltinnError(`at most ${MAX_DECISIONS} decisions per request`);
  const out: Triple[] = [];
  for (const AccessSubject of cats.AccessSubject) for (const Action of cats.Action) for (const Resource of cats.Resource) out.push({ AccessSubject, Action, Resource });
  return out;
}

/** Validates a PDP request body (`{"Request": {...}}`) and decides every individual request in it. */
export function decide(model: AltinnModel, body: unknown): { Response: XacmlResult[] } {
  const request = asObject(asObject(body, 'the body').Request, 'Request');
  const triples = individualRequests(request);
  const orgs = organizationIndex(model);
  const people = new Map<string, PersonAccess>();
  let byPartyId: Map<string, string> | undefined;
  /** The party as an organisation number, or as a party id of partyIdentifiers(). */
  const orgnoOf = (el: CategoryElement): string | undefined => {
    const orgno = attributeValue(el, ORGANIZATION_IDENTIFIER);
    if (orgno !== undefined) return orgno;
    const raw = el.Attribute.find((a) => a.AttributeId === PARTY_ID)?.Value;
    const partyId = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
    if ((typeof partyId !== 'string' && typeof partyId !== 'number') || String(partyId) === '') return undefined;
    byPartyId ??= new Map(model.organizations.map((o) => [String(partyIdentifiers(o.orgno).partyId), o.orgno] as const));
    return byPartyId.get(String(partyId)) ?? '';
  };
  return {
    Response: triples.map((t) => {
      const Category = (Object.keys(CATEGORY_IDS) as CategoryName[]).map((name) => ({
        CategoryId: CATEGORY_IDS[name],
        Attribute: t[name].Attribute.map((a) => ({ AttributeId: a.AttributeId, Value: a.Value, DataType: a.DataType ?? XACML_STRING })),
      }));
      const pid = attributeValue(t.AccessSubject, PERSON_IDENTIFIER);
      const action = attributeValue(t.Action, ACTION_ID);
      const resource = resourceIdOf(t.Resource);
      const orgno = orgnoOf(t.Resource);
      const missing = [
        pid === undefined ? `AccessSubject ${PERSON_IDENTIFIER}` : undefined,
        action === undefined ? `Action ${ACTION_ID}` : undefined,
        resource === undefined ? `Resource ${RESOURCE_ATTRIBUTE}` : undefined,
        orgno === undefined ? `Resource ${ORGANIZATION_IDENTIFIER} or ${PARTY_ID}` : undefined,
      ].filter((m): m is string => m !== undefined);
      if (missing.length > 0) {
        // XACML 3.0 §7.19.3: a missing attribute makes the decision Indeterminate, with status missing-attribute.
        return { Decision: 'Indeterminate', Status: { StatusCode: { Value: STATUS_MISSING_ATTRIBUTE }, StatusMessage: `missing ${missing.join(', ')}` }, Category };
      }
      let access = people.get(pid!);
      if (access === undefined) {
        access = new PersonAccess(model, pid!, orgs);
        people.set(pid!, access);
      }
      const org = orgs.get(orgno!);
      const permit = org !== undefined && access.actions(orgno!, resource!).includes(action!);
      return { Decision: permit ? 'Permit' : 'NotApplicable', Status: { StatusCode: { Value: STATUS_OK } }, Category };
    }),
  };
}
