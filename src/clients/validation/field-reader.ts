/**
 * Typed access to the fields of an untrusted client object: each reader returns the value, or
 * pushes an error naming the field (e.g. `redirect_uris[1]`) and returns undefined/null.
 * JSON null counts as absent everywhere.
 */
import { typeName } from '../../core/json-value.js';

export interface FieldError {
  field: string;
  message: string;
}

/** A value quoted as JSON, for messages. */
export const q = (v: unknown): string => JSON.stringify(v);

export interface FieldReader {
  readonly errors: FieldError[];
  /** The value of a field, with JSON null treated as absent. */
  get(k: string): unknown;
  optString(k: string): string | undefined;
  optBool(k: string): boolean | undefined;
  /** undefined when absent, null when present but not one of `allowed`. */
  optEnum<T extends string>(k: string, allowed: readonly T[]): T | undefined | null;
  /** `def` when absent, undefined when invalid. */
  optPosInt(k: string, def: number): number | undefined;
  /** An array of strings; reports per-element type errors and duplicates; undefined if absent, null if invalid. */
  optStringArray(k: string): string[] | undefined | null;
}

export function fieldReader(input: Record<string, unknown>, errors: FieldError[]): FieldReader {
  const get = (k: string): unknown => (input[k] === null ? undefined : input[k]);
  const ofType = <T>(k: string, type: 'string' | 'boolean'): T | undefined => {
    const v = get(k);
    if (v === undefined) return undefined;
    if (typeof v !== type) {
      errors.push({ field: k, message: `must be a ${type} (got ${typeName(v)})` });
      return undefined;
    }
    return v as T;
  };
  return {
    errors,
    get,
    optString: (k) => ofType<string>(k, 'string'),
    optBool: (k) => ofType<boolean>(k, 'boolean'),
    optEnum<T extends string>(k: string, allowed: readonly T[]): T | undefined | null {
      const v = get(k);
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
        errors.push({ field: k, message: `must be one of ${allowed.map(q).join(', ')} (got ${q(v)})` });
        return null;
      }
      return v as T;
    },
    optPosInt(k, def) {
      const v = get(k);
      if (v === undefined) return def;
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
        errors.push({ field: k, message: `must be a positive integer number of seconds (got ${q(v)})` });
        return undefined;
      }
      return v;
    },
    optStringArray(k) {
      const v = get(k);
      if (v === undefined) return undefined;
      if (!Array.isArray(v)) {
        errors.push({ field: k, message: `must be an array (got ${typeName(v)})` });
        return null;
      }
      const seen = new Map<string, number>();
      let bad = false;
      v.forEach((item: unknown, i) => {
        if (typeof item !== 'string') {
          errors.push({ field: `${k}[${i}]`, message: `must be a string (got ${typeName(item)})` });
          bad = true;
          return;
        }
        const prev = seen.get(item);
        if (prev !== undefined) {
          errors.push({ field: `${k}[${i}]`, message: `duplicate of ${k}[${prev}] (${q(item)})` });
          bad = true;
        } else seen.set(item, i);
      });
      return bad ? null : (v as string[]);
    },
  };
}
