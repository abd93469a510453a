import { CodedError } from '../../lib/errors/CodedError.js';

/** Experiment errors; `code` is stable and reaches API clients. */
export class ExperimentError extends CodedError {}

/** The experiment config failed validation; `path` names the offending field. */
export class InvalidExperimentConfigError extends ExperimentError {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super('INVALID_EXPERIMENT_CONFIG', `${path}: ${message}`);
  }
}

export type RolloutRefusal =
  'ROLLOUT_PAUSED' | 'ROLLOUT_COMPLETE' | 'ROLLOUT_NOT_PAUSED' | 'ROLLOUT_STORE_UNAVAILABLE';

/** A rollout operation that the current state does not allow. */
export class RolloutRefusedError extends ExperimentError {
  constructor(code: RolloutRefusal, message: string) {
    super(code, message);
  }
}

/** A metrics call with a bad show id, arm, template or amount. */
export class InvalidArmEventError extends ExperimentError {
  constructor(message: string) {
    super('INVALID_ARM_EVENT', message);
  }
}

export class InvalidCostModelError extends ExperimentError {
  constructor(message: string) {
    super('INVALID_COST_MODEL', message);
  }
}
