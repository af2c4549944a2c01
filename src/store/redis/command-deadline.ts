/**
 * A deadline for every Redis round trip, kept by one timer for all of them.
 *
 * node-redis's own command timeout (`commandOptions.timeout`, 5 s by default) makes an
 * `AbortSignal.timeout` for each command: a signal and a timer per command, and each timer fires
 * five seconds later whether or not the command was answered long before (a DOMException and an
 * abort event each time). On the login path that was about 6 % of the provider's CPU with
 * PostgreSQL + Redis (`npm run bench:ab`). It also leaves MULTI transactions without a deadline.
 * Here a round trip costs a Set entry, and one interval rejects what has waited too long.
 *
 * A rejected round trip is not taken back from the client's queue: when a stalled Redis answers
 * at last, the answer is read and dropped, so the connection stays in step.
 */
/** What a round trip rejects with once its deadline has passed. */
export class RedisTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Redis did not answer within ${timeoutMs} ms`);
    this.name = 'RedisTimeoutError';
  }
}

interface Pending {
  readonly deadline: number;
  readonly reject: (e: Error) => void;
}

export class CommandDeadline {
  /** In insertion order, which is deadline order: `now` never goes back. */
  private readonly pending = new Set<Pending>();
  private readonly timer: NodeJS.Timeout;

  /**
   * @param timeoutMs how long a round trip may take
   * @param now a monotonic clock in milliseconds
   * @param tickMs how often the deadlines are checked: a round trip is rejected between
   *   `timeoutMs` and `timeoutMs + tickMs` after it started
   */
  constructor(
    readonly timeoutMs: number,
    private readonly now: () => number = () => performance.now(),
    tickMs = Math.max(10, Math.ceil(timeoutMs / 20)),
  ) {
    this.timer = setInterval(() => this.expire(), tickMs);
    this.timer.unref();
  }

  /** `command`'s outcome, or a RedisTimeoutError once the deadline has passed. */
  run<T>(command: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { deadline: this.now() + this.timeoutMs, reject };
      this.pending.add(entry);
      command.then(
        (v) => { this.pending.delete(entry); resolve(v); },
        (e: unknown) => { this.pending.delete(entry); reject(e); },
      );
    });
  }

  /** Rejects every round trip whose deadline has passed (the timer calls this). */
  expire(): void {
    const now = this.now();
    for (const entry of this.pending) {
      if (entry.deadline > now) break;
      this.pending.delete(entry);
      entry.reject(new RedisTimeoutError(this.timeoutMs));
    }
  }

  /** Round trips still waiting (for tests). */
  get size(): number {
    return this.pending.size;
  }

  close(): void {
    clearInterval(this.timer);
  }
}
