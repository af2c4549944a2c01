import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

export interface DpopKey {
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  privateJwk: JWK;
}

export async function dpopKey(alg = 'ES256'): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, privateKey, publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey) };
}

/** A DPoP proof; `header`/`claims` override or (with undefined) remove fields. */
export async function makeProof(
  key: DpopKey, opts: { htm?: string; htu: string; iat: number; ath?: string; header?: Record<string, unknown>; claims?: Record<string, unknown>; signWith?: CryptoKey },
): Promise<string> {
  const claims: Record<string, unknown> = { jti: randomUUID(), htm: opts.htm ?? 'POST', htu: opts.htu, iat: opts.iat, ...(opts.ath ? { ath: opts.ath } : {}), ...opts.claims };
  const header: Record<string, unknown> = { typ: 'dpop+jwt', alg: key.alg, jwk: key.publicJwk, ...opts.header };
  for (const o of [claims, header]) for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return new SignJWT(claims).setProtectedHeader(header as never).sign(opts.signWith ?? key.privateKey);
}
