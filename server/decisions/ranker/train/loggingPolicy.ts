import { actionProbability } from '../../exploration.js';
import type { DecisionContext, OverlayTemplate } from '../../types.js';

/**
 * The policy that produced the simulated logs: a hand-written heuristic (a candidate on the
 * show's topic, lower thirds first; else the first candidate in catalog order), explored
 * epsilon-greedily over the candidates plus `none` (not `none` when a sponsor forced them).
 */
export const LOGGING_EPSILON = 0.3;
const PLACEMENT_ORDER = ['lower_third_cta', 'side_card', 'badge'];

export function heuristicChoice(
  context: DecisionContext,
  candidates: readonly OverlayTemplate[],
): number {
  const onTopic = candidates
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => context.show.topic !== undefined && t.topics.includes(context.show.topic))
    .sort(
      (a, b) => PLACEMENT_ORDER.indexOf(a.t.placement) - PLACEMENT_ORDER.indexOf(b.t.placement),
    );
  return onTopic[0]?.i ?? 0;
}

/** Probabilities over actions 0..n-1 (the candidates) and n (`none`, when allowed). */
export function loggingProbabilities(
  context: DecisionContext,
  candidates: readonly OverlayTemplate[],
  noneAllowed: boolean,
  epsilon = LOGGING_EPSILON,
): number[] {
  const actions = candidates.length + (noneAllowed ? 1 : 0);
  const greedy = heuristicChoice(context, candidates);
  return Array.from({ length: actions }, (_, a) => actionProbability(a, greedy, actions, epsilon));
}
