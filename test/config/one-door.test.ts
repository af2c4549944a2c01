/**
 * "Configuration has one door": no module reads an environment variable except through the
 * configuration schema (src/config/env-vars.ts lists every variable with its schema key). A new
 * variable belongs in that list, in the schema of src/config/config.ts and in the table of
 * test/config/env-vars.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|mts|mjs|js)$/.test(n) ? [p] : [];
  });
}

/** Where process.env may appear: the loader's default and the entry points handing it over. */
const PROCESS_ENV_ALLOWED = new Set(['src/config/config.ts', 'src/cli/cli-context.ts']);
/** The one variable read outside the schema: the path of the configuration file itself. */
const NAMED_ALLOWED: Record<string, string[]> = { 'src/config/config.ts': ['CONFIG_FILE'] };

describe('every environment variable goes through the configuration schema', () => {
  it('no module outside src/config reads process.env or a named variable', () => {
    const offences: string[] = [];
    for (const f of [...files(join(ROOT, 'src')), ...files(join(ROOT, 'bin'))]) {
      const rel = relative(ROOT, f).split('\\').join('/');
      const text = readFileSync(f, 'utf8');
      if (/process\.env/.test(text) && !PROCESS_ENV_ALLOWED.has(rel)) offences.push(`${rel}: process.env`);
      for (const m of text.matchAll(/\benv(?:\.|\[['"`])([A-Z][A-Z0-9_]+)/g)) {
        if (!(NAMED_ALLOWED[rel] ?? []).includes(m[1]!)) offences.push(`${rel}: ${m[0]}`);
      }
    }
    expect(offences).toEqual([]);
  });
});
