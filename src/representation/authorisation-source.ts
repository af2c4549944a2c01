/**
 * The port every authorisation source implements (spec §9.7 step 1, §19 "pluggable adapters"):
 * given who logged in and what the client asked for, which organisations can the person represent,
 * and with which of the requested rights.
 */
import type { NormalisedRar, NormalisedRarItem, OrganizationForm } from './rar-types.js';

export interface PartyGrant {
  /** Bare resource id of the requested item (NormalisedRarItem.resourceId). */
  resourceId: string;
  /**
   * The rights the person holds on that resource for this party: the requested actions they hold
   * when the item names actions, else every right held (may be empty when the source cannot tell
   * which actions are held, see AltinnAuthorisationSource).
   */
  actions: string[];
}

export interface Party {
  /** 9-digit Norwegian organisation number. */
  orgno: string;
  name: string;
  /** Enhetsregisteret organisation form code (AS, ENK, BEDR, NUF, ORGL, …). */
  unit_type: string;
  /** Main unit of a sub-unit; null for a main unit. */
  parent_orgno: string | null;
  deleted: boolean;
  /** One entry per requested item this party matches (none for `ansattporten:orgno`). */
  grants: PartyGrant[];
  /** Service-specific free-text rights (`ansattporten:orgno`, §9.5); absent when none. */
  rights?: string[];
}

export interface PartyQuery {
  /** National identity number (TestID/MinID/BankID… logins). */
  pid?: string;
  /** E-mail identity (Entra ID logins). */
  email?: string;
  /** Entra group object ids. */
  groups?: string[];
  /** Entra tenant id (`tid` of the upstream id_token), for employer rules limited to tenants. */
  tenant?: string;
  clientId: string;
  rar: NormalisedRar;
}

export interface AuthorisationSource {
  /**
   * The organisations the person may choose in the picker: the union over the requested items
   * (§9.1), already filtered by `organizationform` and deleted-status (§9.7 step 1).
   * @throws AuthorisationSourceError when the source is unavailable or answers nonsense.
   */
  listParties(query: PartyQuery): Promise<Party[]>;
}

/** The source could not be asked, or gave an answer that cannot be used. */
export class AuthorisationSourceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthorisationSourceError';
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by the sources
// ---------------------------------------------------------------------------------------------

/**
 * The grant for one requested item given the rights `held` on its resource, or undefined when
 * the item does not match. With requested actions the item matches when at least one of them is
 * held and the grant lists exactly those (in request order); without requested actions any right
 * matches and the grant lists all held rights.
 */
export function grantFor(item: NormalisedRarItem, held: readonly string[]): PartyGrant | undefined {
  if (item.resourceId === undefined || held.length === 0) return undefined;
  const actions = item.actions.length === 0 ? [...new Set(held)] : item.actions.filter((a) => held.includes(a));
  return actions.length === 0 ? undefined : { resourceId: item.resourceId, actions };
}

/** `enterprise` keeps main units (no parent), `business` only sub-units (§9.3). */
export function matchesOrganizationForm(
  party: { parent_orgno: string | null },
  form: OrganizationForm | undefined,
): boolean {
  if (form === 'enterprise') return party.parent_orgno === null;
  if (form === 'business') return party.parent_orgno !== null;
  return true;
}

export const ORGNO_PATTERN = /^[0-9]{9}$/;
