/**
 * The data directory and the SQLite database hold signing keys, client secret hashes and grants:
 * the directory is created 0700 and the database file 0600 before SQLite opens it (SQLite gives
 * its -wal and -shm files the mode of the database file). An existing directory or file we own is
 * tightened; one we do not own (a mounted volume) is left as it is.
 */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export function secureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(dir, 0o700);
  } catch {
    // not ours to change
  }
}

/** Create `path` (empty) 0600 if absent, in a 0700 directory; tighten it (and its -wal/-shm) if present. */
export function secureSqliteFile(path: string): void {
  if (path === ':memory:') return;
  secureDir(dirname(path));
  closeSync(openSync(path, 'a', 0o600));
  for (const p of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    try {
      chmodSync(p, 0o600);
    } catch {
      // absent, or not ours
    }
  }
}
