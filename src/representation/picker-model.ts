/**
 * Pure helpers for the organisation picker (spec §9.7 step 2).
 */
import { OAuthError } from '../core/oauth-error.js';
import { ORGNO_PATTERN, type Party } from './authorisation-source.js';
import type { NormalisedRar } from './rar-types.js';

/** The form value of the "represent myself" option. */
const SELF_CHOICE = 'self';

interface PartyGroup {
  party: Party;
  /** Sub-units of `party` that are in the list, sorted by name. */
  subunits: Party[];
}

/** Made on first use: a collator loads ICU's collation data, which an idle server does not need. */
let collator: Intl.Collator | undefined;
const byName = (a: Party, b: Party): number => {
  collator ??= new Intl.Collator('nb', { sensitivity: 'base', numeric: true });
  return collator.compare(a.name, b.name) || a.orgno.localeCompare(b.orgno);
};

/**
 * Main units with their listed sub-units beneath them. A sub-unit whose main unit is not in the
 * list is shown at top level (the person holds rights on the sub-unit only). Sorted by name
 * (Norwegian collation), ties by orgno; a party listed twice (same orgno) is shown once.
 */
export function groupParties(parties: readonly Party[]): PartyGroup[] {
  const unique = new Map<string, Party>();
  for (const p of parties) if (!unique.has(p.orgno)) unique.set(p.orgno, p);

  const groups = new Map<string, PartyGroup>();
  for (const p of unique.values()) {
    if (p.parent_orgno === null || !unique.has(p.parent_orgno)) groups.set(p.orgno, { party: p, subunits: [] });
  }
  for (const p of unique.values()) {
    if (p.parent_orgno !== null && unique.has(p.parent_orgno)) {
      // The parent is in the list; if the parent is itself nested (should not happen: Enhetsregisteret
      // has two levels) fall back to top level so nothing is lost.
      const g = groups.get(p.parent_orgno);
      if (g !== undefined) g.subunits.push(p);
      else groups.set(p.orgno, { party: p, subunits: [] });
    }
  }
  const out = [...groups.values()].sort((a, b) => byName(a.party, b.party));
  for (const g of out) g.subunits.sort(byName);
  return out;
}

const badChoice = (description: string): OAuthError => new OAuthError('invalid_request', description, 'page');

/**
 * Validate the posted picker form (`orgno` values) against the parties that were offered.
 * - `'self'` is allowed only when representation is not required, and never together with an
 *   organisation;
 * - every other value must be a 9-digit orgno that was offered;
 * - several organisations only when `allow_multiple_organizations` was requested;
 * - nothing chosen is an error.
 * Duplicate values are ignored. The result keeps the order of `parties`.
 * @throws OAuthError('invalid_request', …, 'page') — the form is ours, so a bad post is shown as
 *         an error page rather than sent to the client.
 */
export function resolveChoice(formValues: readonly string[], parties: readonly Party[], rar: NormalisedRar): Party[] | 'self' {
  const values = [...new Set(formValues.map((v) => v.trim()).filter((v) => v !== ''))];
  if (values.length === 0) throw badChoice('No organisation was chosen');

  if (values.includes(SELF_CHOICE)) {
    if (rar.representationRequired) throw badChoice('This service requires you to represent an organisation');
    if (values.length > 1) throw badChoice('Representing yourself cannot be combined with an organisation');
    return SELF_CHOICE;
  }

  for (const v of values) {
    if (!ORGNO_PATTERN.test(v)) throw badChoice('An organisation number must be 9 digits');
    if (!parties.some((p) => p.orgno === v)) throw badChoice('The chosen organisation was not offered');
  }
  if (values.length > 1 && !rar.allowMultiple) throw badChoice('Only one organisation can be chosen');

  const chosen = new Set(values);
  const seen = new Set<string>();
  return parties.filter((p) => {
    if (!chosen.has(p.orgno) || seen.has(p.orgno)) return false;
    seen.add(p.orgno);
    return true;
  });
}
