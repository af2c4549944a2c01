import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarise, shortUrl, type CpuProfile } from '../../bench/profile-summary.js';
import { CookieJar, pathOf } from '../../bench/lib/http-client.js';

const repo = `${pathToFileURL(resolve(import.meta.dirname, '../..')).href}/`;
const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({
  id, callFrame: { functionName, url, lineNumber: 4, columnNumber: 0 }, children,
});

/**
 * root → handler (src/http/routes) → sign (jose) → (native JSON.stringify, no url)
 *                                   → getClient (src/store/sqlite)
 * plus (idle) and (garbage collector) under the root.
 */
const profile: CpuProfile = {
  nodes: [
    frame(1, '(root)', '', [2, 6, 7]),
    frame(2, 'handler', `${repo}src/http/routes/token-routes.ts`, [3, 5]),
    frame(3, 'sign', 'file:///x/node_modules/jose/dist/webapi/jwt/sign.js', [4]),
    frame(4, 'stringify', ''),
    frame(5, 'getClient', `${repo}src/store/sqlite/sqlite-store.ts`),
    frame(6, '(idle)', ''),
    frame(7, '(garbage collector)', ''),
  ],
  startTime: 1_000,
  endTime: 2_000,
  // Sample i lasts until sample i+1 (timeDeltas[i+1] µs).
  samples: [4, 4, 5, 2, 6, 7, 4],
  timeDeltas: [0, 100, 100, 100, 100, 100, 100],
};

describe('bench/profile-summary', () => {
  it('gives self time to the sampled frame and total time to every function on its stack once', () => {
    const s = summarise(profile);
    expect(s.idleMs).toBeCloseTo(0.1);
    expect(s.busyMs).toBeCloseTo(0.5); // the last sample has no successor: 0 µs
    expect(s.selfByFunction.get('stringify')).toBeCloseTo(0.2);
    expect(s.totalByFunction.get('sign  node_modules/jose/dist/webapi/jwt/sign.js:5')).toBeCloseTo(0.2);
    expect(s.totalByFunction.get('handler  src/http/routes/token-routes.ts:5')).toBeCloseTo(0.4);
    expect(s.totalByFile.get('src/http/routes/token-routes.ts')).toBeCloseTo(0.4);
  });

  it('puts a sample in the category of its innermost categorised frame', () => {
    const s = summarise(profile);
    expect(s.categories.get('signing (jose/crypto)')).toBeCloseTo(0.2); // native stringify under jose
    expect(s.categories.get('store')).toBeCloseTo(0.1);
    expect(s.categories.get('other')).toBeCloseTo(0.1); // the route handler itself
    expect(s.categories.get('garbage collection')).toBeCloseTo(0.1);
  });

  it('keeps only the samples inside the measured window', () => {
    // Sample timestamps: 1000, 1100, 1200, 1300, 1400, 1500, 1600.
    const s = summarise(profile, { fromUs: 1150, toUs: 1350 });
    expect(s.busyMs).toBeCloseTo(0.2);
    expect(s.selfByFunction.has('stringify')).toBe(false);
    expect(s.selfByFunction.get('getClient  src/store/sqlite/sqlite-store.ts:5')).toBeCloseTo(0.1);
  });

  it('shortens repository and dependency paths', () => {
    expect(shortUrl(`${repo}src/app.ts`)).toBe('src/app.ts');
    expect(shortUrl('file:///elsewhere/node_modules/fastify/lib/reply.js')).toBe('node_modules/fastify/lib/reply.js');
    expect(shortUrl('node:internal/crypto/util')).toBe('node:internal/crypto/util');
  });
});

describe('bench/lib/http-client', () => {
  it('keeps cookies by name and drops deleted ones', () => {
    const jar = new CookieJar();
    jar.store(['a=1; Path=/; HttpOnly', 'b=2; Path=/x']);
    expect(jar.header()).toBe('a=1; b=2');
    jar.store(['a=; Max-Age=0', 'b=3', 'c=4; expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    expect(jar.header()).toBe('b=3');
  });

  it('turns an absolute location into path and query', () => {
    expect(pathOf('http://localhost:1234/login/select?flow=x')).toBe('/login/select?flow=x');
    expect(pathOf('/auth/abc')).toBe('/auth/abc');
  });
});
