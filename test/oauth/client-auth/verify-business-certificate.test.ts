import { X509Certificate } from 'node:crypto';
import { SignJWT } from 'jose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_DEFAULTS, type Client, type StoredClient } from '../../../src/clients/client-types.js';
import { ManualClock } from '../../../src/core/clock.js';
import { OAuthError } from '../../../src/core/oauth-error.js';
import { normaliseSerial, parseCaPem, parseCrl, pemBlocks, type CertificateTrust } from '../../../src/oauth/client-auth/certificate-trust.js';
import { namesOrganisation, verifyBusinessCertificate } from '../../../src/oauth/client-auth/verify-business-certificate.js';
import { BUSINESS_CERTIFICATE_AMR, checkPrivateKeyJwt } from '../../../src/oauth/client-auth/verify-private-key-jwt.js';
import { MemoryEphemeralStore } from '../../../src/store/memory/memory-ephemeral-store.js';
import { makeBusinessCert, makeCa, makeCert, makeCrl, type TestCert } from './test-pki.js';

const ORGNO = '310900001';
const ISSUER = 'https://test.ansattporten.example';
const DAY = 24 * 3600_000;

let ca: TestCert;
let otherCa: TestCert;
let intermediate: TestCert;
let good: TestCert;
let goodSerialStyle: TestCert;
let viaIntermediate: TestCert;
let expired: TestCert;
let notYet: TestCert;
let revoked: TestCert;
let revokedUnderIntermediate: TestCert;
let wrongOrg: TestCert;
let untrusted: TestCert;
let sameSerialOtherCa: TestCert;
let trust: CertificateTrust;

beforeAll(async () => {
  ca = await makeCa('Test Business CA', 1);
  otherCa = await makeCa('Untrusted CA', 1);
  intermediate = await makeCa('Test Issuing CA', 2, ca);
  [good, goodSerialStyle, viaIntermediate, expired, notYet, revoked, revokedUnderIntermediate, wrongOrg, untrusted, sameSerialOtherCa] = await Promise.all([
    makeBusinessCert(ca, ORGNO, 100),
    makeBusinessCert(ca, ORGNO, 101, { style: 'serialNumber' }),
    makeBusinessCert(intermediate, ORGNO, 102),
    makeBusinessCert(ca, ORGNO, 103, { notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) }),
    makeBusinessCert(ca, ORGNO, 104, { notBefore: new Date(Date.now() + DAY), notAfter: new Date(Date.now() + 400 * DAY) }),
    makeBusinessCert(ca, ORGNO, 105),
    makeBusinessCert(intermediate, ORGNO, 106),
    makeBusinessCert(ca, '999888777', 107),
    makeBusinessCert(otherCa, ORGNO, 108),
    makeBusinessCert(otherCa, ORGNO, 100),
  ]);
  const crl = await makeCrl(ca, [105]);
  const intermediateCrl = await makeCrl(intermediate, [106]);
  const otherCrl = await makeCrl(otherCa, [100]); // same serial as `good`, but another issuer
  trust = {
    anchors: parseCaPem(ca.pem, 'ca.pem'),
    crls: [...(await parseCrl(crl.der, 'ca.crl')), ...(await parseCrl(Buffer.from(intermediateCrl.pem), 'int.crl')), ...(await parseCrl(otherCrl.der, 'other.crl'))],
  };
});

async function refusedWith(x5c: unknown, nowMs = Date.now(), orgno = ORGNO): Promise<string> {
  try {
    await verifyBusinessCertificate(x5c, trust, nowMs, orgno);
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    expect((e as OAuthError).error).toBe('invalid_client');
    expect((e as OAuthError).status).toBe(401);
    return (e as OAuthError).description;
  }
  throw new Error('the certificate was accepted');
}

