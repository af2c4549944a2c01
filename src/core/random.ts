import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';

// CSPRNG output is drawn in 8 KiB batches: one system call serves many identifiers (a login uses
// about fifteen), as Node's own randomUUID cache does. Each byte is handed out once.
const POOL_SIZE = 8192;
let pool = Buffer.alloc(0);
let offset = POOL_SIZE;

function take(n: number): Buffer {
  if (n > POOL_SIZE) return randomBytes(n);
  if (offset + n > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + n);
  offset += n;
  return out;
}

/** URL-safe random identifier with `bytes` bytes of entropy (default 32 = 256 bits). */
export function randomId(bytes = 32): string {
  return take(bytes).toString('base64url');
}

export function sha256b64url(input: string | Buffer): string {
  return createHash('sha256').update(input).digest('base64url');
}

/** Constant-time string comparison (length leak only). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) {
    // compare against itself to spend comparable time
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}
