/**
 * The PDP half of the Altinn-compatible test servers: answers an XACML JSON multi-request
 * (`POST /authorization/api/v1/authorize`) the way docs/altinn-pdp.md describes, one Result per
 * RequestReference, echoing the IncludeInResult attributes in `Category`.
 */
export type Decide = (q: { orgno?: string; partyId?: string; resource: string; action: string; subject: string }) => 'Permit' | 'Deny' | 'NotApplicable';

interface Attr { AttributeId: string; Value: string; IncludeInResult?: boolean }
interface Entry { Id: string; Attribute: Attr[] }

export function pdpAnswer(body: string, decide: Decide): unknown {
  const req = (JSON.parse(body) as { Request: { AccessSubject: Entry[]; Action: Entry[]; Resource: Entry[]; MultiRequests: { RequestReference: { ReferenceId: string[] }[] } } }).Request;
  const byId = new Map<string, { cat: string; e: Entry }>();
  for (const [cat, list] of [
    ['urn:oasis:names:tc:xacml:1.0:subject-category:access-subject', req.AccessSubject],
    ['urn:oasis:names:tc:xacml:3.0:attribute-category:action', req.Action],
    ['urn:oasis:names:tc:xacml:3.0:attribute-category:resource', req.Resource],
  ] as const) for (const e of list) byId.set(e.Id, { cat, e });
  return {
    Response: req.MultiRequests.RequestReference.map((ref) => {
      const parts = ref.ReferenceId.map((id) => byId.get(id)!);
      const get = (id: string) => parts.flatMap((p) => p.e.Attribute).find((a) => a.AttributeId === id)?.Value;
      const decision = decide({
        subject: get('urn:altinn:person:identifier-no') ?? get('urn:altinn:userid')!,
        action: get('urn:oasis:names:tc:xacml:1.0:action:action-id')!,
        resource: get('urn:altinn:resource')!,
        ...(get('urn:altinn:organization:identifier-no') ? { orgno: get('urn:altinn:organization:identifier-no') } : {}),
        ...(get('urn:altinn:partyid') ? { partyId: get('urn:altinn:partyid') } : {}),
      });
      return {
        Decision: decision,
        Status: { StatusCode: { Value: 'urn:oasis:names:tc:xacml:1.0:status:ok' } },
        Category: parts.map((p) => ({ CategoryId: p.cat, Attribute: p.e.Attribute.filter((a) => a.IncludeInResult) })),
      };
    }),
  };
}

export const PDP_PATH = '/authorization/api/v1/authorize';
export const PARTIES_PATH = '/accessmanagement/api/v1/resourceowner/authorizedparties?includeAltinn2=true';
