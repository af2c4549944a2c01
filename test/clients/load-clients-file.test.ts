import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadClientsFile, parseClientsFile, ClientsFileError, MIN_SECRET_LENGTH } from '../../src/clients/load-clients-file.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const DEV = { production: false, now: NOW };
const PROD = { production: true, now: NOW };
const SECRET8 = 'abcdefgh';
/** 32 characters with enough variety for production (src/core/secret-entropy.ts). */
const SECRET32 = 'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF';

function web(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    client_id: id,
    client_name: `Klient ${id}`,
    client_orgno: '991825827',
    redirect_uris: [`https://${id}.example.no/cb`],
    client_secret: SECRET32,
    ...extra,
  };
}
const spa = (id: string, extra: Record<string, unknown> = {}) => ({
  client_id: id,
  client_name: 'SPA',
  client_orgno: '991825827',
  application_type: 'browser',
  redirect_uris: ['https://spa.example.no/cb'],
  ...extra,
});

function errorOf(fn: () => unknown): ClientsFileError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ClientsFileError);
    return e as ClientsFileError;
  }
  throw new Error('expected a ClientsFileError');
}
const msg = (json: unknown, opts = DEV) => errorOf(() => parseClientsFile(json, 'clients.json', opts)).message;

describe('parseClientsFile', () => {
  it('returns clients with their secrets', () => {
    const r = parseClientsFile([web('a'), spa('b'), web('c', { token_endpoint_auth_method: 'private_key_jwt', client_secret: undefined })], 'clients.json', PROD);
    expect(r).toHaveLength(3);
    expect(r[0]!.client.client_id).toBe('a');
    expect(r[0]!.client_secret).toBe(SECRET32);
    expect(r[0]!.client).not.toHaveProperty('client_secret');
    expect(r[0]!.client.created).toBe(new Date(NOW).toISOString());
    expect(r[1]!.client.token_endpoint_auth_method).toBe('none');
    expect(r[1]).not.toHaveProperty('client_secret');
    expect(r[2]).not.toHaveProperty('client_secret');
  });

  it('accepts an empty array', () => {
    expect(parseClientsFile([], 'clients.json', DEV)).toEqual([]);
  });

  it('generates a client_id when absent', () => {
    const e = web('x');
    delete e.client_id;
    const r = parseClientsFile([e], 'clients.json', DEV);
    expect(r[0]!.client.client_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([{}, null, 'x', 1])('rejects a non-array root %j', (v) => {
    expect(msg(v)).toMatch(/^clients\.json: must be a JSON array of client objects/);
  });

  it('rejects non-object entries', () => {
    expect(msg([web('a'), 5, []])).toBe('clients.json: [1]: must be a JSON object (got number)\nclients.json: [2]: must be a JSON object (got array)');
  });

  it('names file, entry, client_id and field (the documented example)', () => {
    expect(msg([web('a'), web('my-app', { redirect_uris: ['/cb'] })])).toBe(
      'clients.json: [1] (client_id "my-app"): redirect_uris[0]: must be an absolute URL ("/cb")',
    );
  });

  it('names the entry by index only when client_id is unknown', () => {
    const e = web('a', { redirect_uris: 'x' });
    delete e.client_id;
    expect(msg([e])).toBe('clients.json: [0]: redirect_uris: must be an array (got string)');
  });

  it('reports all problems of all entries, and exposes them', () => {
    const err = errorOf(() => parseClientsFile([web('a', { scopes: ['profile'] }), web('b', { foo: 1 })], 'c.json', DEV));
    expect(err.problems).toEqual(['[0] (client_id "a"): scopes: must contain "openid"', '[1] (client_id "b"): foo: unknown field']);
    expect(err.message.split('\n')).toEqual([
      'c.json: [0] (client_id "a"): scopes: must contain "openid"',
      'c.json: [1] (client_id "b"): foo: unknown field',
    ]);
  });

  it('rejects duplicate client_ids', () => {
    expect(msg([web('a'), web('b'), web('a')])).toBe('clients.json: [2] (client_id "a"): client_id: duplicate client_id (also [0])');
  });

  it('detects duplicates even when an earlier entry is invalid', () => {
    const m = msg([web('a', { scopes: [] }), web('a')]);
    expect(m).toContain('[1] (client_id "a"): client_id: duplicate client_id (also [0])');
  });

  describe('client_secret', () => {
    it('is required for client_secret_basic and client_secret_post', () => {
      expect(msg([web('a', { client_secret: undefined })])).toBe(
        'clients.json: [0] (client_id "a"): client_secret: is required for token_endpoint_auth_method "client_secret_basic"',
      );
      expect(msg([web('a', { client_secret: null, token_endpoint_auth_method: 'client_secret_post' })])).toContain(
        'client_secret: is required for token_endpoint_auth_method "client_secret_post"',
      );
    });

    it('is reported as required even when the entry has other errors', () => {
      const m = msg([web('a', { client_secret: undefined, scopes: ['x'] })]);
      expect(m).toContain('scopes: must contain "openid"');
      expect(m).toContain('client_secret: is required');
    });

    it('must not be given for private_key_jwt or public clients', () => {
      expect(msg([web('a', { token_endpoint_auth_method: 'private_key_jwt' })])).toBe(
        'clients.json: [0] (client_id "a"): client_secret: must not be set for token_endpoint_auth_method "private_key_jwt"',
      );
      expect(msg([spa('b', { client_secret: SECRET32 })])).toContain('client_secret: must not be set for token_endpoint_auth_method "none"');
    });

    it('has a minimum length: 8 outside production, 32 in production', () => {
      expect(MIN_SECRET_LENGTH).toEqual({ production: 32, test: 8 });
      expect(parseClientsFile([web('a', { client_secret: SECRET8 })], 'clients.json', DEV)[0]!.client_secret).toBe(SECRET8);
      expect(msg([web('a', { client_secret: 'short' })], DEV)).toBe(
        'clients.json: [0] (client_id "a"): client_secret: must be at least 8 characters (got 5)',
      );
      expect(msg([web('a', { client_secret: SECRET8 })], PROD)).toBe(
        'clients.json: [0] (client_id "a"): client_secret: must be at least 32 characters in production (got 8)',
      );
      expect(parseClientsFile([web('a', { client_secret: SECRET32 })], 'clients.json', PROD)[0]!.client_secret).toBe(SECRET32);
    });

    it('production refuses a secret with little entropy (one repeated character, few distinct characters), naming the client and field', () => {
      const weak = 'a'.repeat(16) + 'B'.repeat(16);
      expect(parseClientsFile([web('a', { client_secret: weak })], 'clients.json', DEV)[0]!.client_secret).toBe(weak);
      expect(msg([web('a', { client_secret: weak })], PROD)).toBe(
        'clients.json: [0] (client_id "a"): client_secret: is refused in production: it has too little entropy (about 32 bits estimated, at least 128 needed; generate one, e.g. `openssl rand -base64 32`)',
      );
      expect(msg([web('a', { client_secret: 'x'.repeat(64) })], PROD)).toBe(
        'clients.json: [0] (client_id "a"): client_secret: is refused in production: it is one repeated character',
      );
    });

    it('must be a printable ASCII string', () => {
      expect(msg([web('a', { client_secret: 12345678 })])).toContain('client_secret: must be a string (got number)');
      expect(msg([web('a', { client_secret: 'abc defgh' })])).toContain('client_secret: must consist of printable ASCII characters');
      expect(msg([web('a', { client_secret: 'æøåæøåæøå' })])).toContain('client_secret: must consist of printable ASCII characters');
    });
  });

  it('applies production URI rules', () => {
    expect(msg([web('a', { redirect_uris: ['http://a.example.no/cb'] })], PROD)).toBe(
      'clients.json: [0] (client_id "a"): redirect_uris[0]: must use https in production ("http://a.example.no/cb")',
    );
    expect(parseClientsFile([web('a', { redirect_uris: ['http://localhost:3000/cb'] })], 'clients.json', DEV)).toHaveLength(1);
  });

  it('truncates a very long list of problems', () => {
    const entries = Array.from({ length: 30 }, (_, i) => web(`c${i}`, { scopes: [] }));
    const lines = msg(entries).split('\n');
    expect(lines).toHaveLength(26);
    expect(lines[25]).toBe('clients.json: ... and 5 more problem(s)');
  });
});

describe('loadClientsFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'clients-test-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads a valid file', () => {
    const p = join(dir, 'clients.json');
    writeFileSync(p, JSON.stringify([web('a'), spa('b')], null, 2));
    const r = loadClientsFile(p, DEV);
    expect(r.map((x) => x.client.client_id)).toEqual(['a', 'b']);
  });

  it('names the file for a missing file', () => {
    const p = join(dir, 'missing.json');
    const e = errorOf(() => loadClientsFile(p, DEV));
    expect(e.message).toMatch(/cannot read clients file \(ENOENT/);
    expect(e.message.startsWith(`${p}: `)).toBe(true);
  });

  it('names the file for invalid JSON', () => {
    const p = join(dir, 'bad.json');
    writeFileSync(p, '[{"client_id": }]');
    const e = errorOf(() => loadClientsFile(p, DEV));
    expect(e.message.startsWith(`${p}: invalid JSON: `)).toBe(true);
  });

  it('names the file for validation problems', () => {
    const p = join(dir, 'invalid.json');
    writeFileSync(p, JSON.stringify([web('my-app', { redirect_uris: ['/cb'] })]));
    expect(() => loadClientsFile(p, DEV)).toThrow(`${p}: [0] (client_id "my-app"): redirect_uris[0]: must be an absolute URL ("/cb")`);
  });
});

describe('parseClientsFile: API scopes (spec §15.4)', () => {
  const facts = {
    scope: (n: string) => (n === 'api:privat' ? { name: n, prefix: 'api', subscope: 'privat', description: 'x', active: true, owner_orgno: '310000248', allowed_integration_types: ['ansattporten'], accessible_for_all: false, requires_pseudonymous_tokens: false, token_type: 'SELF_CONTAINED' as const, visibility: 'PUBLIC' as const, created: '', last_updated: '' } : undefined),
    approved: (n: string, o: string) => n === 'api:privat' && o === '310000256',
  };
  it('a client may list only scopes that exist and are accessible to its organisation; problems name the scope', () => {
    expect(() => parseClientsFile([web('a', { scopes: ['openid', 'api:privat'] })], 'c.json', { ...DEV, scopeFacts: facts })).toThrow(ClientsFileError);
    try {
      parseClientsFile([web('a', { scopes: ['openid', 'api:privat', 'api:ukjent'] })], 'c.json', { ...DEV, scopeFacts: facts });
    } catch (e) {
      expect((e as ClientsFileError).problems).toEqual([
        '[0] (client_id "a"): scopes[1]: the scope "api:privat" is not accessible to organisation 991825827',
        '[0] (client_id "a"): scopes[2]: the scope "api:ukjent" does not exist',
      ]);
    }
    expect(parseClientsFile([web('b', { client_orgno: '310000256', scopes: ['openid', 'api:privat'] })], 'c.json', { ...DEV, scopeFacts: facts })[0]!.client.scopes).toEqual(['openid', 'api:privat']);
  });
});
