import { createPrivateKey, sign as rsaSign, type JsonWebKey as NodeJwk, type KeyObject } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, calculateJwkThumbprint, type JWK, type JWTPayload } from 'jose';
import type { Clock } from '../core/clock.js';
import type { KeyStore, SigningKeyRecord } from '../store/ports.js';

type CryptoKeyLike = Awaited<ReturnType<typeof importJWK>>;

export async function generateSigningKey(clock: Clock, state: SigningKeyRecord['state']): Promise<SigningKeyRecord> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const now = clock.now();
  return {
    kid,
    alg: 'RS256',
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' } as Record<string, unknown>,
    publicJwk: { ...publicJwk, kid, alg: 'RS256', use: 'sig' } as Record<string, unknown>,
    state,
    createdAt: now,
    activatedAt: state === 'current' ? now : undefined,
  };
}

/**
 * The provider's RS256 signing keys: one current key signs; `next` and recently `retired` keys are
 * published in the JWKS too, so clients that cache the JWKS never meet an unknown kid.
 */
export class SigningKeys {
  private current?: { kid: string; key: KeyObject };
  private jwksJson = '{"keys":[]}';
  private verifyKeys = new Map<string, CryptoKeyLike>();

  constructor(private readonly store: KeyStore, private readonly clock: Clock) {}

  /** Loads keys from the store (the caller makes sure a current key exists: KeyRotation.ensureKeys). */
  async init(): Promise<void> {
    await this.load(await this.store.listSigningKeys());
  }

  async reload(): Promise<void> {
    await this.load(await this.store.listSigningKeys());
  }

  private async load(keys: SigningKeyRecord[]): Promise<void> {
    const now = this.clock.now();
    const published = keys.filter((k) => k.state !== 'retired' || (k.publishUntil ?? 0) > now);
    // Of several current keys (two instances started at once), the oldest wins everywhere.
    const current = keys.filter((k) => k.state === 'current').sort((a, b) => a.createdAt - b.createdAt || a.kid.localeCompare(b.kid))[0];
    if (!current) throw new Error('no current signing key');
    this.current = { kid: current.kid, key: createPrivateKey({ key: current.privateJwk as NodeJwk, format: 'jwk' }) };
    const verify = new Map<string, CryptoKeyLike>();
    for (const k of published) verify.set(k.kid, await importJWK(k.publicJwk as JWK, 'RS256'));
    this.verifyKeys = verify;
    this.jwksJson = JSON.stringify({ keys: published.map((k) => k.publicJwk) });
  }

  get currentKid(): string {
    if (!this.current) throw new Error('signing keys not initialised');
    return this.current.kid;
  }

  /** The published JWKS document, serialised once per key change. */
  jwks(): string {
    return this.jwksJson;
  }

  verificationKey(kid: string): CryptoKeyLike | undefined {
    return this.verifyKeys.get(kid);
  }

  /**
   * A JWS in compact serialisation (RFC 7515 §7.1) with RS256 (RFC 7518 §3.3: RSASSA-PKCS1-v1_5
   * with SHA-256), signed with node:crypto on libuv's thread pool (the callback form of
   * crypto.sign). The RSA work (about 0.27 ms a signature here) then leaves the event loop: the
   * main thread spends about 0.02 ms a signature, so requests in flight are not held up and one
   * process serves more logins before its main thread is the limit (p99 at 4 logins in flight
   * 15.5 → 12.6 ms in the same bench run, total CPU the same within the run's noise). jose would
   * sign through WebCrypto, whose JavaScript layer costs several times more per call. Verification
   * (ours and every client's) stays with jose, and the tests verify every token they get with jose
   * against the published JWKS.
   */
  async sign(payload: JWTPayload, typ: string = 'JWT'): Promise<string> {
    const { input, key } = this.signingInput(payload, typ);
    const signature = await new Promise<Buffer>((resolve, reject) => {
      rsaSign('sha256', Buffer.from(input, 'utf8'), key, (err, sig) => (err ? reject(err) : resolve(sig)));
    });
    return `${input}.${signature.toString('base64url')}`;
  }

  /**
   * Several JWSs for one response (the token endpoint's access token and ID token), in the order
   * given. All but the last go to the thread pool as `sign` does; the last is signed here, on the
   * event loop, while the pool signs the others. The response waits about as long as for one
   * signature either way, and each response saves one hand-off to the pool and back: a cross-thread
   * wake-up each way, dearer the busier the machine (`npm run bench:ab` on a 2-core VM: 0.3–1.4 %
   * less CPU a login when quiet, 3–4 % when busy; p50 lower, p99 no worse). A single JWS goes to
   * the pool: signing it here would hold up the other requests in flight without saving the wait.
   */
  async signAll(items: readonly { payload: JWTPayload; typ: string }[]): Promise<string[]> {
    const last = items.at(-1);
    if (!last) return [];
    if (items.length === 1) return [await this.sign(last.payload, last.typ)];
    const pooled = items.slice(0, -1).map((i) => this.sign(i.payload, i.typ));
    let here: string;
    try {
      const { input, key } = this.signingInput(last.payload, last.typ);
      here = `${input}.${rsaSign('sha256', Buffer.from(input, 'utf8'), key).toString('base64url')}`;
    } catch (err) {
      await Promise.allSettled(pooled); // nothing left running unobserved
      throw err;
    }
    return [...(await Promise.all(pooled)), here];
  }

  /** The JWS signing input (RFC 7515 §5.1: BASE64URL(header) '.' BASE64URL(payload)) and the key to sign it with. */
  private signingInput(payload: JWTPayload, typ: string): { input: string; key: KeyObject } {
    if (!this.current) throw new Error('signing keys not initialised');
    const input = `${b64url(JSON.stringify({ alg: 'RS256', kid: this.current.kid, typ }))}.${b64url(JSON.stringify(payload))}`;
    return { input, key: this.current.key };
  }
}

const b64url = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');
