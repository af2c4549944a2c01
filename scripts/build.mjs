// Builds what `npm start` runs: src/main.ts bundled by esbuild into build/src/ (ES modules, split
// so that the PostgreSQL and Redis stores load only when configured; packages stay in
// node_modules, and those only some deployments need are imported where first used: pkijs,
// openid-client, tldts, ajv; test/e2e/built-start.test.ts checks that a start loads none of them).
// Runs in `npm ci` (the `prepare` script), so the README's two commands stay two; tests and the
// CLI run from the TypeScript sources through tsx. Transpiling on every start cost more than a
// second and some 50 MB of the idle process.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// build/src/ keeps the sources' depth, so paths relative to a module (the default fixtures file) still resolve.
const outdir = `${root}build/src`;
rmSync(`${root}build`, { recursive: true, force: true });
await build({
  entryPoints: [`${root}src/main.ts`],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  // The map without the sources (they are in src/): with --enable-source-maps node parses the
  // whole map at start and keeps it, and the sources were two thirds of it (some 10 MB of the idle
  // process, with the garbage of parsing it). Stack traces still point into src/.
  sourcesContent: false,
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});
