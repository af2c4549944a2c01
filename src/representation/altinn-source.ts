/**
 * AuthorisationSource backed by an Altinn Authorization-compatible HTTP API: the "authorized
 * parties" lookup of Altinn 3 Access Management, resource-owner variant (spec §9.2, §19).
 *
 * What was confirmed from public material before coding (Altinn's own Bruno request collection
 * for access management, Altinn's docs and service owners' client tests):
 * - Request: `POST {baseUrl}/accessmanagement/api/v1/resourceowner/authorizedparties?includeAltinn2=true`
 *   with JSON body `{"type":"urn:altinn:person:identifier-no","value":"<pid>"}` (other subject
 *   types exist, e.g. `urn:altinn:person:uuid`). The caller is a service owner holding the scope
 *   `altinn:accessmanagement/authorizedparties.resourceowner` (Maskinporten token exchanged for an
 *   Altinn token, sent as `Authorization: Bearer …`) plus an API subscription key — both are
 *   deployment configuration here and are passed in `headers`.
 * - Answer: a JSON array of `AuthorizedPartyExternal`: `partyUuid`, `name`, `organizationNumber`,
 *   `personId`, `partyId`, `type` ("Organization" | "Person" | "SelfIdentified" | "None"),
 *   `unitType` (AS, BEDR, …), `isDeleted`, `onlyHierarchyElementWithNoAccess` (a main unit listed
 *   only because the person has access to some of its sub-units), `authorizedResources` (resource
 *   ids), `authorizedRoles`, `authorizedAccessPackages`, `authorizedInstances` and `subunits`
 *   (same shape, nested under their main unit).
 * Not confirmed: how Altinn 2 services are spelled inside `authorizedResources`. This adapter
 * accepts `"<serviceCode>:<edition>"` and `"se_<serviceCode>_<edition>"` for a requested
 * `urn:altinn:resource:<serviceCode>:<edition>`.
 *
 * Mapping decisions:
 * - Only parties of type "Organization" with a 9-digit `organizationNumber` are offered (persons
 *   are not organisations to represent in Ansattporten). A sub-unit's `parent_orgno` is the
 *   organisation it is nested under; top-level parties are main units.
 * - The lookup lists resources, not actions. A party whose `authorizedResources` contains the
 *   requested resource is a candidate; which of the requested actions it is issued is then asked
 *   of Altinn's decision point (PDP, `POST {baseUrl}/authorization/api/v1/authorize`, one XACML
 *   multi-request for every candidate party × requested action, see altinn-pdp.ts and
 *   docs/altinn-pdp.md): a grant lists requested ∩ permitted, and a party with no requested action
 *   permitted on any item is not offered. An item without requested actions qualifies by holding
 *   the resource and its grant lists no actions (the right exists, its actions are not asked).
 *   Roles are not offered as resources (§9.6); rights that Altinn derives from roles or access
 *   packages are already reflected in `authorizedResources`.
 * - `organizationform` and deleted-status filtering as in every source (§9.7 step 1).
 * - Failures of either call (network, timeout, non-2xx, non-JSON, wrong shape, a PDP answer that
 *   cannot be mapped back to the questions or is Indeterminate) → AuthorisationSourceError.
 */
import { z } from 'zod';
import {
  AuthorisationSourceError,
  matchesOrganizationForm,
  ORGNO_PATTERN,
  type AuthorisationSource,
  type Party,
  type PartyGrant,
  type PartyQuery,
} from './authorisation-source.js';
import { buildPdpRequest, parsePdpResponse, PDP_PATH, questionKey, type PdpQuestion } from './altinn-pdp.js';
import { RAR_TYPE_ALTINN_SERVICE, RAR_TYPE_ORGNO, type NormalisedRar } from './rar-types.js';

const AUTHORIZED_PARTIES_PATH = '/accessmanagement/api/v1/resourceowner/authorizedparties?includeAltinn2=true';
const PERSON_IDENTIFIER_TYPE = 'urn:altinn:person:identifier-no';
export const DEFAULT_ALTINN_TIMEOUT_MS = 3000;
/** Refuse answers larger than this (a person rarely represents more than a few thousand parties). */
const MAX_ALTINN_RESPONSE_BYTES = 10 * 1024 * 1024;

