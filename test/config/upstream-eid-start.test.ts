/**
 * The real entry point with an upstream eID on an http issuer off loopback and no allow_insecure:
 * exit code 2 and one line naming the eID, before anything listens (src/eid/upstream/upstream-issuer-rule.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from './run-main.js';

const run = (configFile: string) => runMain({ CONFIG_FILE: configFile });

describe('npx tsx src/main.ts with an http upstream eID off loopback', () => {
  it('exit 2 naming the eID, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ap-upstream-cfg-'));
    try {
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ eids: [{ id: 'corp', preset: 'oidc', issuer: 'http://idp.corp.example', client_id: 'c', client_secret: 's' }] }));
      const r = await run(file);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim()).toBe('ansattporten: configuration error: eids: the upstream eID "corp" has an http issuer that is not on a loopback address ("http://idp.corp.example"): use https, or set allow_insecure: true for a test upstream (never in production)');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
