import { X509Certificate, type KeyObject } from 'node:crypto';
import { loadPkijs, normaliseSerial, type CertificateTrust, type Crl } from './certificate-trust.js';
import { invalidClient } from './client-auth-types.js';

const MAX_CHAIN = 5;
const OID_ORGANIZATION_IDENTIFIER = '2.5.4.97';
const OID_SERIAL_NUMBER = '2.5.4.5';

/**
 * Checks the certificate chain of a client assertion's `x5c` header (RFC 7515 §4.1.6) as a
 * Norwegian business certificate (spec §7.4): it chains to a trusted CA through the CA
 * certificates that follow it, every certificate is valid at `nowMs`, none is on a configured
 * CRL (RFC 5280 §6.3, the CRL signed by the certificate's issuer), and the subject names the
 * client's organisation: organizationIdentifier `NTRNO-<orgno>` (ETSI EN 319 412-1 §5.1.4) or
 * serialNumber `<orgno>`. Returns the key that must verify the assertion.
 */
export async function verifyBusinessCertificate(x5c: unknown, trust: CertificateTrust, nowMs: number, orgno: string): Promise<KeyObject> {
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > MAX_CHAIN || !x5c.every((c) => typeof c === 'string' && c.length < 16_384)) {
    throw invalidClient('x5c must be a certificate chain of 1 to 5 base64 DER certificates');
  }
  let certs: X509Certificate[];
  try {
    certs = (x5c as string[]).map((c) => {
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(c)) throw new Error('not base64');
      return new X509Certificate(Buffer.from(c, 'base64'));
    });
  } catch {
    throw invalidClient('x5c does not hold valid certificates');
  }
  const leaf = certs[0]!;
  if (leaf.ca) throw invalidClient('the x5c certificate is a CA certificate, not a business certificate');

  // Path: leaf, intermediates from x5c, then a trust anchor (RFC 5280 §6.1).
  const path: X509Certificate[] = [leaf];
  let anchor: X509Certificate | undefined;
  for (let current = leaf; path.length <= MAX_CHAIN;) {
    anchor = trust.anchors.find((a) => issuedBy(current, a));
    if (anchor) break;
    const next = certs.slice(1).find((c) => c.ca && !path.includes(c) && issuedBy(current, c));
    if (!next) break;
    path.push(next);
    current = next;
  }
  if (!anchor) throw invalidClient('the x5c certificate does not chain to a trusted CA');

  for (const c of [...path, anchor]) {
    if (!validAt(c, nowMs)) throw invalidClient(c === leaf ? 'the x5c certificate has expired or is not yet valid' : 'a CA certificate of the x5c chain has expired or is not yet valid');
  }
  for (let i = 0; i < path.length; i++) {
    const issuer = path[i + 1] ?? anchor;
    if (await isRevoked(path[i]!, issuer, trust.crls)) throw invalidClient(i === 0 ? 'the x5c certificate is revoked' : 'a CA certificate of the x5c chain is revoked');
  }
  if (!(await namesOrganisation(leaf, orgno))) throw invalidClient('the x5c certificate does not belong to the client\'s organisation');
  return leaf.publicKey;
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function validAt(cert: X509Certificate, nowMs: number): boolean {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  return Number.isFinite(from) && Number.isFinite(to) && from <= nowMs && nowMs <= to;
}

/** Whether a CRL issued (and signed) by `issuer` lists `cert`. */
async function isRevoked(cert: X509Certificate, issuer: X509Certificate, crls: Crl[]): Promise<boolean> {
  const serial = normaliseSerial(cert.serialNumber);
  const candidates = crls.filter((c) => c.revoked.has(serial));
  if (candidates.length === 0) return false;
  const pkijs = await loadPkijs();
  const issuerPki = pkijs.Certificate.fromBER(new Uint8Array(issuer.raw));
  for (const c of candidates) {
    if (!c.crl.issuer.isEqual(issuerPki.subject)) continue;
    try {
      if (await c.crl.verify({ issuerCertificate: issuerPki })) return true;
    } catch {
      // a CRL that does not verify with this issuer's key says nothing about its certificates
    }
  }
  return false;
}

/** The subject's organizationIdentifier is NTRNO-<orgno>, or its serialNumber is <orgno>. */
export async function namesOrganisation(cert: X509Certificate, orgno: string): Promise<boolean> {
  const pkijs = await loadPkijs();
  const pki = pkijs.Certificate.fromBER(new Uint8Array(cert.raw));
  for (const tv of pki.subject.typesAndValues) {
    const value = (tv.value as { valueBlock?: { value?: unknown } }).valueBlock?.value;
    if (typeof value !== 'string') continue;
    if (tv.type === OID_ORGANIZATION_IDENTIFIER && value === `NTRNO-${orgno}`) return true;
    if (tv.type === OID_SERIAL_NUMBER && value === orgno) return true;
  }
  return false;
}
