/**
 * A simple, conservative estimate of a secret's strength, used to refuse weak secrets in
 * production (ADMIN_TOKEN, METRICS_TOKEN, client secrets of the clients file).
 *
 * The estimate is length × log2(alphabet), where the alphabet is the sum of the sizes of the
 * character classes that occur (lowercase 26, uppercase 26, digits 10, other printable ASCII 33,
 * anything else 128). It is an upper bound for a randomly generated secret and says nothing about
 * a chosen password, so it only catches the obviously weak: short tokens, one repeated character,
 * few distinct characters. A secret of one repeated character has 0 bits; a secret with fewer than
 * four distinct characters is limited to length × log2(distinct characters).
 */

/** The minimum for secrets that guard an API (NIST SP 800-63B §5.1.1.2 asks 112; 128 is common). */
export const MIN_SECRET_BITS = 128;

const CLASSES: ReadonlyArray<{ test: RegExp; size: number }> = [
  { test: /[a-z]/, size: 26 },
  { test: /[A-Z]/, size: 26 },
  { test: /[0-9]/, size: 10 },
  { test: /[\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E ]/, size: 33 },
  { test: /[^\x20-\x7E]/, size: 128 },
];

/** Estimated bits of entropy of `secret` (see the module comment). */
export function estimateEntropyBits(secret: string): number {
  const chars = [...secret];
  if (chars.length === 0) return 0;
  const distinct = new Set(chars).size;
  if (distinct === 1) return 0;
  let alphabet = 0;
  for (const c of CLASSES) if (c.test.test(secret)) alphabet += c.size;
  // few distinct symbols: the secret cannot carry more than log2(distinct) bits per character
  const perChar = Math.log2(distinct < 4 ? Math.min(distinct, alphabet) : alphabet);
  return chars.length * perChar;
}

/** Why `secret` is too weak (a sentence fragment for an error message), or undefined when it is strong enough. */
export function weakSecretReason(secret: string, minBits: number = MIN_SECRET_BITS): string | undefined {
  const chars = [...secret];
  if (chars.length > 0 && new Set(chars).size === 1) return 'is one repeated character';
  const bits = estimateEntropyBits(secret);
  if (bits < minBits) return `has too little entropy (about ${Math.floor(bits)} bits estimated, at least ${minBits} needed; generate one, e.g. \`openssl rand -base64 32\`)`;
  return undefined;
}
