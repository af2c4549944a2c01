/** What every CLI command gets: the settings, the terminal, its arguments and the store. */
import type { Config } from '../config/config.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Stores } from '../store/ports.js';
import { UsageError, type parseArgs } from './cli-args.js';

/** Who the audit log names for changes made with the CLI. */
export const CLI_ACTOR = { actor: 'cli' } as const;

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<string>;
  stdinIsTty: boolean;
  env: NodeJS.ProcessEnv;
  clock: Clock;
}

export const defaultIo = (): CliIo => ({
  stdout: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
  stderr: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  stdinIsTty: !!process.stdin.isTTY,
  env: process.env,
  clock: systemClock,
});

/** A refusal (validation error, not found, conflict): exit code 1, `body` printed with --json. */
export class Refused extends Error {
  constructor(message: string, readonly body: unknown) {
    super(message);
  }
}

export const iso = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString());

export interface CommandContext {
  config: Config;
  io: CliIo;
  json: boolean;
  args: ReturnType<typeof parseArgs>;
  /** The word after the command group (e.g. "list" in `clients list`). */
  command: string | undefined;
  /** The arguments after it. */
  rest: string[];
  /** The configured stores, opened on first use. */
  open(): Promise<Stores>;
}

export function needArg(v: string | undefined, what: string): string {
  if (!v) throw new UsageError(`missing ${what}`);
  return v;
}

export function noMore(extra: string[]): void {
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
}
