/** Where a rollout stands; `from`/`to` of a transition use the same shape. */
export interface RolloutPoint {
  stageIndex: number;
  /** The stage's treatment percentage. */
  percent: number;
  paused: boolean;
}

export interface RolloutTransition {
  atMs: number;
  from: RolloutPoint;
  to: RolloutPoint;
  why: string;
}

export interface RolloutState {
  /** Identifies the experiment (salt + versions + stages): a different one starts over. */
  experimentKey: string;
  stageIndex: number;
  paused: boolean;
  pausedReason?: string;
  stageStartedAtMs: number;
  /** Treatment impressions when the stage began; null until a snapshot has been seen in it. */
  stageBaselineImpressions: number | null;
  /** Oldest first, the last `MAX_HISTORY`. */
  history: RolloutTransition[];
}

export const MAX_HISTORY = 200;

export function pointOf(state: RolloutState, stages: readonly number[]): RolloutPoint {
  return { stageIndex: state.stageIndex, percent: stages[state.stageIndex]!, paused: state.paused };
}
