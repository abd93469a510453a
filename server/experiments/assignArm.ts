import type { ArmAssignment } from '../decisions/types.js';
import { bucketThreshold, holdoutBucketOf, rolloutBucketOf } from './bucketing.js';
import type { ExperimentConfig } from './ExperimentConfig.js';

/** What assignment needs: the config and the rollout's current treatment percentage. */
export interface LiveExperiment {
  config: Pick<ExperimentConfig, 'salt' | 'holdoutPercent' | 'control' | 'treatment'>;
  /** 0..100: the current stage's treatment share of non-holdout viewers. */
  rolloutPercent: number;
}

/**
 * A pure function of the viewer id and the salt, so it is sticky. Treatment is
 * `rolloutBucket < threshold`, so raising the percentage only ever adds viewers to it;
 * the holdout uses its own bucket and never looks at the rollout.
 */
export function assignArm(viewerId: string, experiment: LiveExperiment): ArmAssignment {
  const { config, rolloutPercent } = experiment;
  const holdoutBucket = holdoutBucketOf(viewerId, config.salt);
  const rolloutBucket = rolloutBucketOf(viewerId, config.salt);
  if (holdoutBucket < bucketThreshold(config.holdoutPercent))
    return { arm: 'holdout', holdoutBucket, rolloutBucket };
  if (rolloutBucket < bucketThreshold(rolloutPercent)) {
    return {
      arm: 'treatment',
      modelVersion: config.treatment.modelVersion,
      holdoutBucket,
      rolloutBucket,
    };
  }
  return {
    arm: 'control',
    modelVersion: config.control.modelVersion,
    holdoutBucket,
    rolloutBucket,
  };
}
