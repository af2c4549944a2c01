/**
 * Rich Authorization Requests (RFC 9396) as Ansattporten uses them (spec §9, §19.1).
 *
 * Three models per type: what a client may send (`*Request`), what this implementation works with
 * after validation and merging (`NormalisedRar`), and what is issued in tokens (`Issued*`).
 */

export const RAR_TYPE_ALTINN_RESOURCE = 'ansattporten:altinn:resource' as const;
export const RAR_TYPE_ALTINN_SERVICE = 'ansattporten:altinn:service' as const;
export const RAR_TYPE_ORGNO = 'ansattporten:orgno' as const;

/** The supported types (§9.2). `ansattporten:entra` and `ansattporten:altinnressurs` are not supported. */
export const RAR_TYPES = [RAR_TYPE_ALTINN_RESOURCE, RAR_TYPE_ALTINN_SERVICE, RAR_TYPE_ORGNO] as const;
export type RarType = (typeof RAR_TYPES)[number];

export function isRarType(value: unknown): value is RarType {
  return typeof value === 'string' && (RAR_TYPES as readonly string[]).includes(value);
}

export type OrganizationForm = 'enterprise' | 'business';

/** `urn:altinn:resource:` — prefix of every requested resource (§9.3, §9.6). */
export const ALTINN_RESOURCE_URN_PREFIX = 'urn:altinn:resource:';

// ---------------------------------------------------------------------------------------------
// Normalised request (after parse-authorization-details.ts)
// ---------------------------------------------------------------------------------------------

export interface NormalisedRarItem {
  /** Full URN exactly as requested (absent for `ansattporten:orgno`). */
  resource?: string;
  /**
   * Bare resource id: the Altinn 3 resource id, or `"<serviceCode>:<edition>"` for a legacy
   * Altinn 2 service (absent for `ansattporten:orgno`).
   */
  resourceId?: string;
  /** Requested actions, trimmed and de-duplicated; empty = "any right on the resource". */
  actions: string[];
  /** `allow_deleted_organizations` of the requesting object(s) (per object, §20 row 5). */
  allowDeleted: boolean;
}

export interface NormalisedRar {
  type: RarType;
  /**
   * One entry per distinct requested resource (objects naming the same resource are merged).
   * Always empty for `ansattporten:orgno`, which requests organisations, not resources.
   */
  items: NormalisedRarItem[];
  /** `representation_is_required`: true if any object says so (§9.3). */
  representationRequired: boolean;
  /** `allow_multiple_organizations`: true if any object says so (§9.3). */
  allowMultiple: boolean;
  /** `organizationform`: identical wherever given (§9.3); absent = both main and sub-units. */
  organizationform?: OrganizationForm;
}

// ---------------------------------------------------------------------------------------------
// Issued models (§9.4, §9.5, §9.6, §19.1)
// ---------------------------------------------------------------------------------------------

export const ISO6523_AUTHORITY = 'iso6523-actorid-upis' as const;
/** ICD 0192 = Norwegian organisation number (Enhetsregisteret). */
export const ISO6523_NO_ORGNO_PREFIX = '0192:';

export interface Iso6523Org {
  authority: typeof ISO6523_AUTHORITY;
  /** `"0192:<9-digit orgno>"` */
  ID: string;
}

interface IssuedAltinnResourceParty {
  orgno: Iso6523Org;
  /** Bare resource id (no URN prefix). */
  resource: string;
  actions: string[];
  name: string;
  unit_type: string;
}

export interface IssuedAltinnResource {
  type: typeof RAR_TYPE_ALTINN_RESOURCE;
  resource?: string;
  resource_name?: string;
  authorized_parties?: IssuedAltinnResourceParty[];
}

interface IssuedOrgnoParty {
  orgno: Iso6523Org;
  name: string;
  rights?: string[];
}

export interface IssuedOrgno {
  type: typeof RAR_TYPE_ORGNO;
  authorized_parties?: IssuedOrgnoParty[];
}

/** Note the capitalised keys (legacy Altinn 2 model, §9.6). */
interface IssuedReportee {
  Authority: typeof ISO6523_AUTHORITY;
  ID: string;
  Name: string;
  Rights: string[];
}

export interface IssuedAltinnService {
  type: typeof RAR_TYPE_ALTINN_SERVICE;
  resource?: string;
  resource_name?: string;
  reportees?: IssuedReportee[];
}

export type IssuedAuthorizationDetail = IssuedAltinnResource | IssuedOrgno | IssuedAltinnService;
