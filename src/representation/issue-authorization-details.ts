/**
 * Build the `authorization_details` issued in the token response, id_token and access token
 * (spec §9.4–§9.7, §19: identical in all three).
 */
import type { Party } from './authorisation-source.js';
import {
  ISO6523_AUTHORITY,
  ISO6523_NO_ORGNO_PREFIX,
  RAR_TYPE_ALTINN_RESOURCE,
  RAR_TYPE_ALTINN_SERVICE,
  RAR_TYPE_ORGNO,
  type IssuedAltinnResource,
  type IssuedAltinnService,
  type IssuedAuthorizationDetail,
  type IssuedOrgno,
  type Iso6523Org,
  type NormalisedRar,
} from './rar-types.js';

/** `resource_name` of a legacy service whose name is unknown, as observed in a real answer (§9.6). */
export const UNKNOWN_SERVICE_NAME = 'ukjent tjeneste';

interface ResourceNames {
  resourceName(id: string): string | undefined;
}

/**
 * @param rar     the normalised request
 * @param chosen  the organisation(s) the user picked; `'self'` when they chose to represent
 *                themself; `'none'` when there was nothing to pick and representation was not
 *                required (§9.7 step 3)
 * @param names   resource display names by bare id
 * @param hasEmailIdentity whether the login carries an e-mail identifier (Entra ID); only
 *                matters for `ansattporten:orgno`
 *
 * Decisions:
 * - `'self'` → `[{ type }]`, one element, for every type (§9.7 step 5).
 * - `ansattporten:orgno` without an e-mail identity → `[{ type: 'ansattporten:orgno' }]`
 *   whatever was chosen (§9.5, §19).
 * - `'none'` (§9.7 step 3: "returned to the client logged in as themself without representation
 *   data"): `ansattporten:altinn:resource` and `ansattporten:orgno` → `[{ type }]`, the same shape
 *   as representing oneself (§9.7 step 5); `ansattporten:altinn:service` → one object per requested
 *   service with the observed real answer `{type, resource, resource_name: 'ukjent tjeneste' (when
 *   unnamed), reportees: []}` (§9.6).
 * - altinn:resource with chosen parties: one object per requested resource that at least one
 *   chosen party holds ("one object per requested resource the user has rights to", §9.4); each
 *   `authorized_parties` entry lists the rights held for that resource and organisation.
 *   `resource_name` is omitted when the name is unknown.
 * - altinn:service with chosen parties: one object per requested service, also when no chosen
 *   party holds it (then `reportees: []`, matching the observed answer, §9.6).
 */
export function issueAuthorizationDetails(
  rar: NormalisedRar,
  chosen: Party[] | 'self' | 'none',
  names: ResourceNames,
  hasEmailIdentity: boolean,
): IssuedAuthorizationDetail[] {
  if (rar.type === RAR_TYPE_ORGNO && !hasEmailIdentity) return [{ type: RAR_TYPE_ORGNO }];
  if (chosen === 'self') return [{ type: rar.type }];
  if (chosen === 'none' && rar.type !== RAR_TYPE_ALTINN_SERVICE) return [{ type: rar.type }];
  const parties = chosen === 'none' ? [] : chosen;

  switch (rar.type) {
    case RAR_TYPE_ORGNO: {
      const issued: IssuedOrgno = {
        type: RAR_TYPE_ORGNO,
        authorized_parties: parties.map((p) => ({
          orgno: iso6523(p.orgno),
          name: p.name,
          ...(p.rights !== undefined && p.rights.length > 0 ? { rights: [...p.rights] } : {}),
        })),
      };
      return [issued];
    }

    case RAR_TYPE_ALTINN_SERVICE:
      return rar.items.map((item): IssuedAltinnService => {
        const id = item.resourceId ?? '';
        const reportees = parties.flatMap((p) => {
          const grant = p.grants.find((g) => g.resourceId === id);
          if (grant === undefined) return [];
          return [
            {
              Authority: ISO6523_AUTHORITY,
              ID: `${ISO6523_NO_ORGNO_PREFIX}${p.orgno}`,
              Name: p.name,
              Rights: [...grant.actions],
            },
          ];
        });
        return {
          type: RAR_TYPE_ALTINN_SERVICE,
          resource: item.resource ?? '',
          resource_name: names.resourceName(id) ?? UNKNOWN_SERVICE_NAME,
          reportees,
        };
      });

    case RAR_TYPE_ALTINN_RESOURCE: {
      const out: IssuedAltinnResource[] = [];
      for (const item of rar.items) {
        const id = item.resourceId ?? '';
        const authorized = parties.flatMap((p) => {
          const grant = p.grants.find((g) => g.resourceId === id);
          if (grant === undefined) return [];
          return [{ orgno: iso6523(p.orgno), resource: id, actions: [...grant.actions], name: p.name, unit_type: p.unit_type }];
        });
        if (authorized.length === 0) continue;
        const name = names.resourceName(id);
        out.push({
          type: RAR_TYPE_ALTINN_RESOURCE,
          resource: item.resource ?? '',
          ...(name !== undefined ? { resource_name: name } : {}),
          authorized_parties: authorized,
        });
      }
      // Chosen parties that hold none of the requested resources (cannot come from a source,
      // which only lists matching parties): fall back to the "nothing to represent" shape.
      if (out.length === 0) return issueAuthorizationDetails(rar, 'none', names, hasEmailIdentity);
      return out;
    }
  }
}

export function iso6523(orgno: string): Iso6523Org {
  return { authority: ISO6523_AUTHORITY, ID: `${ISO6523_NO_ORGNO_PREFIX}${orgno}` };
}
