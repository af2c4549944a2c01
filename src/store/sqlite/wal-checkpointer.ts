/**
 * Moves SQLite's WAL checkpoints off the event loop while the database is being written to.
 *
 * In WAL mode (https://sqlite.org/wal.html §"Checkpointing") the connection that commits the
 * transaction which takes the WAL past `wal_autocheckpoint` pages (1000 by default) runs the
 * checkpoint itself: it copies the frames into the database file and, with `synchronous = NORMAL`,
 * waits for fsync. better-sqlite3 is synchronous, so that commit stalls the event loop: measured
 * here on the grant writes of a login, a 5–8 ms stall about every 300 logins, which lands on the
 * requests in flight (the tail of the login latency).
 *
 * So, once the WAL file grows past `startAboveBytes`, a worker thread with its own connection runs
 * passive checkpoints (they never block readers or writers) every `checkpointEveryMs`, and the
 * server's connection stops checkpointing by itself (`wal_autocheckpoint = 0`). After `idleStopMs`
 * without new frames the worker ends and automatic checkpoints resume, so an idle server keeps no
 * extra thread (about 9 MB of memory). `journal_size_limit` keeps the WAL file from staying large
 * after a burst. If the worker fails, automatic checkpoints resume at once: the WAL never grows
 * without bound.
 */
import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface WalCheckpointerOptions {
  /** How often the server's thread looks at the WAL file's size (one stat call). */
  checkIntervalMs?: number;
  /** The WAL size from which the worker takes over; also the WAL's journal_size_limit. */
  startAboveBytes?: number;
  /** How often the worker runs a passive checkpoint. */
  checkpointEveryMs?: number;
  /** The worker ends after this long without new frames in the WAL. */
  idleStopMs?: number;
  /** Told when the worker fails (automatic checkpoints have resumed by then). */
  onError?: (err: Error) => void;
}

/** SQLite's default `wal_autocheckpoint`, restored whenever the worker is not running. */
const AUTOCHECKPOINT_PAGES = 1000;

// CommonJS, evaluated in the worker: it loads the same better-sqlite3 the server uses.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
let lastLog = -1;
let idleMs = 0;
const timer = setInterval(() => {
  const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
  const settled = r.log === lastLog && r.checkpointed === r.log;
  lastLog = r.log;
  idleMs = settled ? idleMs + workerData.everyMs : 0;
  if (idleMs >= workerData.idleStopMs) { clearInterval(timer); db.close(); }
}, workerData.everyMs);
`;

export class WalCheckpointer {
  private readonly opts: Required<Omit<WalCheckpointerOptions, 'onError'>>;
  private timer?: NodeJS.Timeout;
  private worker?: Worker;
  private stopped = false;
  /** The WAL file's modification time when the worker last ended (it had nothing left to copy). */
  private settledMtimeMs?: number;
  /** How many times the worker has taken over (for tests and diagnostics). */
  starts = 0;

  constructor(private readonly db: Database.Database, private readonly path: string, private readonly options: WalCheckpointerOptions = {}) {
    this.opts = {
      checkIntervalMs: options.checkIntervalMs ?? 1000,
      startAboveBytes: options.startAboveBytes ?? 4 * 1024 * 1024,
      checkpointEveryMs: options.checkpointEveryMs ?? 200,
      idleStopMs: options.idleStopMs ?? 60_000,
    };
  }

  get running(): boolean {
    return this.worker !== undefined;
  }

  start(): void {
    this.db.pragma(`journal_size_limit = ${this.opts.startAboveBytes}`);
    this.timer = setInterval(() => this.check(), this.opts.checkIntervalMs);
    this.timer.unref();
  }

  private check(): void {
    if (this.worker || this.stopped) return;
    const wal = statSync(`${this.path}-wal`, { throwIfNoEntry: false });
    // The WAL file keeps its size until the next write resets it: a file the worker already
    // settled (same modification time as when it stopped) is no reason to start it again.
    if (wal && wal.size > this.opts.startAboveBytes && wal.mtimeMs !== this.settledMtimeMs) this.takeOver();
  }

  private takeOver(): void {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        path: this.path,
        everyMs: this.opts.checkpointEveryMs,
        idleStopMs: this.opts.idleStopMs,
      },
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
      stdout: true,
      stderr: true,
    });
    worker.unref();
    this.worker = worker;
    this.starts++;
    this.db.pragma('wal_autocheckpoint = 0');
    worker.on('error', (err) => this.options.onError?.(err));
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.settledMtimeMs = statSync(`${this.path}-wal`, { throwIfNoEntry: false })?.mtimeMs;
      if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    });
  }

  /** Ends the size checks and the worker; the caller closes the database afterwards. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const worker = this.worker;
    if (worker) {
      await worker.terminate();
      this.worker = undefined;
    }
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  }
}
