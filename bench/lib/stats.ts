/** The p-th percentile of ascending `sorted` (nearest rank, rounded down); NaN when it is empty. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
