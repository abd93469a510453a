/**
 * Epsilon-greedy over `actionCount` actions: with probability 1 − ε the greedy action, else
 * one drawn uniformly from all of them (the greedy one included). The propensity is the
 * exact probability of the chosen action under that policy.
 */
export interface ExplorationChoice {
  action: number;
  propensity: number;
  /** The random branch picked something other than the greedy action. */
  explored: boolean;
}

export function actionProbability(
  action: number,
  greedy: number,
  actionCount: number,
  epsilon: number,
): number {
  return (action === greedy ? 1 - epsilon : 0) + epsilon / actionCount;
}

export function epsilonGreedy(
  greedy: number,
  actionCount: number,
  epsilon: number,
  random: () => number,
): ExplorationChoice {
  if (actionCount <= 1) return { action: greedy, propensity: 1, explored: false };
  let action = greedy;
  if (random() < epsilon) action = Math.min(actionCount - 1, Math.floor(random() * actionCount));
  return {
    action,
    propensity: actionProbability(action, greedy, actionCount, epsilon),
    explored: action !== greedy,
  };
}
