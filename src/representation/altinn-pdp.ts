/**
 * The XACML mapping for Altinn's Policy Decision Point (PDP), `POST {base}/authorization/api/v1/authorize`.
 * Altinn 3 speaks the JSON Profile of XACML 3.0 (OASIS "JSON Profile of XACML 3.0 Version 1.1"):
 * a Request with attribute categories (AccessSubject, Action, Resource), a MultiRequests element
 * whose RequestReferences combine category entries by their `Id` (XACML 3.0 Multiple Decision
 * Profile §2.4), and a Response array with one Result per reference. Attributes sent with
 * `IncludeInResult: true` come back in each Result's `Category` list (XACML 3.0 Core §5.46), which
 * is how an answer is mapped back to the (party, resource, action) it decides.
 *
 * Pure: builds the request and parses the answer; the HTTP call lives in altinn-source.ts.
 * The shapes are written down in docs/altinn-pdp.md (a local Altinn-compatible server answers
 * the same format).
 */
import { z } from 'zod';

export const PDP_PATH = '/authorization/api/v1/authorize';

export const XACML = {
  category: {
    subject: 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject',
    action: 'urn:oasis:names:tc:xacml:3.0:attribute-category:action',
    resource: 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource',
  },
  actionId: 'urn:oasis:names:tc:xacml:1.0:action:action-id',
  personId: 'urn:altinn:person:identifier-no',
  userId: 'urn:altinn:userid',
  resource: 'urn:altinn:resource',
  orgno: 'urn:altinn:organization:identifier-no',
  partyId: 'urn:altinn:partyid',
  string: 'http://www.w3.org/2001/XMLSchema#string',
} as const;

/** The person asking (exactly one of the two identifiers). */
export type PdpSubject = { pid: string } | { userId: string };

/** One question: may the subject perform `action` on `resource` for the party? */
export interface PdpQuestion {
  /** Altinn resource id as registered in the resource registry, e.g. `eksempel-tjeneste`. */
  resource: string;
  /** The party: organisation number (preferred) or Altinn party id. */
  party: { orgno: string } | { partyId: string };
  action: string;
}

export type PdpDecision = 'Permit' | 'Deny' | 'NotApplicable' | 'Indeterminate';

interface JsonAttribute {
  AttributeId: string;
  Value: string;
  DataType?: string;
  IncludeInResult?: boolean;
}
interface JsonCategoryEntry {
  Id: string;
  Attribute: JsonAttribute[];
}

export interface PdpRequest {
  Request: {
    ReturnPolicyIdList: false;
    AccessSubject: JsonCategoryEntry[];
    Action: JsonCategoryEntry[];
    Resource: JsonCategoryEntry[];
    MultiRequests: { RequestReference: { ReferenceId: string[] }[] };
  };
}

const attr = (id: string, value: string): JsonAttribute => ({ AttributeId: id, Value: value, DataType: XACML.string, IncludeInResult: true });

const partyKey = (p: PdpQuestion['party']): string => ('orgno' in p ? `o:${p.orgno}` : `p:${p.partyId}`);
/** A key that identifies one question; the parser answers by the same key. */
export const questionKey = (q: PdpQuestion): string => JSON.stringify([q.resource, partyKey(q.party), q.action]);

/**
 * One multi-request for all the questions: one subject, each distinct action once, each distinct
 * (resource, party) once, and one RequestReference per question.
 */
