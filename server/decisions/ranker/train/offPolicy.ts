import type { PolicyEstimate } from '../rankerManifest.js';
import type { LoggedDecision } from './rankerLogs.js';

/**
 * A policy's probabilities over one logged decision's actions: index i for candidates[i],
 * index candidates.length for `none` (present only when noneAllowed).
 */
export type PolicyProbabilities = (row: LoggedDecision) => readonly number[];

export function actionIndex(row: LoggedDecision): number {
  return row.action === 'none' ? row.candidates.length : row.candidates.indexOf(row.action);
}

/**
 * IPS: mean of π(a)·r / p. SNIPS: Σ π(a)·r/p ÷ Σ π(a)/p (self-normalised, lower variance).
 * Rewards are clicks per decision; a `none` decision earns 0. `oracle` (when given) is the
 * true expected value: Σ_a π(a) · P(click | a).
 */
export function estimatePolicy(
  rows: readonly LoggedDecision[],
  policy: PolicyProbabilities,
  trueClick?: (row: LoggedDecision, action: number) => number,
): PolicyEstimate {
  let ips = 0;
  let weights = 0;
  let oracle = 0;
  for (const row of rows) {
    const probabilities = policy(row);
    const ratio = probabilities[actionIndex(row)]! / row.propensity;
    ips += ratio * row.clicked;
    weights += ratio;
    if (trueClick) probabilities.forEach((p, a) => p > 0 && (oracle += p * trueClick(row, a)));
  }
  const estimate: PolicyEstimate = {
    ips: ips / rows.length,
    snips: weights > 0 ? ips / weights : 0,
  };
  if (trueClick) estimate.oracle = oracle / rows.length;
  return estimate;
}

/** Uniform over the candidates plus `none` (when allowed). */
export const uniformPolicy: PolicyProbabilities = (row) => {
  const actions = row.candidates.length + (row.noneAllowed ? 1 : 0);
  return Array.from({ length: actions }, () => 1 / actions);
};

/** Area under the ROC curve by ranks (ties share their mean rank). */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => scores[a]! - scores[b]!,
  );
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end++;
    const meanRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k]!]) {
        positives++;
        rankSum += meanRank;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function logLoss(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const p = Math.min(1 - 1e-7, Math.max(1e-7, scores[i]!));
    sum -= labels[i] ? Math.log(p) : Math.log(1 - p);
  }
  return sum / scores.length;
}
