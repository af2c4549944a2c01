import { X509Certificate } from 'node:crypto';
import type { CertificateRevocationList } from 'pkijs';

/**
 * pkijs (and asn1js under it), imported on first use, which is at start when `client_certificates`
 * is configured (load-certificate-trust.ts): only such a deployment parses CRLs or checks business
 * certificates, and the library holds 2.3 MB of heap (test/e2e/built-start.test.ts).
 */
let pkijsModule: Promise<typeof import('pkijs')> | undefined;
export function loadPkijs(): Promise<typeof import('pkijs')> {
  pkijsModule ??= import('pkijs');
  return pkijsModule;
}

/** A parsed certificate revocation list (RFC 5280 §5). */
export interface Crl {
  crl: CertificateRevocationList;
  /** Serial numbers listed as revoked, as upper-case hex without leading zeros. */
  revoked: Set<string>;
}

/**
 * What business certificates (virksomhetssertifikat) are checked against: the trusted CAs and
 * the revocation lists that are configured (`client_certificates` in the configuration).
 */
export interface CertificateTrust {
  anchors: X509Certificate[];
  crls: Crl[];
}

/** Upper-case hex without leading zeros: one spelling for a serial number from any source. */
export function normaliseSerial(hex: string): string {
  const s = hex.replace(/[^0-9a-f]/gi, '').toUpperCase().replace(/^0+/, '');
  return s === '' ? '0' : s;
}

const PEM = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** The DER blocks of a PEM text with the given label (several certificates may share a file). */
export function pemBlocks(text: string, label: string): Buffer[] {
  return [...text.matchAll(PEM)].filter((m) => m[1] === label).map((m) => Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64'));
}

/** Parses the CA certificates of one PEM file (one or more CERTIFICATE blocks). */
export function parseCaPem(text: string, where: string): X509Certificate[] {
  const blocks = pemBlocks(text, 'CERTIFICATE');
  if (blocks.length === 0) throw new Error(`${where}: no PEM CERTIFICATE found`);
  return blocks.map((der) => {
    const cert = new X509Certificate(der);
    if (!cert.ca) throw new Error(`${where}: ${cert.subject.replace(/\n/g, ', ')} is not a CA certificate`);
    return cert;
  });
}

/** Parses a CRL given as PEM (X509 CRL blocks) or DER. */
export async function parseCrl(data: Buffer, where: string): Promise<Crl[]> {
  const pkijs = await loadPkijs();
  const text = data.toString('latin1');
  const ders = text.includes('-----BEGIN X509 CRL-----') ? pemBlocks(text, 'X509 CRL') : [data];
  return ders.map((der) => {
    let crl: CertificateRevocationList;
    try {
      crl = pkijs.CertificateRevocationList.fromBER(new Uint8Array(der));
    } catch (e) {
      throw new Error(`${where}: not a CRL (${(e as Error).message})`);
    }
    const revoked = new Set((crl.revokedCertificates ?? []).map((r) => normaliseSerial(Buffer.from(r.userCertificate.valueBlock.valueHexView).toString('hex'))));
    return { crl, revoked };
  });
}
