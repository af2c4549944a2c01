import { describe, expect, it } from 'vitest';
import { CommandDeadline, RedisTimeoutError } from '../../src/store/redis/command-deadline.js';

/** A command that the test answers (or never answers). */
function command<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

/** A deadline on a clock the test moves; its own timer ticks only once an hour. */
function manual(timeoutMs: number) {
  let t = 1000;
  const deadline = new CommandDeadline(timeoutMs, () => t, 3_600_000);
  return { deadline, advance: (ms: number) => { t += ms; } };
}

describe('CommandDeadline', () => {
  it('passes an answer and an error through, and forgets the round trip', async () => {
    const { deadline } = manual(100);
    const ok = command<string>();
    const failed = command<string>();
    const a = deadline.run(ok.promise);
    const b = deadline.run(failed.promise);
    expect(deadline.size).toBe(2);
    ok.resolve('value');
    failed.reject(new Error('WRONGTYPE'));
    await expect(a).resolves.toBe('value');
    await expect(b).rejects.toThrow('WRONGTYPE');
    expect(deadline.size).toBe(0);
    deadline.close();
  });

  it('rejects a round trip once its deadline has passed, not before, and only the ones that are due', async () => {
    const { deadline, advance } = manual(100);
    const first = command<string>();
    const p1 = deadline.run(first.promise);
    const settled: string[] = [];
    p1.catch((e: Error) => settled.push(`first: ${e.name}`));
    advance(60);
    const second = command<string>();
    const p2 = deadline.run(second.promise);
    p2.catch((e: Error) => settled.push(`second: ${e.name}`));

    advance(39); // first is 99 ms old
    deadline.expire();
    await Promise.resolve();
    expect(settled).toEqual([]);

    advance(1); // first is due, second is 40 ms old
    deadline.expire();
    await expect(p1).rejects.toBeInstanceOf(RedisTimeoutError);
    await expect(p1).rejects.toThrow('Redis did not answer within 100 ms');
    expect(settled).toEqual(['first: RedisTimeoutError']);
    expect(deadline.size).toBe(1);

    // A late answer to the rejected round trip changes nothing; the second is answered in time.
    first.resolve('late');
    second.resolve('in time');
    await expect(p2).resolves.toBe('in time');
    expect(deadline.size).toBe(0);
    deadline.close();
  });

  it('checks the deadlines on its own timer', async () => {
    const deadline = new CommandDeadline(30, () => performance.now(), 5);
    const started = performance.now();
    const never = new Promise<never>(() => {});
    await expect(deadline.run(never)).rejects.toBeInstanceOf(RedisTimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    expect(deadline.size).toBe(0);
    deadline.close();
  });
});
