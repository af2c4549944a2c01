/**
 * Validation of scope definitions (spec §15.4), shared by the fixtures file, the admin API and the
 * CLI: the same field names, defaults and limits everywhere.
 */
import { z } from 'zod';
import { isValidOrgno } from '../core/orgno.js';
import {
  BUILT_IN_SCOPES, PREFIX_RE, SCOPE_ACCESS_STATES, SCOPE_NAME_RE, SCOPE_TOKEN_TYPES, SCOPE_VISIBILITIES, splitScopeName,
  type ApiScope, type ScopeAccessState,
} from './scope-types.js';

/** A scope as defined (without the times the provider sets). */
export type ScopeDefinition = Omit<ApiScope, 'created' | 'last_updated'>;

/** The longest lifetime a scope may set (one year), in seconds. */
export const MAX_SCOPE_SECONDS = 365 * 24 * 3600;

const text = z.string().regex(/\S/, { error: 'must not be empty' });

export const orgnoField = z.string().superRefine((s, ctx) => {
  if (!/^[0-9]{9}$/.test(s)) ctx.addIssue({ code: 'custom', message: `must be 9 digits (${JSON.stringify(s)})` });
  else if (!isValidOrgno(s)) ctx.addIssue({ code: 'custom', message: `check digit mismatch (${JSON.stringify(s)})` });
});

export const prefixField = z.string().regex(PREFIX_RE, {
  error: (iss) => `must be lower-case letters, digits, "-" or "_" (at most 64, starting with a letter or digit) (${JSON.stringify(iss.input)})`,
});

export const scopeNameField = z.string().superRefine((s, ctx) => {
  if (!SCOPE_NAME_RE.test(s)) ctx.addIssue({ code: 'custom', message: `must be "<prefix>:<subscope>" with a lower-case prefix and a subscope of letters, digits and "._:/-" (${JSON.stringify(s)})` });
  else if (BUILT_IN_SCOPES.has(s)) ctx.addIssue({ code: 'custom', message: `is a built-in scope (${JSON.stringify(s)})` });
});

const seconds = z.number().int({ error: 'must be a whole number of seconds' }).min(1, { error: 'must be at least 1 second' })
  .max(MAX_SCOPE_SECONDS, { error: `must be at most ${MAX_SCOPE_SECONDS} seconds (one year)` });

/** The fields of a scope as written in a request body or a fixtures entry. */
export const scopeInputSchema = z.strictObject({
  name: scopeNameField.optional(),
  prefix: prefixField.optional(),
  subscope: z.string().optional(),
  description: text.max(1000),
  long_description: z.string().max(10_000).optional(),
  active: z.boolean().default(true),
  owner_orgno: orgnoField.optional(),
  allowed_integration_types: z.array(z.enum(['idporten', 'api_klient', 'ansattporten', 'maskinporten', 'krr', 'eformidling'])).default(['ansattporten']),
  accessible_for_all: z.boolean().default(false),
  requires_pseudonymous_tokens: z.boolean().default(false),
  at_max_age: seconds.optional(),
  authorization_max_lifetime: seconds.optional(),
  token_type: z.enum(SCOPE_TOKEN_TYPES as [string, ...string[]]).default('SELF_CONTAINED'),
  visibility: z.enum(SCOPE_VISIBILITIES as [string, ...string[]]).default('PUBLIC'),
});

export type ScopeInput = z.output<typeof scopeInputSchema>;

/**
 * The definition a valid input describes: `name`, or `prefix` + `subscope`, (consistent when both
 * are given); owner_orgno from the input. Problem paths are relative to the entry.
 */
export function normaliseScopeInput(input: ScopeInput): { scope?: Omit<ScopeDefinition, 'owner_orgno'> & { owner_orgno?: string }; problems: { path: string; message: string }[] } {
  const problems: { path: string; message: string }[] = [];
  let name = input.name;
  if (name === undefined) {
    if (input.prefix === undefined || input.subscope === undefined) {
      problems.push({ path: 'name', message: 'is required (or "prefix" and "subscope")' });
      return { problems };
    }
    name = `${input.prefix}:${input.subscope}`;
    if (!SCOPE_NAME_RE.test(name)) {
      problems.push({ path: 'subscope', message: `must be letters, digits and "._:/-" (${JSON.stringify(input.subscope)})` });
      return { problems };
    }
  }
  const parts = splitScopeName(name);
  if (!parts) return { problems: [{ path: 'name', message: `must be "<prefix>:<subscope>" (${JSON.stringify(name)})` }] };
  if (input.prefix !== undefined && input.prefix !== parts.prefix) problems.push({ path: 'prefix', message: `does not match the name (${JSON.stringify(input.prefix)})` });
  if (input.subscope !== undefined && input.subscope !== parts.subscope) problems.push({ path: 'subscope', message: `does not match the name (${JSON.stringify(input.subscope)})` });
  if (problems.length > 0) return { problems };
  const scope: Omit<ScopeDefinition, 'owner_orgno'> & { owner_orgno?: string } = {
    name, prefix: parts.prefix, subscope: parts.subscope, description: input.description.trim(),
    active: input.active,
    allowed_integration_types: [...new Set(input.allowed_integration_types)],
    accessible_for_all: input.accessible_for_all,
    requires_pseudonymous_tokens: input.requires_pseudonymous_tokens,
    token_type: input.token_type as ApiScope['token_type'],
    visibility: input.visibility as ApiScope['visibility'],
  };
  if (input.owner_orgno !== undefined) scope.owner_orgno = input.owner_orgno;
  if (input.long_description !== undefined) scope.long_description = input.long_description;
  if (input.at_max_age !== undefined) scope.at_max_age = input.at_max_age;
  if (input.authorization_max_lifetime !== undefined) scope.authorization_max_lifetime = input.authorization_max_lifetime;
  return { scope, problems };
}

export const prefixInputSchema = z.strictObject({ prefix: prefixField, owner_orgno: orgnoField.optional() });

export const accessInputSchema = z.strictObject({
  scope: scopeNameField,
  consumer_orgno: orgnoField,
  state: z.enum(SCOPE_ACCESS_STATES as [string, ...string[]]).default('APPROVED'),
});

export type AccessState = ScopeAccessState;
