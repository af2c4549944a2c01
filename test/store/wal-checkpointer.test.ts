import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/store/sqlite/sqlite-database.js';
import { WalCheckpointer } from '../../src/store/sqlite/wal-checkpointer.js';
import { createSqliteStores } from '../../src/store/sqlite/sqlite-store.js';
import { systemClock } from '../../src/core/clock.js';

const dirs: string[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDb(): { db: Database.Database; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ap-wal-'));
  dirs.push(dir);
  const path = join(dir, 'db.sqlite');
  const db = openSqlite(path);
  db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, data TEXT NOT NULL)');
  cleanups.push(() => { if (db.open) db.close(); });
  return { db, path };
}

/**
 * About `kib` KiB of rows, committed 32 at a time: few enough WAL frames (well under SQLite's own
 * threshold of 1000 pages) that only the worker can have moved them into the database file.
 */
function write(db: Database.Database, kib: number): void {
  const insert = db.prepare('INSERT INTO filler (data) VALUES (?)');
  const batch = db.transaction((n: number) => { for (let i = 0; i < n; i++) insert.run('x'.repeat(2048)); });
  for (let i = 0; i < kib / 64; i++) batch(32);
  expect(statSync(`${db.name}-wal`).size).toBeLessThan(1000 * 4096);
}

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const autocheckpoint = (db: Database.Database) => db.pragma('wal_autocheckpoint', { simple: true });
const fileSize = (p: string) => statSync(p).size;

describe('WAL checkpoints on a worker thread (src/store/sqlite/wal-checkpointer.ts)', () => {
  it('under write load the worker checkpoints, the server connection does not, and it stops when idle', async () => {
    const { db, path } = tempDb();
    const cp = new WalCheckpointer(db, path, { checkIntervalMs: 10, startAboveBytes: 64 * 1024, checkpointEveryMs: 10, idleStopMs: 150 });
    cleanups.unshift(() => cp.stop());
    cp.start();
    expect(autocheckpoint(db)).toBe(1000);
    const before = fileSize(path);

    write(db, 1024);
    await until('the worker to take over', () => cp.running);
    expect(autocheckpoint(db)).toBe(0);
    await until('the frames to reach the database file', () => fileSize(path) > before + 512 * 1024);

    // Nothing written for idleStopMs: the worker ends and SQLite's automatic checkpoints resume.
    await until('the worker to stop when idle', () => !cp.running);
    expect(autocheckpoint(db)).toBe(1000);
    // The WAL file is still large (it is reset only by the next write), but nothing new was
    // written: many size checks later the worker has not started again.
    await new Promise((r) => setTimeout(r, 300));
    expect(cp.running).toBe(false);
    expect(cp.starts).toBe(1);
    // Nothing was lost on the way.
    expect(db.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 512 });

    // A new burst starts it again.
    write(db, 1024);
    await until('the worker to take over again', () => cp.running);
    expect(cp.starts).toBe(2);
    await cp.stop();
    expect(cp.running).toBe(false);
    expect(autocheckpoint(db)).toBe(1000);
  });

  it('a small WAL keeps SQLite\'s own checkpoints and no thread', async () => {
    const { db, path } = tempDb();
    const cp = new WalCheckpointer(db, path, { checkIntervalMs: 10, startAboveBytes: 8 * 1024 * 1024, checkpointEveryMs: 10, idleStopMs: 150 });
    cleanups.unshift(() => cp.stop());
    cp.start();
    write(db, 256);
    await new Promise((r) => setTimeout(r, 200));
    expect(cp.running).toBe(false);
    expect(cp.starts).toBe(0);
    expect(autocheckpoint(db)).toBe(1000);
  });

  it('the embedded store starts one (its journal size limit is set) and closes cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ap-wal-'));
    dirs.push(dir);
    const stores = createSqliteStores(join(dir, 'ansattporten.sqlite'), systemClock);
    expect(stores.db.pragma('journal_size_limit', { simple: true })).toBe(4 * 1024 * 1024);
    await stores.close();
    expect(stores.db.open).toBe(false);
  });
});
