import { InvalidExperimentConfigError } from './errors.js';

export interface GuardrailConfig {
  metric: 'ctr';
  /**
   * 0.2: the relative CTR drop the sequential test is tuned to catch quickest (it sets the
   * mixture's spread, τ = maxRelativeDrop × pooled CTR). Any real drop is caught eventually,
   * larger ones sooner.
   */
  maxRelativeDrop: number;
  /** Both arms need this many impressions before the CTR test judges. */
  minImpressionsPerArm: number;
  /** The CTR test's false-alarm rate under continuous monitoring (default 0.05). */
  alpha: number;
  /** The sample-ratio check pauses below this χ² p-value (default 0.001). */
  srmPValue: number;
}

export interface AutoAdvanceConfig {
  enabled: boolean;
  /** A stage lasts at least this long before it may advance by itself. */
  minStageMs: number;
}

export interface ExperimentConfig {
  salt: string;
  /** 0..50; these viewers always get the default experience. */
  holdoutPercent: number;
  control: { modelVersion: string };
  treatment: { modelVersion: string };
  /** Treatment share of the non-holdout viewers at each stage, in percent, strictly increasing. */
  stages: number[];
  guardrail: GuardrailConfig;
  autoAdvance: AutoAdvanceConfig;
}

export const DEFAULT_STAGES = [1, 5, 20, 50, 100];
const KNOWN_KEYS = [
  'salt',
  'holdoutPercent',
  'control',
  'treatment',
  'stages',
  'guardrail',
  'autoAdvance',
];
const MAX_TEXT = 200;

/** Validates untrusted input (JSON from the host API or a file) and fills in the defaults. */
export function parseExperimentConfig(input: unknown): ExperimentConfig {
  const raw = record(input, 'config');
  rejectUnknownKeys(raw, KNOWN_KEYS, 'config');
  return {
    salt: text(raw.salt, 'salt'),
    holdoutPercent: numberIn(raw.holdoutPercent ?? 10, 'holdoutPercent', 0, 50),
    control: arm(raw.control, 'control'),
    treatment: arm(raw.treatment, 'treatment'),
    stages: stages(raw.stages ?? DEFAULT_STAGES),
    guardrail: guardrail(raw.guardrail),
    autoAdvance: autoAdvance(raw.autoAdvance),
  };
}

function arm(input: unknown, path: string): { modelVersion: string } {
  const raw = record(input, path);
  rejectUnknownKeys(raw, ['modelVersion'], path);
  return { modelVersion: text(raw.modelVersion, `${path}.modelVersion`) };
}

function stages(input: unknown): number[] {
  if (!Array.isArray(input) || input.length === 0 || input.length > 20) {
    throw new InvalidExperimentConfigError('stages', 'must be a list of 1 to 20 percentages');
  }
  const list = input.map((value, i) => numberIn(value, `stages[${i}]`, Number.MIN_VALUE, 100));
  list.forEach((value, i) => {
    if (i > 0 && value <= list[i - 1]!)
      throw new InvalidExperimentConfigError(`stages[${i}]`, 'stages must strictly increase');
  });
  return list;
}

function guardrail(input: unknown): GuardrailConfig {
  const raw = record(input ?? {}, 'guardrail');
  rejectUnknownKeys(
    raw,
    ['metric', 'maxRelativeDrop', 'minImpressionsPerArm', 'alpha', 'srmPValue'],
    'guardrail',
  );
  if ((raw.metric ?? 'ctr') !== 'ctr')
    throw new InvalidExperimentConfigError('guardrail.metric', "only 'ctr' is supported");
  const minImpressions = numberIn(
    raw.minImpressionsPerArm ?? 200,
    'guardrail.minImpressionsPerArm',
    1,
    1e9,
  );
  if (!Number.isInteger(minImpressions))
    throw new InvalidExperimentConfigError('guardrail.minImpressionsPerArm', 'must be an integer');
  return {
    metric: 'ctr',
    maxRelativeDrop: numberIn(raw.maxRelativeDrop ?? 0.2, 'guardrail.maxRelativeDrop', 0.01, 1),
    minImpressionsPerArm: minImpressions,
    alpha: numberIn(raw.alpha ?? 0.05, 'guardrail.alpha', 1e-6, 0.5),
    srmPValue: numberIn(raw.srmPValue ?? 0.001, 'guardrail.srmPValue', 1e-12, 0.05),
  };
}

function autoAdvance(input: unknown): AutoAdvanceConfig {
  const raw = record(input ?? {}, 'autoAdvance');
  rejectUnknownKeys(raw, ['enabled', 'minStageMs'], 'autoAdvance');
  if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean') {
    throw new InvalidExperimentConfigError('autoAdvance.enabled', 'must be a boolean');
  }
  return {
    enabled: raw.enabled ?? false,
    minStageMs: numberIn(raw.minStageMs ?? 60_000, 'autoAdvance.minStageMs', 0, 7 * 24 * 3_600_000),
  };
}

function record(input: unknown, path: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidExperimentConfigError(path, 'must be an object');
  }
  return input as Record<string, unknown>;
}

function rejectUnknownKeys(raw: Record<string, unknown>, known: string[], path: string): void {
  const unknown = Object.keys(raw).find((key) => !known.includes(key));
  if (unknown !== undefined)
    throw new InvalidExperimentConfigError(`${path}.${unknown}`, 'unknown field');
}

function text(input: unknown, path: string): string {
  if (typeof input !== 'string' || input.trim() === '' || input.length > MAX_TEXT) {
    throw new InvalidExperimentConfigError(
      path,
      `must be a non-empty string of at most ${MAX_TEXT} characters`,
    );
  }
  return input;
}

function numberIn(input: unknown, path: string, min: number, max: number): number {
  if (typeof input !== 'number' || !Number.isFinite(input) || input < min || input > max) {
    throw new InvalidExperimentConfigError(
      path,
      `must be a number in [${min === Number.MIN_VALUE ? '>0' : min}, ${max}]`,
    );
  }
  return input;
}
