import type { Summary } from '../../lib/percentiles.js';
import type { Arm } from '../decisions/types.js';
import {
  armCosts,
  type ArmCost,
  type ArmUsage,
  type CostModel,
  type StreamUsage,
} from './costModel.js';
import { relativeLift, wilsonInterval } from './intervals.js';
import type { ShowCounters } from './ShowCounters.js';

export interface ArmStats {
  decisions: number;
  impressions: number;
  clicks: number;
  conversions: number;
  watchMinutes: number;
  /** clicks / impressions; null without impressions. */
  ctr: number | null;
  ctrCi95: [number, number];
  /** conversions / impressions; null without impressions. */
  conversionRate: number | null;
  meanDecisionLatencyMs: number | null;
  cost: ArmCost;
}

export interface HoldoutLift {
  /** (CTR of control + treatment − holdout CTR) / holdout CTR; null with a note when there is too little data. */
  lift: number | null;
  ci95: [number, number] | null;
  note?: string;
}

export interface ArmMetricsSnapshot extends Record<Arm, ArmStats> {
  showId: string;
  atMs: number;
  /** `memory` when Redis did not answer: totals then are the last known ones plus unflushed increments. */
  source: 'redis' | 'memory';
  holdoutLift: HoldoutLift;
  stream: StreamUsage;
  costModel: CostModel;
  /** Recent decisions of this process, all arms. */
  latency: Summary;
  impressionsByTemplate: Record<string, number>;
}

export interface SnapshotInput {
  showId: string;
  atMs: number;
  source: 'redis' | 'memory';
  counters: ShowCounters;
  latency: Summary;
  costModel: CostModel;
  minImpressionsForLift: number;
}

export function armSnapshot(input: SnapshotInput): ArmMetricsSnapshot {
  const { counters } = input;
  const usage = (arm: Arm): ArmUsage => ({
    decisions: counters.get(`${arm}:decisions`),
    watchMinutes: counters.get(`${arm}:watchMs`) / 60_000,
    clicks: counters.get(`${arm}:clicks`),
  });
  const stream = {
    renderedMinutes: counters.get('stream:renderedMs') / 60_000,
    encodedMinutes: counters.get('stream:encodedMs') / 60_000,
  };
  const costs = armCosts(
    { holdout: usage('holdout'), control: usage('control'), treatment: usage('treatment') },
    stream,
    input.costModel,
  );
  const statsOf = (arm: Arm) => armStats(counters, arm, costs[arm]);
  const arms = {
    holdout: statsOf('holdout'),
    control: statsOf('control'),
    treatment: statsOf('treatment'),
  };
  return {
    showId: input.showId,
    atMs: input.atMs,
    source: input.source,
    ...arms,
    holdoutLift: holdoutLift(arms, input.minImpressionsForLift),
    stream,
    costModel: input.costModel,
    latency: input.latency,
    impressionsByTemplate: { ...counters.templates },
  };
}

function armStats(counters: ShowCounters, arm: Arm, cost: ArmCost): ArmStats {
  const decisions = counters.get(`${arm}:decisions`);
  const impressions = counters.get(`${arm}:impressions`);
  const clicks = counters.get(`${arm}:clicks`);
  const conversions = counters.get(`${arm}:conversions`);
  return {
    decisions,
    impressions,
    clicks,
    conversions,
    watchMinutes: counters.get(`${arm}:watchMs`) / 60_000,
    ctr: impressions > 0 ? clicks / impressions : null,
    ctrCi95: wilsonInterval(clicks, impressions),
    conversionRate: impressions > 0 ? conversions / impressions : null,
    meanDecisionLatencyMs:
      decisions > 0 ? counters.get(`${arm}:latencyUs`) / 1_000 / decisions : null,
    cost,
  };
}

function holdoutLift(arms: Record<Arm, ArmStats>, minImpressions: number): HoldoutLift {
  const personalised = {
    impressions: arms.control.impressions + arms.treatment.impressions,
    clicks: arms.control.clicks + arms.treatment.clicks,
  };
  const { holdout } = arms;
  if (Math.min(personalised.impressions, holdout.impressions) < minImpressions) {
    return {
      lift: null,
      ci95: null,
      note: `too few impressions (personalised ${personalised.impressions}, holdout ${holdout.impressions}; need ${minImpressions} each)`,
    };
  }
  const lift = relativeLift(
    personalised.clicks,
    personalised.impressions,
    holdout.clicks,
    holdout.impressions,
  );
  if (!lift)
    return { lift: null, ci95: null, note: 'no clicks yet on one side: the lift is undefined' };
  return { lift: lift.lift, ci95: lift.ci95 };
}
