/**
 * A tiny PKI for tests, made fresh in each run (no committed keys): CAs, business certificates
 * (virksomhetssertifikat-like subjects) and CRLs, built with pkijs and Web Crypto.
 */
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) };
const DAY = 24 * 3600_000;

export interface TestCert {
  der: Buffer;
  /** base64 DER, as in a JWS x5c header (RFC 7515 §4.1.6). */
  x5c: string;
  pem: string;
  privateKey: webcrypto.CryptoKey;
  publicKey: webcrypto.CryptoKey;
  pki: pkijs.Certificate;
}

/** [OID, value] pairs; 2.5.4.5 (serialNumber) is a PrintableString, the others UTF8String. */
export type Dn = [string, string][];

function rdn(dn: Dn): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: dn.map(([type, value]) => new pkijs.AttributeTypeAndValue({
      type, value: type === '2.5.4.5' ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value }),
    })),
  });
}

const pem = (label: string, der: Buffer) => `-----BEGIN ${label}-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;

export async function makeCert(opts: {
  subject: Dn; issuer?: TestCert; ca?: boolean; serial: number; notBefore?: Date; notAfter?: Date;
}): Promise<TestCert> {
  const keys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: opts.serial });
  cert.subject = rdn(opts.subject);
  cert.issuer = opts.issuer ? opts.issuer.pki.subject : rdn(opts.subject);
  cert.notBefore.value = opts.notBefore ?? new Date(Date.now() - DAY);
  cert.notAfter.value = opts.notAfter ?? new Date(Date.now() + 365 * DAY);
  const bc = new pkijs.BasicConstraints({ cA: !!opts.ca });
  cert.extensions = [new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: bc.toSchema().toBER(false), parsedValue: bc })];
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey as CryptoKey);
  await cert.sign((opts.issuer?.privateKey ?? keys.privateKey) as CryptoKey, 'SHA-256');
  const der = Buffer.from(cert.toSchema(true).toBER(false));
  return { der, x5c: der.toString('base64'), pem: pem('CERTIFICATE', der), privateKey: keys.privateKey, publicKey: keys.publicKey, pki: cert };
}

export const makeCa = (cn: string, serial = 1, issuer?: TestCert) => makeCert({ subject: [['2.5.4.6', 'NO'], ['2.5.4.3', cn]], ca: true, serial, issuer });

/** A business certificate for an organisation number, like Buypass/Commfides issue. */
export const makeBusinessCert = (ca: TestCert, orgno: string, serial: number, opts: { notBefore?: Date; notAfter?: Date; style?: 'organizationIdentifier' | 'serialNumber' } = {}) =>
  makeCert({
    subject: [['2.5.4.6', 'NO'], ['2.5.4.10', 'FIKTIV BEDRIFT AS'], opts.style === 'serialNumber' ? ['2.5.4.5', orgno] : ['2.5.4.97', `NTRNO-${orgno}`], ['2.5.4.3', 'FIKTIV BEDRIFT AS']],
    issuer: ca, serial, notBefore: opts.notBefore, notAfter: opts.notAfter,
  });

/** A CRL of `issuer` listing the given serial numbers; DER and PEM. */
export async function makeCrl(issuer: TestCert, serials: number[]): Promise<{ der: Buffer; pem: string }> {
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = issuer.pki.subject;
  crl.thisUpdate = new pkijs.Time({ type: 0, value: new Date(Date.now() - 3600_000) });
  crl.nextUpdate = new pkijs.Time({ type: 0, value: new Date(Date.now() + 7 * DAY) });
  crl.revokedCertificates = serials.map((s) => new pkijs.RevokedCertificate({
    userCertificate: new asn1js.Integer({ value: s }),
    revocationDate: new pkijs.Time({ type: 0, value: new Date(Date.now() - 60_000) }),
  }));
  await crl.sign(issuer.privateKey as CryptoKey, 'SHA-256');
  const der = Buffer.from(crl.toSchema(true).toBER(false));
  return { der, pem: pem('X509 CRL', der) };
}