describe('verifyBusinessCertificate', () => {
  it('accepts a certificate of a trusted CA naming the organisation (organizationIdentifier NTRNO-…) and returns its key', async () => {
    const key = await verifyBusinessCertificate([good.x5c], trust, Date.now(), ORGNO);
    expect(key.equals(new X509Certificate(good.der).publicKey)).toBe(true);
  });

  it('accepts the organisation number as subject serialNumber', async () => {
    await verifyBusinessCertificate([goodSerialStyle.x5c], trust, Date.now(), ORGNO);
  });

  it('accepts a chain through an intermediate CA given in x5c; refuses it without the intermediate', async () => {
    await verifyBusinessCertificate([viaIntermediate.x5c, intermediate.x5c], trust, Date.now(), ORGNO);
    expect(await refusedWith([viaIntermediate.x5c])).toMatch(/trusted CA/);
  });

  it('refuses an expired or not yet valid certificate (injected clock)', async () => {
    expect(await refusedWith([expired.x5c])).toMatch(/expired/);
    expect(await refusedWith([notYet.x5c])).toMatch(/expired|not yet valid/);
    expect(await refusedWith([good.x5c], Date.now() + 2 * 365 * DAY)).toMatch(/expired/);
  });

  it('refuses a certificate on its issuer\'s CRL, also under an intermediate', async () => {
    expect(await refusedWith([revoked.x5c])).toMatch(/revoked/);
    expect(await refusedWith([revokedUnderIntermediate.x5c, intermediate.x5c])).toMatch(/revoked/);
  });

  it('ignores a CRL of another CA listing the same serial number', async () => {
    expect(normaliseSerial(new X509Certificate(sameSerialOtherCa.der).serialNumber)).toBe(normaliseSerial(new X509Certificate(good.der).serialNumber));
    await verifyBusinessCertificate([good.x5c], trust, Date.now(), ORGNO);
  });

  it('ignores a CRL that is not signed by the issuer (a forged CRL with the issuer\'s name)', async () => {
    const impostor = await makeCert({ subject: [['2.5.4.6', 'NO'], ['2.5.4.3', 'Test Business CA']], ca: true, serial: 9 });
    const forged = await makeCrl(impostor, [100]);
    const t2 = { ...trust, crls: [...trust.crls, ...(await parseCrl(forged.der, 'forged.crl'))] };
    await verifyBusinessCertificate([good.x5c], t2, Date.now(), ORGNO);
  });

  it('refuses another organisation\'s certificate', async () => {
    expect(await refusedWith([wrongOrg.x5c])).toMatch(/organisation/);
    expect(await refusedWith([good.x5c], Date.now(), '999888777')).toMatch(/organisation/);
  });

  it('refuses a certificate of an untrusted CA, even with that CA in x5c', async () => {
    expect(await refusedWith([untrusted.x5c])).toMatch(/trusted CA/);
    expect(await refusedWith([untrusted.x5c, otherCa.x5c])).toMatch(/trusted CA/);
  });

  it('refuses a CA certificate as the client certificate, and garbage', async () => {
    expect(await refusedWith([intermediate.x5c])).toMatch(/CA certificate/);
    for (const bad of [[], 'abc', ['not base64!'], [Buffer.from('junk').toString('base64')], [1], Array(6).fill(good.x5c)]) {
      expect(await refusedWith(bad)).toMatch(/x5c/);
    }
  });

  it('namesOrganisation needs the exact number', async () => {
    const x = new X509Certificate(good.der);
    expect(await namesOrganisation(x, ORGNO)).toBe(true);
    expect(await namesOrganisation(x, '31090000')).toBe(false);
    expect(await namesOrganisation(x, '3109000011')).toBe(false);
  });
});