interface AltinnAuthorisationSourceOptions {
  /** e.g. `https://platform.tt02.altinn.no` (no trailing path needed). */
  baseUrl: string;
  /** Whole-request timeout (connect, answer and body). Default 3000 ms. */
  timeoutMs?: number;
  /** Extra headers: `Authorization: Bearer …`, `Ocp-Apim-Subscription-Key: …`. */
  headers?: Record<string, string>;
  /** Injected fetch (tests); default the global fetch. */
  fetch?: typeof fetch;
  /** Display names of resources by bare id (the API does not return them). */
  resourceNames?: Record<string, string> | ((id: string) => string | undefined);
}

interface AltinnParty {
  partyUuid?: string | null | undefined;
  name?: string | null | undefined;
  organizationNumber?: string | null | undefined;
  type: string;
  unitType?: string | null | undefined;
  isDeleted?: boolean | null | undefined;
  onlyHierarchyElementWithNoAccess?: boolean | null | undefined;
  authorizedResources?: string[] | null | undefined;
  authorizedRoles?: string[] | null | undefined;
  subunits?: AltinnParty[] | null | undefined;
}

const altinnPartySchema: z.ZodType<AltinnParty> = z.lazy(() =>
  z.object({
    partyUuid: z.string().nullish(),
    name: z.string().nullish(),
    organizationNumber: z.string().nullish(),
    type: z.string(),
    unitType: z.string().nullish(),
    isDeleted: z.boolean().nullish(),
    onlyHierarchyElementWithNoAccess: z.boolean().nullish(),
    authorizedResources: z.array(z.string()).nullish(),
    authorizedRoles: z.array(z.string()).nullish(),
    subunits: z.array(altinnPartySchema).nullish(),
  }),
);
const answerSchema = z.array(altinnPartySchema);

export class AltinnAuthorisationSource implements AuthorisationSource {
  private readonly url: string;
  private readonly pdpUrl: string;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;
  private readonly fetchImpl: typeof fetch;
  private readonly names: (id: string) => string | undefined;

  constructor(options: AltinnAuthorisationSourceOptions) {
    this.url = options.baseUrl.replace(/\/+$/, '') + AUTHORIZED_PARTIES_PATH;
    this.pdpUrl = options.baseUrl.replace(/\/+$/, '') + PDP_PATH;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_ALTINN_TIMEOUT_MS;
    this.headers = options.headers ?? {};
    this.fetchImpl = options.fetch ?? fetch;
    const rn = options.resourceNames;
    this.names = typeof rn === 'function' ? rn : (id) => (rn !== undefined && Object.hasOwn(rn, id) ? rn[id] : undefined);
  }

  resourceName(id: string): string | undefined {
    return this.names(id);
  }

  async listParties(query: PartyQuery): Promise<Party[]> {
    // Altinn is not the source for ansattporten:orgno (Virksomhetsbroen is, §9.2), and it only
    // knows persons by national identity number.
    if (query.rar.type === RAR_TYPE_ORGNO || query.pid === undefined || query.rar.items.length === 0) return [];
    const answer = await this.fetchAuthorizedParties(query.pid);
    return this.confirmActions(query.pid, mapAuthorizedParties(answer, query.rar));
  }

  /** The raw, validated answer of the lookup. */
  async fetchAuthorizedParties(pid: string): Promise<AltinnParty[]> {
    const json = await this.postJson(this.url, { type: PERSON_IDENTIFIER_TYPE, value: pid }, 'Altinn authorized parties lookup', 'Altinn authorized parties answer');
    const parsed = answerSchema.safeParse(json);
    if (!parsed.success) {
      throw new AuthorisationSourceError(
        `Altinn authorized parties answer has an unexpected shape: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ')}`,
        { cause: parsed.error },
      );
    }
    return parsed.data;
  }

