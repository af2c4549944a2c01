import { randomId, sha256b64url } from '../core/random.js';
import type { EphemeralStore } from '../store/ports.js';
import { shortLived } from '../store/short-lived.js';
import type { ClientContext } from '../session/browser-session.js';

/** What a code stands for until it is redeemed once. */
interface CodeRecord {
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


export async function createCode(store: EphemeralStore, rec: CodeRecord, ttlSeconds: number): Promise<string> {
  const code = randomId(32);
  await shortLived<CodeRecord>(store, 'code').put(sha256b64url(code), rec, ttlSeconds);
  return code;
}

/** Atomically consumes a code: of two concurrent redemptions exactly one gets the record. */
export async function takeCode(store: EphemeralStore, code: string): Promise<CodeRecord | undefined> {
  if (code.length > 200) return undefined;
  return shortLived<CodeRecord>(store, 'code').take(sha256b64url(code));
}

/** Remembers which grant a redeemed code produced, so a second redemption can revoke it. */
export async function markCodeUsed(store: EphemeralStore, code: string, grantId: string, ttlSeconds: number): Promise<void> {
  await shortLived<string>(store, 'code-used').put(sha256b64url(code), grantId, ttlSeconds);
}

export async function grantOfUsedCode(store: EphemeralStore, code: string): Promise<string | undefined> {
  if (code.length > 200) return undefined;
  return shortLived<string>(store, 'code-used').get(sha256b64url(code));
}
