/**
 * The real entry point (`npx tsx src/main.ts`) with a bad environment variable: exit code 2, one
 * line on stderr naming the variable and the allowed values, no stack trace, nothing listening.
 */
import { describe, expect, it } from 'vitest';
import { runMain } from './run-main.js';

const run = (extra: Record<string, string>) => runMain(extra);

describe('npx tsx src/main.ts with a bad environment variable', () => {
  it('LOG_LEVEL=verbose: exit 2, the variable and the allowed values on stderr, no stack trace', async () => {
    const r = await run({ LOG_LEVEL: 'verbose' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toBe('ansattporten: configuration error: LOG_LEVEL: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent" (got "verbose")');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).not.toContain('issuer:');
  }, 90_000);

  it('EPHEMERAL_STORE=typo and HOST=not a host: exit 2 naming the variable', async () => {
    const a = await run({ EPHEMERAL_STORE: 'typo' });
    expect(a.code, a.stderr).toBe(2);
    expect(a.stderr).toContain('EPHEMERAL_STORE: Invalid option: expected one of "memory"|"sqlite" (got "typo")');
    expect(a.stderr).not.toMatch(/\n\s+at /);
    const b = await run({ HOST: 'not a host' });
    expect(b.code, b.stderr).toBe(2);
    expect(b.stderr).toContain('HOST: must be an IP address or a host name (got "not a host")');
  }, 120_000);

  it('production with a weak ADMIN_TOKEN: exit 2 naming ADMIN_TOKEN', async () => {
    const r = await run({ NODE_ENV: 'production', ISSUER: 'https://login.example.test', ADMIN_TOKEN: 'a'.repeat(40) });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('configuration error: production mode refuses this ADMIN_TOKEN: it is one repeated character');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 90_000);
});