  /**
   * Narrow the candidates' grants to the actions the PDP permits (see the module comment). Items
   * without requested actions are not asked about (this includes every legacy service item: the
   * service model has no actions, §9.3).
   */
  async confirmActions(pid: string, candidates: Party[]): Promise<Party[]> {
    const questions: PdpQuestion[] = [];
    for (const p of candidates) {
      for (const g of p.grants) {
        for (const action of g.actions) questions.push({ resource: g.resourceId, party: { orgno: p.orgno }, action });
      }
    }
    if (questions.length === 0) return candidates;
    const json = await this.postJson(this.pdpUrl, buildPdpRequest({ pid }, questions), 'Altinn PDP decision', 'Altinn PDP answer');
    let decisions: Map<string, string>;
    try {
      decisions = parsePdpResponse(json, questions);
    } catch (err) {
      throw new AuthorisationSourceError(`Altinn ${(err as Error).message}`, { cause: err });
    }
    const out: Party[] = [];
    for (const p of candidates) {
      const grants: PartyGrant[] = [];
      for (const g of p.grants) {
        if (g.actions.length === 0) {
          grants.push(g);
          continue;
        }
        const resource = g.resourceId;
        const actions = g.actions.filter((action) => decisions.get(questionKey({ resource, party: { orgno: p.orgno }, action })) === 'Permit');
        if (actions.length > 0) grants.push({ resourceId: g.resourceId, actions });
      }
      if (grants.length > 0) out.push({ ...p, grants });
    }
    return out;
  }

  /** POST a JSON body and return the parsed JSON answer; every failure is an AuthorisationSourceError. */
  private async postJson(url: string, body: unknown, what: string, answer: string): Promise<unknown> {
    let res: Response;
    let text: string;
    try {
      res = await this.fetchImpl(url, {
        method: 'POST',
        headers: { ...this.headers, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new AuthorisationSourceError(`${what} failed: HTTP ${res.status}`);
      }
      const length = Number(res.headers.get('content-length') ?? '0');
      if (length > MAX_ALTINN_RESPONSE_BYTES) {
        await res.body?.cancel().catch(() => undefined);
        throw new AuthorisationSourceError(`${answer} is too large`);
      }
      text = await res.text();
    } catch (err) {
      if (err instanceof AuthorisationSourceError) throw err;
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
        throw new AuthorisationSourceError(`${what} timed out after ${this.timeoutMs} ms`, { cause: err });
      }
      throw new AuthorisationSourceError(`${what} failed: could not reach the API`, { cause: err });
    }
    if (text.length > MAX_ALTINN_RESPONSE_BYTES) throw new AuthorisationSourceError(`${answer} is too large`);
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new AuthorisationSourceError(`${answer} is not JSON`, { cause: err });
    }
  }
}

/** The ids under which a requested item may appear in `authorizedResources`. */
function candidateIds(resourceId: string, rar: NormalisedRar): string[] {
  if (rar.type !== RAR_TYPE_ALTINN_SERVICE) return [resourceId];
  const [code, edition] = resourceId.split(':');
  return [resourceId, `se_${code}_${edition}`];
}

/** Map a validated answer to the parties offered for `rar` (see the module comment). */
export function mapAuthorizedParties(answer: readonly AltinnParty[], rar: NormalisedRar): Party[] {
  const byOrgno = new Map<string, Party>();

  const visit = (p: AltinnParty, parent: string | null, path: string): void => {
    const isOrg = p.type === 'Organization';
    const orgno = p.organizationNumber ?? undefined;
    if (isOrg && (orgno === undefined || !ORGNO_PATTERN.test(orgno))) {
      throw new AuthorisationSourceError(
        `Altinn authorized parties answer has an organisation without a valid organizationNumber at ${path}`,
      );
    }
    if (isOrg && orgno !== undefined) {
      const deleted = p.isDeleted === true;
      const held = new Set(p.authorizedResources ?? []);
      const grants: PartyGrant[] = [];
      for (const item of rar.items) {
        if (item.resourceId === undefined || (deleted && !item.allowDeleted)) continue;
        if (!candidateIds(item.resourceId, rar).some((id) => held.has(id))) continue;
        grants.push({ resourceId: item.resourceId, actions: [...item.actions] });
      }
      const candidate: Party = {
        orgno,
        name: p.name ?? orgno,
        unit_type: p.unitType ?? '',
        parent_orgno: parent,
        deleted,
        grants,
      };
      const existing = byOrgno.get(orgno);
      if (existing === undefined) {
        byOrgno.set(orgno, candidate);
      } else {
        for (const g of grants) if (!existing.grants.some((e) => e.resourceId === g.resourceId)) existing.grants.push(g);
        existing.parent_orgno ??= parent;
      }
    }
    (p.subunits ?? []).forEach((s, i) => {
      visit(s, isOrg ? (orgno ?? null) : parent, `${path}.subunits.${i}`);
    });
  };
  answer.forEach((p, i) => {
    visit(p, null, String(i));
  });

  return [...byOrgno.values()].filter(
    (p) => p.grants.length > 0 && matchesOrganizationForm(p, rar.organizationform),
  );
}