export function buildPdpRequest(subject: PdpSubject, questions: readonly PdpQuestion[]): PdpRequest {
  const actions = new Map<string, string>();
  const resources = new Map<string, { id: string; q: PdpQuestion }>();
  const refs: { ReferenceId: string[] }[] = [];
  const seen = new Set<string>();
  for (const q of questions) {
    const k = questionKey(q);
    if (seen.has(k)) continue;
    seen.add(k);
    if (!actions.has(q.action)) actions.set(q.action, `a${actions.size + 1}`);
    const rk = JSON.stringify([q.resource, partyKey(q.party)]);
    if (!resources.has(rk)) resources.set(rk, { id: `r${resources.size + 1}`, q });
    refs.push({ ReferenceId: ['s1', actions.get(q.action)!, resources.get(rk)!.id] });
  }
  return {
    Request: {
      ReturnPolicyIdList: false,
      AccessSubject: [{
        Id: 's1',
        Attribute: ['pid' in subject ? attr(XACML.personId, subject.pid) : attr(XACML.userId, subject.userId)],
      }],
      Action: [...actions].map(([action, id]) => ({ Id: id, Attribute: [attr(XACML.actionId, action)] })),
      Resource: [...resources.values()].map(({ id, q }) => ({
        Id: id,
        Attribute: [
          attr(XACML.resource, q.resource),
          'orgno' in q.party ? attr(XACML.orgno, q.party.orgno) : attr(XACML.partyId, q.party.partyId),
        ],
      })),
      MultiRequests: { RequestReference: refs },
    },
  };
}

export class PdpAnswerError extends Error {
  override name = 'PdpAnswerError';
}

const attributeSchema = z.looseObject({ AttributeId: z.string(), Value: z.unknown() });
const categorySchema = z.looseObject({ CategoryId: z.string(), Attribute: z.array(attributeSchema).nullish() });
const resultSchema = z.looseObject({
  Decision: z.enum(['Permit', 'Deny', 'NotApplicable', 'Indeterminate']),
  Category: z.array(categorySchema).nullish(),
});
const responseSchema = z.looseObject({ Response: z.array(resultSchema) });

/** Short names some XACML JSON writers use for the standard categories (JSON Profile §4.2.2.1). */
const CATEGORY_ALIASES: Record<string, string> = {
  AccessSubject: XACML.category.subject,
  Action: XACML.category.action,
  Resource: XACML.category.resource,
};

function attributeValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (Array.isArray(v) && v.length === 1) return attributeValue(v[0]);
  return undefined;
}

/**
 * The decisions of a PDP answer, by questionKey. Every question must be answered exactly once:
 * a result that cannot be mapped back to a question, a question left unanswered, two different
 * decisions for one question or an `Indeterminate` decision (the PDP could not decide) make the
 * whole answer unusable (PdpAnswerError) — the caller never guesses.
 */
export function parsePdpResponse(json: unknown, questions: readonly PdpQuestion[]): Map<string, PdpDecision> {
  const parsed = responseSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new PdpAnswerError(`PDP answer has an unexpected shape: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  const wanted = new Set(questions.map(questionKey));
  const out = new Map<string, PdpDecision>();
  parsed.data.Response.forEach((r, idx) => {
    const found: Record<string, string> = {};
    for (const c of r.Category ?? []) {
      const cat = CATEGORY_ALIASES[c.CategoryId] ?? c.CategoryId;
      for (const a of c.Attribute ?? []) {
        const v = attributeValue(a.Value);
        if (v !== undefined) found[`${cat} ${a.AttributeId}`] = v;
      }
    }
    const action = found[`${XACML.category.action} ${XACML.actionId}`];
    const resource = found[`${XACML.category.resource} ${XACML.resource}`];
    const orgno = found[`${XACML.category.resource} ${XACML.orgno}`];
    const partyId = found[`${XACML.category.resource} ${XACML.partyId}`];
    if (action === undefined || resource === undefined || (orgno === undefined && partyId === undefined)) {
      throw new PdpAnswerError(`PDP answer Response[${idx}] does not name its action, resource and party`);
    }
    const key = questionKey({ resource, action, party: orgno !== undefined ? { orgno } : { partyId: partyId! } });
    if (!wanted.has(key)) throw new PdpAnswerError(`PDP answer Response[${idx}] answers a question that was not asked`);
    if (r.Decision === 'Indeterminate') throw new PdpAnswerError(`PDP could not decide Response[${idx}] (Indeterminate)`);
    const before = out.get(key);
    if (before !== undefined && before !== r.Decision) throw new PdpAnswerError(`PDP answer decides Response[${idx}] twice, differently`);
    out.set(key, r.Decision);
  });
  for (const k of wanted) if (!out.has(k)) throw new PdpAnswerError('PDP answer leaves a question unanswered');
  return out;
}
