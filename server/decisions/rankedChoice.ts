import { epsilonGreedy } from './exploration.js';
import type { DecisionTier, OverlayTemplate } from './types.js';

export interface RankedChoice {
  template: OverlayTemplate | undefined;
  tier: DecisionTier;
  propensity: number;
  score: number | undefined;
}

export interface ChoicePolicy {
  epsilon: number;
  /** Below this predicted click probability showing nothing is preferred (unless forced). */
  minScoreToShow: number;
  random: () => number;
}

/**
 * Greedy: the best-scoring candidate, or `none` when even it is below minScoreToShow; then
 * epsilon-greedy over the candidates plus `none` (not `none` when a sponsor forced the set).
 */
export function chooseRanked(
  eligible: readonly OverlayTemplate[],
  scores: Float32Array,
  offset: number,
  forced: boolean,
  policy: ChoicePolicy,
): RankedChoice {
  const count = eligible.length;
  let best = 0;
  for (let i = 1; i < count; i++) if (scores[offset + i]! > scores[offset + best]!) best = i;
  const greedy = forced || scores[offset + best]! >= policy.minScoreToShow ? best : count;
  const choice = epsilonGreedy(greedy, forced ? count : count + 1, policy.epsilon, policy.random);
  const shown = choice.action < count;
  return {
    template: shown ? eligible[choice.action] : undefined,
    tier: choice.explored ? 'explore' : 'ranker',
    propensity: choice.propensity,
    score: shown ? scores[offset + choice.action] : undefined,
  };
}
