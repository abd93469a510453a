import type { Arm } from '../decisions/types.js';
import { InvalidCostModelError } from './errors.js';

/** Unit prices in `currency`. The defaults and their reasoning are in docs/experiments.md. */
export interface CostModel {
  currency: string;
  perDecision: number;
  perRenderedMinute: number;
  perEncodedMinute: number;
}

const VM_HOURLY = 0.1; // a 2-vCPU cloud VM, USD per hour
const CORE_MINUTE = VM_HOURLY / 2 / 60;

/**
 * Measured on the 2-core VM (docs/benchmarks.md, bench:live at 360p30): rendering takes about
 * 20% of a core and the encoder (ffmpeg) about 10%; a decision about 50 µs of a core with its
 * Redis reads and audit write.
 */
export const DEFAULT_COST_MODEL: CostModel = {
  currency: 'USD',
  perDecision: CORE_MINUTE * (50e-6 / 60),
  perRenderedMinute: CORE_MINUTE * 0.2,
  perEncodedMinute: CORE_MINUTE * 0.1,
};

export interface ArmUsage {
  decisions: number;
  watchMinutes: number;
  clicks: number;
}

export interface StreamUsage {
  renderedMinutes: number;
  encodedMinutes: number;
}

export interface ArmCost {
  decisions: number;
  rendered: number;
  encoded: number;
  total: number;
  /** Per CTA click; null when the arm has no clicks. */
  perSuccessfulAction: number | null;
}

/**
 * The shared stream's rendered and encoded minutes are split across the arms in proportion
 * to their watch minutes (nothing is allocated while nobody has watched); decisions are
 * charged to the arm that made them.
 */
export function armCosts(
  arms: Record<Arm, ArmUsage>,
  stream: StreamUsage,
  model: CostModel = DEFAULT_COST_MODEL,
): Record<Arm, ArmCost> {
  const watched =
    arms.holdout.watchMinutes + arms.control.watchMinutes + arms.treatment.watchMinutes;
  const costOf = (usage: ArmUsage): ArmCost => {
    const share = watched > 0 ? usage.watchMinutes / watched : 0;
    const decisions = usage.decisions * model.perDecision;
    const rendered = share * stream.renderedMinutes * model.perRenderedMinute;
    const encoded = share * stream.encodedMinutes * model.perEncodedMinute;
    const total = decisions + rendered + encoded;
    return {
      decisions,
      rendered,
      encoded,
      total,
      perSuccessfulAction: usage.clicks > 0 ? total / usage.clicks : null,
    };
  };
  return {
    holdout: costOf(arms.holdout),
    control: costOf(arms.control),
    treatment: costOf(arms.treatment),
  };
}

/** Validates a partial override (e.g. from config) over the defaults. */
export function costModelWith(overrides: Partial<CostModel>): CostModel {
  const model = { ...DEFAULT_COST_MODEL, ...overrides };
  if (typeof model.currency !== 'string' || model.currency === '')
    throw new InvalidCostModelError('currency must be a non-empty string');
  for (const key of ['perDecision', 'perRenderedMinute', 'perEncodedMinute'] as const) {
    if (!Number.isFinite(model[key]) || model[key] < 0)
      throw new InvalidCostModelError(`${key} must be a finite number ≥ 0`);
  }
  return model;
}
