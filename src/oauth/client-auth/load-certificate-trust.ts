import { readFileSync } from 'node:fs';
import { loadPkijs, parseCaPem, parseCrl, type CertificateTrust } from './certificate-trust.js';

/**
 * Reads the trust store for business certificates from the configured files (read once, at
 * start; a restart picks up new CRLs). Undefined when no CA is configured: then `x5c` client
 * assertions are refused.
 */
export async function loadCertificateTrust(cfg: { trusted_cas: string[]; crls: string[] } | undefined): Promise<CertificateTrust | undefined> {
  if (!cfg || cfg.trusted_cas.length === 0) return undefined;
  await loadPkijs(); // here, at start, rather than in the first client authentication with x5c
  const anchors = cfg.trusted_cas.flatMap((f) => parseCaPem(readFileSync(f, 'utf8'), f));
  const crls: CertificateTrust['crls'] = [];
  for (const f of cfg.crls) crls.push(...(await parseCrl(readFileSync(f), f)));
  return { anchors, crls };
}
