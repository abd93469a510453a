import type { GuardrailConfig } from './ExperimentConfig.js';
import { sequentialCtrTest, type SequentialCtrResult } from './sequential.js';
import { sampleRatioMismatch, type SrmResult } from './srm.js';

export interface ArmCounts {
  impressions: number;
  clicks: number;
}

/** The part of an ArmMetrics snapshot the guardrail reads (structural, so a snapshot fits). */
export interface GuardrailInput {
  control: ArmCounts;
  treatment: ArmCounts;
}

/** Viewers assigned per arm (in the current stage) and the shares the config expects. */
export interface SplitInput {
  observed: Record<string, number>;
  expectedShares: Record<string, number>;
}

export type GuardrailStatus = 'insufficient_data' | 'healthy' | 'breached';

export interface GuardrailJudgement {
  status: GuardrailStatus;
  controlCtr: number | null;
  treatmentCtr: number | null;
  /** What breached it: the split (SRM) or the CTR test. */
  cause?: 'srm' | 'ctr';
  /** Quotes the figures; set when breached. */
  reason?: string;
  /** The anytime-valid CTR test; absent below `minImpressionsPerArm`. */
  sequential?: SequentialCtrResult;
  /** The sample-ratio check; absent without a split. */
  srm?: SrmResult;
}

const ctrOf = (arm: ArmCounts) => (arm.impressions > 0 ? arm.clicks / arm.impressions : null);
const pct = (value: number) => `${(value * 100).toFixed(2)}%`;

/**
 * Breached on a sample-ratio mismatch (the split is checked first: with a broken split the
 * CTRs cannot be compared), or when both arms have `minImpressionsPerArm` impressions and the
 * one-sided mSPRT (sequential.ts) shows the treatment's CTR below the control's at level
 * `alpha`. Safe to call after every impression: the false-alarm rate stays ≤ alpha.
 */
export function judgeGuardrail(
  config: GuardrailConfig,
  input: GuardrailInput,
  split?: SplitInput,
): GuardrailJudgement {
  const controlCtr = ctrOf(input.control);
  const treatmentCtr = ctrOf(input.treatment);
  const srm =
    split &&
    sampleRatioMismatch(split.observed, split.expectedShares, { pThreshold: config.srmPValue });
  const base = { controlCtr, treatmentCtr, ...(srm && { srm }) };
  if (srm?.status === 'mismatch') {
    const list = (counts: Record<string, number>, format: (v: number) => string) =>
      Object.entries(counts)
        .map(([arm, value]) => `${arm} ${format(value)}`)
        .join(', ');
    const reason =
      `sample ratio mismatch: viewers ${list(srm.observed, String)} against the configured ` +
      `${list(srm.expected, pct)} (χ² ${srm.chiSquare.toFixed(1)}, p ${srm.pValue.toExponential(1)} < ${config.srmPValue})`;
    return { status: 'breached', cause: 'srm', reason, ...base };
  }
  const enough =
    Math.min(input.control.impressions, input.treatment.impressions) >= config.minImpressionsPerArm;
  if (!enough || controlCtr === null || treatmentCtr === null)
    return { status: 'insufficient_data', ...base };
  const sequential = sequentialCtrTest(input.control, input.treatment, {
    alpha: config.alpha,
    tunedRelativeDrop: config.maxRelativeDrop,
  });
  if (!sequential.harmful) return { status: 'healthy', sequential, ...base };
  const { control, treatment } = input;
  const reason =
    `guardrail: treatment CTR ${pct(treatmentCtr)} (${treatment.clicks}/${treatment.impressions}) is below ` +
    `control CTR ${pct(controlCtr)} (${control.clicks}/${control.impressions}) ` +
    `(sequential test: evidence ${Number(sequential.likelihoodRatio.toPrecision(3))} ≥ ${sequential.threshold.toFixed(0)}, α ${config.alpha})`;
  return { status: 'breached', cause: 'ctr', reason, sequential, ...base };
}

/** What the host panel shows of a verdict: plain JSON, small. */
export interface GuardrailView {
  status: GuardrailStatus;
  cause?: 'srm' | 'ctr';
  /** The CTR test: its evidence Λ against 1/α; null below `minImpressionsPerArm`. */
  ctrTest: { evidence: number; threshold: number; alpha: number; difference: number } | null;
  /** The stage's viewers per arm against the configured shares. */
  srm: Pick<SrmResult, 'status' | 'pValue' | 'observed' | 'expected'> & { threshold: number };
}

export function guardrailView(
  config: GuardrailConfig,
  judgement: GuardrailJudgement,
): GuardrailView {
  const { sequential, srm } = judgement;
  return {
    status: judgement.status,
    ...(judgement.cause && { cause: judgement.cause }),
    ctrTest: sequential
      ? {
          evidence: Math.min(sequential.likelihoodRatio, Number.MAX_VALUE), // JSON has no Infinity
          threshold: sequential.threshold,
          alpha: config.alpha,
          difference: sequential.difference,
        }
      : null,
    srm: {
      status: srm?.status ?? 'insufficient_data',
      pValue: srm?.pValue ?? 1,
      observed: srm?.observed ?? {},
      expected: srm?.expected ?? {},
      threshold: config.srmPValue,
    },
  };
}
