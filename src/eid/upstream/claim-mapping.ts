import type { Acr } from '../../oauth/authorize/authorization-request.js';

export type Preset = 'idporten' | 'entraid' | 'oidc';

/** What an upstream login tells us about the person, in our terms. */
export interface UpstreamIdentity {
  acr: Acr;
  amr: string[];
  pid?: string;
  /** Stable per person: the pid, or the upstream's issuer and subject. */
  subjectRef: string;
  claims: Record<string, unknown>;
}

export interface MappingOptions {
  preset: Preset;
  issuer: string;
  claimMapping?: Partial<Record<'pid' | 'email' | 'given_name' | 'family_name' | 'name' | 'groups', string>>;
  acrMapping?: Record<string, Acr>;
}

export class MappingError extends Error {
  override name = 'MappingError';
}

const MAX_GROUPS = 20;
const ID_PORTEN_ACR: Record<string, Acr> = {
  'idporten-loa-substantial': 'substantial',
  'idporten-loa-high': 'high',
  substantial: 'substantial',
  high: 'high',
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= 512 ? v : undefined);
/** An own entry of a string-keyed table: a non-string acr, or "constructor"/"__proto__", finds nothing. */
const lookup = <T>(table: Record<string, T> | undefined, key: unknown): T | undefined =>
  table !== undefined && typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;

/** Entra's "email domain owner verified" optional claim: a boolean, sometimes sent as a string. */
const isTrue = (v: unknown): boolean => v === true || v === 'true' || v === '1' || v === 1;

/**
 * The e-mail address in `claim`, lower-cased, unless the upstream says it is not verified:
 * `email_verified` false (OIDC Core §5.1) or, for Entra ID, `xms_edov` present and not true.
 */
function vouchedEmail(c: Record<string, unknown>, claim: string, entra: boolean): string | undefined {
  const email = str(c[claim]);
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) return undefined;
  if (c.email_verified === false || c.email_verified === 'false') return undefined;
  if (entra && c.xms_edov !== undefined && !isTrue(c.xms_edov)) return undefined;
  return email.toLowerCase();
}

/**
 * Maps a verified upstream id_token to our identity (spec §8.1, §8.2, §16):
 * - idporten: pid, acr idporten-loa-substantial|high → substantial|high, amr passed through;
 * - entraid: acr "entraid", amr prefixed "entraid_", email, given_name, family_name, the first 20 groups, no pid;
 * - oidc: configured claim names and acr mapping.
 */
export function mapUpstreamClaims(c: Record<string, unknown>, o: MappingOptions): UpstreamIdentity {
  const sub = str(c.sub);
  if (!sub) throw new MappingError('the upstream id_token has no sub');
  const amrIn = Array.isArray(c.amr) ? c.amr.filter((a): a is string => typeof a === 'string').slice(0, 10) : [];
  const names: Record<string, unknown> = {};
  const m = o.claimMapping ?? {};
  const pick = (key: 'given_name' | 'family_name' | 'name') => str(c[m[key] ?? key]);
  for (const key of ['given_name', 'family_name', 'name'] as const) {
    const v = pick(key);
    if (v) names[key] = v;
  }
  if (!names.name && names.given_name && names.family_name) names.name = `${names.given_name as string} ${names.family_name as string}`;

  switch (o.preset) {
    case 'idporten': {
      const pid = str(c[m.pid ?? 'pid']);
      if (!pid || !/^\d{11}$/.test(pid)) throw new MappingError('the ID-porten id_token has no valid pid');
      const acr = lookup(ID_PORTEN_ACR, c.acr);
      if (!acr) throw new MappingError(`unsupported upstream acr "${String(c.acr).slice(0, 40)}"`);
      return { acr, amr: amrIn, pid, subjectRef: pid, claims: names };
    }
    case 'entraid': {
      // Only an address Entra vouches for: the `email` claim, and only when the domain is verified
      // (`xms_edov`, where sent). Never preferred_username or upn: a tenant's administrator can set
      // those to any address, including one in another organisation's domain, and employer rules
      // match on the e-mail (src/representation/employer-rules.ts).
      const email = vouchedEmail(c, m.email ?? 'email', true);
      const claims: Record<string, unknown> = { ...names };
      if (email) claims.email = email;
      // The tenant, for employer rules limited to tenants (`match.tenants`); not released in tokens.
      const tenant = str(c.tid);
      if (tenant) claims.tid = tenant.toLowerCase();
      const groupsRaw = c[m.groups ?? 'groups'];
      if (Array.isArray(groupsRaw)) claims.groups = groupsRaw.filter((g): g is string => typeof g === 'string').slice(0, MAX_GROUPS);
      const tid = str(c.tid);
      const oid = str(c.oid);
      const subjectRef = tid && oid ? `entraid:${tid}:${oid}` : `${o.issuer}#${sub}`;
      return { acr: 'entraid', amr: amrIn.map((a) => `entraid_${a}`), subjectRef, claims };
    }
    case 'oidc': {
      const pid = m.pid ? str(c[m.pid]) : undefined;
      if (pid !== undefined && !/^\d{11}$/.test(pid)) throw new MappingError('the upstream pid claim is not 11 digits');
      const claims: Record<string, unknown> = { ...names };
      const email = vouchedEmail(c, m.email ?? 'email', false);
      if (email) claims.email = email;
      if (m.groups && Array.isArray(c[m.groups])) claims.groups = (c[m.groups] as unknown[]).filter((g): g is string => typeof g === 'string').slice(0, MAX_GROUPS);
      const acr = o.acrMapping ? lookup(o.acrMapping, c.acr) : 'substantial';
      if (!acr) throw new MappingError(`unsupported upstream acr "${String(c.acr).slice(0, 40)}"`);
      return { acr, amr: amrIn, pid, subjectRef: pid ?? `${o.issuer}#${sub}`, claims };
    }
  }
}

/** The acr values an eID of this preset can deliver, unless configured. */
export function defaultAcr(preset: Preset): Acr[] {
  return preset === 'entraid' ? ['entraid'] : ['substantial', 'high'];
}

/** The acr_values to ask the upstream for, given what our client asked. */
export function upstreamAcrValues(preset: Preset, requested: readonly Acr[]): string | undefined {
  if (preset !== 'idporten') return undefined;
  if (requested.includes('substantial')) return 'idporten-loa-substantial';
  if (requested.includes('high')) return 'idporten-loa-high';
  return undefined;
}
