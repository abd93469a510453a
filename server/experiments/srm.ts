import { logErfc } from './sequential.js';

/**
 * Sample-ratio mismatch: Pearson's χ² goodness of fit of the viewers assigned to each arm
 * against the configured split,
 *
 *   χ² = Σ (observedᵢ − n·shareᵢ)² / (n·shareᵢ),  df = (arms with a share > 0) − 1,
 *
 * with p = P(χ²_df ≥ χ²). A mismatch says assignment or counting is broken (bots, a client that
 * fails in one arm, a bucketing bug), so the arms' CTRs cannot be compared. An arm with no
 * share that has viewers anyway is a mismatch outright. Judged only once every arm with a
 * share expects at least `minExpected` viewers (the χ² approximation needs about 5).
 * Reference: Fabijan et al. (2019), "Diagnosing sample ratio mismatch in online controlled
 * experiments", KDD '19.
 */
export interface SrmResult {
  status: 'insufficient_data' | 'ok' | 'mismatch';
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  observed: Record<string, number>;
  /** Expected shares, each 0..1, summing to 1. */
  expected: Record<string, number>;
}

export function sampleRatioMismatch(
  observed: Record<string, number>,
  expectedShares: Record<string, number>,
  options: { pThreshold: number; minExpected?: number },
): SrmResult {
  const minExpected = options.minExpected ?? 5;
  const arms = Object.keys(expectedShares);
  const n = arms.reduce((sum, arm) => sum + (observed[arm] ?? 0), 0);
  const base = {
    observed: Object.fromEntries(arms.map((arm) => [arm, observed[arm] ?? 0])),
    expected: { ...expectedShares },
  };
  const strayed = arms.some((arm) => expectedShares[arm]! <= 0 && (observed[arm] ?? 0) > 0);
  const live = arms.filter((arm) => expectedShares[arm]! > 0);
  if (strayed)
    return {
      status: 'mismatch',
      chiSquare: Infinity,
      degreesOfFreedom: live.length - 1,
      pValue: 0,
      ...base,
    };
  let chiSquare = 0;
  for (const arm of live) {
    const expected = n * expectedShares[arm]!;
    chiSquare += ((observed[arm] ?? 0) - expected) ** 2 / expected;
  }
  const degreesOfFreedom = live.length - 1;
  const enough =
    degreesOfFreedom > 0 && live.every((arm) => n * expectedShares[arm]! >= minExpected);
  if (!enough)
    return { status: 'insufficient_data', chiSquare, degreesOfFreedom, pValue: 1, ...base };
  const pValue = chiSquareSurvival(chiSquare, degreesOfFreedom);
  return {
    status: pValue < options.pThreshold ? 'mismatch' : 'ok',
    chiSquare,
    degreesOfFreedom,
    pValue,
    ...base,
  };
}

/**
 * P(χ²_k ≥ x) for an integer k ≥ 1, by the recurrence Q(x; k + 2) = Q(x; k) +
 * (x/2)^(k/2) e^(−x/2) / Γ(k/2 + 1), from Q(x; 1) = erfc(√(x/2)) and Q(x; 2) = e^(−x/2).
 */
export function chiSquareSurvival(x: number, k: number): number {
  if (!(x > 0)) return 1;
  const half = x / 2;
  let q = k % 2 === 1 ? Math.exp(logErfc(Math.sqrt(half))) : Math.exp(-half);
  // The term for degrees of freedom d, in logs: (d/2)·ln(x/2) − x/2 − ln Γ(d/2 + 1).
  let logGamma = k % 2 === 1 ? Math.log(Math.sqrt(Math.PI) / 2) : 0; // ln Γ(1.5) or ln Γ(1)
  for (let d = k % 2 === 1 ? 1 : 2; d < k; d += 2) {
    q += Math.exp((d / 2) * Math.log(half) - half - logGamma);
    logGamma += Math.log(d / 2 + 1);
  }
  return Math.min(1, q);
}
