/** z for a two-sided 95% interval. */
export const Z95 = 1.959964;

/** Wilson score interval for `successes` of `trials`; [0, 1] when there are no trials. */
export function wilsonInterval(successes: number, trials: number, z = Z95): [number, number] {
  if (trials <= 0) return [0, 1];
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface RelativeLift {
  lift: number;
  ci95: [number, number];
}

/**
 * (p1 − p0) / p0 with a 95% interval from the log of the ratio of two proportions (Katz);
 * undefined when either side has no successes (the log ratio has no variance estimate).
 */
export function relativeLift(
  successes1: number,
  trials1: number,
  successes0: number,
  trials0: number,
  z = Z95,
): RelativeLift | undefined {
  if (successes1 <= 0 || successes0 <= 0 || trials1 <= 0 || trials0 <= 0) return undefined;
  const p1 = successes1 / trials1;
  const p0 = successes0 / trials0;
  const logRatio = Math.log(p1 / p0);
  const se = Math.sqrt(1 / successes1 - 1 / trials1 + 1 / successes0 - 1 / trials0);
  return {
    lift: p1 / p0 - 1,
    ci95: [Math.exp(logRatio - z * se) - 1, Math.exp(logRatio + z * se) - 1],
  };
}
