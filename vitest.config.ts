import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One child process per test file, not a worker thread: a worker that has used Node's fetch
    // (undici) or a native addon (better-sqlite3) can fail to terminate and leave the run hanging
    // (vitest's "Common Errors: Failed to terminate worker"); a child process can always be killed.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
