import { randomId, sha256b64url } from '../core/random.js';
import type { OAuthError } from '../core/oauth-error.js';
import type { CounterLimit, EphemeralStore, ShortLivedPut } from '../store/ports.js';
import { shortLived } from '../store/short-lived.js';
import type { ClientContext } from '../session/browser-session.js';

/** What a code stands for until it is redeemed once. */
export interface CodeRecord {
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  nonce?: string;
  scope: string;
  sid: string;
  resource?: string;
  authorizationDetails?: unknown[];
  context: ClientContext;
}


/** A new code and its record, to be stored with the other writes of the step that issues it. */
export function newCode(rec: CodeRecord, ttlSeconds: number): { code: string; write: ShortLivedPut } {
  const code = randomId(32);
  return { code, write: { ns: 'code', key: sha256b64url(code), value: rec, ttlSeconds } };
}

export async function createCode(store: EphemeralStore, rec: CodeRecord, ttlSeconds: number): Promise<string> {
  const { code, write } = newCode(rec, ttlSeconds);
  await shortLived<CodeRecord>(store, 'code').put(write.key, rec, ttlSeconds);
  return code;
}

/**
 * Atomically consumes a code: of two concurrent redemptions exactly one gets the record. With
 * `usedBy`, the same step remembers which grant the redemption is creating, so a second
 * redemption can revoke it (RFC 6749 §4.1.2).
 */
export async function takeCode(
  store: EphemeralStore, code: string, usedBy?: { grantId: string; ttlSeconds: number }, unless?: { condition: CounterLimit; error: () => OAuthError },
): Promise<CodeRecord | undefined> {
  if (code.length > 200) return undefined;
  const key = sha256b64url(code);
  const used = usedBy ? { put: [shortLived<string>(store, 'code-used').record(key, usedBy.grantId, usedBy.ttlSeconds)] } : {};
  if (!unless) return shortLived<CodeRecord>(store, 'code').takeAndWrite(key, used);
  // The client's failed-authentication limit, in the same step: while it holds, the code stays.
  const r = await shortLived<CodeRecord>(store, 'code').takeAndWriteUnless(key, used, unless.condition);
  if (r.refused) throw unless.error();
  return r.value;
}

export async function grantOfUsedCode(store: EphemeralStore, code: string): Promise<string | undefined> {
  if (code.length > 200) return undefined;
  return shortLived<string>(store, 'code-used').get(sha256b64url(code));
}
