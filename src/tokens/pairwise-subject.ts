import { createHmac } from 'node:crypto';

/** Pairwise `sub`: stable per person and client, different across clients, not reversible. */
export function pairwiseSubject(salt: string, clientId: string, personRef: string): string {
  return createHmac('sha256', salt).update(clientId).update('\0').update(personRef).digest('base64url');
}
