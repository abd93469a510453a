import path from 'node:path';
import { ASSETS_DIR } from '../../../lib/paths.js';
import type { CtaPlacement } from '../types.js';

export const RANKER_ASSETS_DIR = path.join(ASSETS_DIR, 'ranker');
export const RANKER_VERSIONS = ['ranker-v1', 'ranker-v2'] as const;

export interface PolicyEstimate {
  /** Clicks per decision (a `none` decision earns 0). */
  ips: number;
  snips: number;
  /** The simulator's true expected clicks per decision, when the logs came from it. */
  oracle?: number;
}

export interface RankerManifest {
  version: string;
  kind: 'logistic' | 'mlp';
  model: { file: 'model.onnx'; input: string; output: string; sha256: string; hidden: number[] };
  features: { dimension: number; names: string[] };
  /** Learned P(examined | placement), and relative to the lower third. */
  examination: Record<CtaPlacement, number>;
  examinationRelative: Record<CtaPlacement, number>;
  training: {
    logs: string;
    seed: number;
    decisions: number;
    trainImpressions: number;
    testDecisions: number;
    testImpressions: number;
    epochs: number;
    batchSize: number;
    learningRate: number;
    l2: number;
    ipsClip: number;
  };
  metrics: {
    testAuc: number;
    testLogLoss: number;
    policies: {
      logging: PolicyEstimate;
      uniform: PolicyEstimate;
      learned: PolicyEstimate;
      /** Simulated logs only: greedy on the true click probability. */
      optimal?: PolicyEstimate;
    };
  };
}