describe('trust store parsing', () => {
  it('reads several certificates from one PEM, and CRLs as PEM or DER', async () => {
    expect(parseCaPem(ca.pem + intermediate.pem, 'bundle.pem')).toHaveLength(2);
    const crl = await makeCrl(ca, [1, 2, 3]);
    expect([...(await parseCrl(crl.der, 'a'))[0]!.revoked]).toEqual(['1', '2', '3']);
    expect([...(await parseCrl(Buffer.from(crl.pem), 'b'))[0]!.revoked]).toEqual(['1', '2', '3']);
    expect(pemBlocks(crl.pem, 'X509 CRL')).toHaveLength(1);
  });

  it('refuses a non-CA certificate as trust anchor, an empty PEM, and a file that is not a CRL', async () => {
    expect(() => parseCaPem(good.pem, 'leaf.pem')).toThrow(/not a CA/);
    expect(() => parseCaPem('hello', 'empty.pem')).toThrow(/no PEM/);
    await expect(parseCrl(Buffer.from('not a crl'), 'x.crl')).rejects.toThrow(/not a CRL/);
  });
});

describe('checkPrivateKeyJwt with x5c (spec §7.4)', () => {
  let clock: ManualClock;
  let replay: MemoryEphemeralStore;
  let n = 0;
  const client = (over: Partial<Client> = {}): StoredClient => ({
    client: {
      ...CLIENT_DEFAULTS, token_endpoint_auth_method: 'private_key_jwt', grant_types: ['authorization_code'], scopes: ['openid'],
      client_id: 'biz', client_name: 'Biz', description: 'test', client_orgno: ORGNO, redirect_uris: ['https://biz.example.test/cb'],
      post_logout_redirect_uris: [], active: true, created: '2025-01-01T00:00:00.000Z', last_updated: '2025-01-01T00:00:00.000Z', ...over,
    },
  });
  beforeEach(() => {
    clock = new ManualClock();
    replay = new MemoryEphemeralStore(clock);
  });
  const assertion = (cert: TestCert, header: Record<string, unknown> = {}, signWith = cert.privateKey) => {
    const now = Math.floor(clock.now() / 1000);
    return new SignJWT({ iss: 'biz', sub: 'biz', aud: ISSUER, iat: now, exp: now + 60, jti: `j${++n}` })
      .setProtectedHeader({ alg: 'RS256', x5c: [cert.x5c], ...header }).sign(signWith);
  };
  const check = async (a: string, s = client(), certificates: CertificateTrust | null = trust) =>
    checkPrivateKeyJwt(s, a, { issuer: ISSUER, nowS: Math.floor(clock.now() / 1000), replay, certificates: certificates ?? undefined });
  async function refused(p: Promise<unknown>): Promise<string> {
    try {
      await p;
    } catch (e) {
      expect((e as OAuthError).error).toBe('invalid_client');
      return (e as OAuthError).description;
    }
    throw new Error('accepted');
  }

  it('accepts an assertion signed with the business certificate\'s key: client_amr virksomhetssertifikat', async () => {
    expect(BUSINESS_CERTIFICATE_AMR).toBe('virksomhetssertifikat');
    expect(await check(await assertion(good))).toEqual({ clientAmr: 'virksomhetssertifikat' });
  });

  it('refuses an assertion not signed by the certificate\'s key', async () => {
    expect(await refused(check(await assertion(good, {}, wrongOrg.privateKey)))).toMatch(/signature/);
  });

  it('still checks the claims and the jti', async () => {
    const a = await assertion(good);
    await check(a);
    expect(await refused(check(a))).toMatch(/jti/);
  });

  it('refuses x5c from a client that has registered keys (it must use kid)', async () => {
    const s = client({ jwks: { keys: [{ kty: 'RSA', kid: 'k', alg: 'RS256', n: 'x', e: 'AQAB' }] } });
    expect(await refused(check(await assertion(good), s))).toMatch(/kid/);
  });

  it('refuses x5c when no trust store is configured', async () => {
    expect(await refused(check(await assertion(good), client(), null))).toMatch(/trusted CA/);
  });

  it('refuses expired, revoked, wrong-organisation and untrusted certificates', async () => {
    for (const [c, why] of [[expired, /expired/], [revoked, /revoked/], [wrongOrg, /organisation/], [untrusted, /trusted CA/]] as const) {
      expect(await refused(check(await assertion(c)))).toMatch(why);
    }
  });
});
