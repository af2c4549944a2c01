import { randomId, sha256b64url } from '../core/random.js';
import type { EphemeralStore } from '../store/ports.js';
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

const NS = 'code';
const USED_NS = 'code-used';

export async function createCode(store: EphemeralStore, rec: CodeRecord, ttlSeconds: number): Promise<string> {
  const code = randomId(32);
  await store.put(NS, sha256b64url(code), rec, ttlSeconds);
  return code;
}

/** Atomically consumes a code: of two concurrent redemptions exactly one gets the record. */
export async function takeCode(store: EphemeralStore, code: string): Promise<CodeRecord | undefined> {
  if (code.length > 200) return undefined;
  return store.take<CodeRecord>(NS, sha256b64url(code));
}

/** Remembers which grant a redeemed code produced, so a second redemption can revoke it. */
export async function markCodeUsed(store: EphemeralStore, code: string, grantId: string, ttlSeconds: number): Promise<void> {
  await store.put(USED_NS, sha256b64url(code), grantId, ttlSeconds);
}

export async function grantOfUsedCode(store: EphemeralStore, code: string): Promise<string | undefined> {
  if (code.length > 200) return undefined;
  return store.get<string>(USED_NS, sha256b64url(code));
}
