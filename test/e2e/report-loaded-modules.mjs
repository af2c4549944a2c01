// Preloaded (node --import) by test/e2e/built-start.test.ts: when the process exits, writes the
// CommonJS modules it loaded (packages imported from ES modules are loaded through the same cache)
// to stderr, one line each, prefixed "loaded: ".
import { createRequire } from 'node:module';

const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  process.stderr.write(Object.keys(cache).map((f) => `loaded: ${f}\n`).join(''));
});
