import pino from 'pino';

/**
 * Standard output for the JSON logs, written in batches. A login logs six lines; written one by
 * one they were six write system calls, and on a virtual machine (where system calls are dear)
 * those took about 0.16 ms of a login's CPU (bench:profile). Lines are now collected up to 4 KiB
 * and written together, and at least every `flushMs`, so a quiet server's lines are out within a
 * second. Whole lines only, so nothing interleaves with another writer inside a line; on exit
 * (also after an uncaught exception) pino writes what is left synchronously, and the shutdown in
 * src/main.ts flushes before it exits.
 */
export function bufferedStdout(flushMs = 1000): pino.DestinationStream & { flushSync(): void } {
  const dest = pino.destination({ dest: 1, minLength: 4096, sync: false });
  const timer = setInterval(() => {
    try {
      dest.flush();
    } catch {
      // not ready yet (still opening) or already ended: the next tick or the exit flush writes it
    }
  }, flushMs);
  timer.unref();
  return dest;
}
