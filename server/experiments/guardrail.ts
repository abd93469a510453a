import type { GuardrailConfig } from './ExperimentConfig.js';

export interface ArmCounts {
  impressions: number;
  clicks: number;
}

/** The part of an ArmMetrics snapshot the guardrail reads (structural, so a snapshot fits). */
export interface GuardrailInput {
  control: ArmCounts;
  treatment: ArmCounts;
}

export type GuardrailStatus = 'insufficient_data' | 'healthy' | 'breached';

export interface GuardrailJudgement {
  status: GuardrailStatus;
  controlCtr: number | null;
  treatmentCtr: number | null;
  /** Quotes both CTRs; set when breached. */
  reason?: string;
}

const ctrOf = (arm: ArmCounts) => (arm.impressions > 0 ? arm.clicks / arm.impressions : null);
const pct = (value: number) => `${(value * 100).toFixed(2)}%`;

/** Breached when both arms have enough impressions and treatment CTR < control CTR × (1 − maxRelativeDrop). */
export function judgeGuardrail(config: GuardrailConfig, input: GuardrailInput): GuardrailJudgement {
  const controlCtr = ctrOf(input.control);
  const treatmentCtr = ctrOf(input.treatment);
  const enough =
    Math.min(input.control.impressions, input.treatment.impressions) >= config.minImpressionsPerArm;
  if (!enough || controlCtr === null || treatmentCtr === null)
    return { status: 'insufficient_data', controlCtr, treatmentCtr };
  // The tolerance keeps a drop of exactly the margin (e.g. 8% vs 10% at 0.2) on the healthy side despite rounding.
  if (treatmentCtr >= controlCtr * (1 - config.maxRelativeDrop) * (1 - 1e-9))
    return { status: 'healthy', controlCtr, treatmentCtr };
  const { control, treatment } = input;
  const reason =
    `guardrail: treatment CTR ${pct(treatmentCtr)} (${treatment.clicks}/${treatment.impressions}) is more than ` +
    `${pct(config.maxRelativeDrop)} below control CTR ${pct(controlCtr)} (${control.clicks}/${control.impressions})`;
  return { status: 'breached', controlCtr, treatmentCtr, reason };
}
