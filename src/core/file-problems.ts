/**
 * Errors for input files (clients file, fixtures file) that report every problem found, each
 * prefixed by the file name, at most 25 of them and then a count.
 */
const MAX_REPORTED = 25;

export class FileProblemsError extends Error {
  /** Each problem without the file name. */
  readonly problems: string[];
  constructor(message: string, problems: string[] = []) {
    super(message);
    this.problems = problems;
  }
}

/** The message listing `problems` of `source` (normally the file name), one a line. */
export function problemsMessage(source: string, problems: string[]): string {
  const shown = problems.slice(0, MAX_REPORTED).map((p) => `${source}: ${p}`);
  if (problems.length > MAX_REPORTED) shown.push(`${source}: ... and ${problems.length - MAX_REPORTED} more problem(s)`);
  return shown.join('\n');
}
