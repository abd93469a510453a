import { createHash } from 'node:crypto';
import path from 'node:path';
import { mulberry32, shuffled } from '../../../../lib/prng.js';
import { CTA_PLACEMENTS } from '../../../overlays/validateOverlayTemplate.js';
import { RankerLogError } from '../../decisionErrors.js';
import type { CtaPlacement, OverlayTemplate } from '../../types.js';
import { encodeCandidates } from '../featureEncoder.js';
import { FEATURE_DIMENSION, FEATURE_NAMES, PLACEMENT_FEATURES } from '../featureLayout.js';
import { rankerToOnnx, RANKER_INPUT, RANKER_OUTPUT } from '../onnx/rankerGraph.js';
import { RANKER_ASSETS_DIR, type RankerManifest } from '../rankerManifest.js';
import { scoreRowsReference, type RankerNetwork } from '../rankerNetwork.js';
import { trueClickProbability } from './clickModel.js';
import { loggingProbabilities } from './loggingPolicy.js';
import {
  auc,
  estimatePolicy,
  logLoss,
  uniformPolicy,
  type PolicyProbabilities,
} from './offPolicy.js';
import type { LoggedDecision } from './rankerLogs.js';
import { toRankerNetwork, toSparse, trainRankerNetwork, type TrainingExample } from './trainer.js';

export const DEFAULT_LOGS_FILE = path.join(RANKER_ASSETS_DIR, 'simulated-logs.jsonl.gz');
export const SIMULATION = { seed: 20_250_605, decisions: 30_000 };

export interface TrainingConfig {
  seed: number;
  testFraction: number;
  /** IPS weights are min(1/propensity, ipsClip), then scaled to mean 1. */
  ipsClip: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  l2: number;
}

export const TRAINING_CONFIG: TrainingConfig = {
  seed: 11,
  testFraction: 0.2,
  ipsClip: 10,
  epochs: 8,
  batchSize: 128,
  learningRate: 0.01,
  l2: 1e-5,
};

/** The two committed versions; the MLP trains longer, slower and with more weight decay. */
export const VERSION_SPECS = {
  'ranker-v1': { kind: 'logistic', hidden: [] as number[], overrides: {} },
  'ranker-v2': {
    kind: 'mlp',
    hidden: [16],
    overrides: { epochs: 12, learningRate: 0.003, l2: 1e-4 },
  },
} as const;
export type RankerVersionName = keyof typeof VERSION_SPECS;

export interface TrainedVersion {
  network: RankerNetwork;
  onnx: Uint8Array;
  manifest: RankerManifest;
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

export function splitLogs(rows: readonly LoggedDecision[], config: TrainingConfig) {
  const order = shuffled(Array.from(rows.keys()), mulberry32(config.seed));
  const testCount = Math.round(rows.length * config.testFraction);
  const pick = (indices: number[]) => indices.map((i) => rows[i]!);
  return { train: pick(order.slice(testCount)), test: pick(order.slice(0, testCount)) };
}

function templateOf(byId: ReadonlyMap<string, OverlayTemplate>, id: string): OverlayTemplate {
  const template = byId.get(id);
  if (!template)
    throw new RankerLogError('RANKER_LOG_UNKNOWN_TEMPLATE', `logs name ${id}, not in the catalog`);
  return template;
}

/** The logged impressions with their relevance rows (placement zeroed) and clipped IPS weights. */
export function trainingExamples(
  rows: readonly LoggedDecision[],
  byId: ReadonlyMap<string, OverlayTemplate>,
  ipsClip: number,
): TrainingExample[] {
  const shown = rows.filter((r) => r.action !== 'none');
  const raw = shown.map((r) => Math.min(1 / r.propensity, ipsClip));
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  return shown.map((r, i) => {
    const template = templateOf(byId, r.action);
    const row = encodeCandidates(r.context, r.context.session!, [template]);
    for (const index of PLACEMENT_FEATURES) row[index] = 0;
    return {
      ...toSparse(row),
      placement: CTA_PLACEMENTS.indexOf(template.placement),
      clicked: r.clicked,
      weight: raw[i]! / mean,
    };
  });
}

function candidateScores(
  network: RankerNetwork,
  row: LoggedDecision,
  byId: ReadonlyMap<string, OverlayTemplate>,
) {
  const templates = row.candidates.map((id) => templateOf(byId, id));
  return scoreRowsReference(
    network,
    encodeCandidates(row.context, row.context.session!, templates),
    templates.length,
  );
}

/** The learned greedy policy: the best-scoring candidate, always shown (a click beats none). */
function greedyPolicy(
  network: RankerNetwork,
  byId: ReadonlyMap<string, OverlayTemplate>,
): PolicyProbabilities {
  return (row) => {
    const scores = candidateScores(network, row, byId);
    let best = 0;
    scores.forEach((s, i) => s > scores[best]! && (best = i));
    const actions = row.candidates.length + (row.noneAllowed ? 1 : 0);
    return Array.from({ length: actions }, (_, a) => (a === best ? 1 : 0));
  };
}

/** Simulated logs only: the best any policy could do, greedy on the true click probability. */
function optimalPolicy(
  trueClick: (row: LoggedDecision, action: number) => number,
): PolicyProbabilities {
  return (row) => {
    const values = row.candidates.map((_, a) => trueClick(row, a));
    const best = values.indexOf(Math.max(...values));
    const actions = row.candidates.length + (row.noneAllowed ? 1 : 0);
    return Array.from({ length: actions }, (_, a) => (a === best ? 1 : 0));
  };
}

function evaluate(
  network: RankerNetwork,
  test: readonly LoggedDecision[],
  byId: ReadonlyMap<string, OverlayTemplate>,
  simulated: boolean,
) {
  const shown = test.filter((r) => r.action !== 'none');
  const scores = shown.map(
    (r) => candidateScores(network, r, byId)[r.candidates.indexOf(r.action)]!,
  );
  const labels = shown.map((r) => r.clicked);
  const trueClick = simulated
    ? (r: LoggedDecision, a: number) =>
        a < r.candidates.length
          ? trueClickProbability(r.context, templateOf(byId, r.candidates[a]!))
          : 0
    : undefined;
  const rounded = (e: ReturnType<typeof estimatePolicy>) =>
    Object.fromEntries(Object.entries(e).map(([k, v]) => [k, round(v)])) as unknown as typeof e;
  const logging: PolicyProbabilities = (r) =>
    loggingProbabilities(
      r.context,
      r.candidates.map((id) => templateOf(byId, id)),
      r.noneAllowed,
    );
  return {
    testAuc: round(auc(scores, labels)),
    testLogLoss: round(logLoss(scores, labels)),
    policies: {
      logging: rounded(simulated ? estimatePolicy(test, logging, trueClick) : estimateLogged(test)),
      uniform: rounded(estimatePolicy(test, uniformPolicy, trueClick)),
      learned: rounded(estimatePolicy(test, greedyPolicy(network, byId), trueClick)),
      ...(trueClick && {
        optimal: rounded(estimatePolicy(test, optimalPolicy(trueClick), trueClick)),
      }),
    },
  };
}

/** Exported logs need not come from a known policy: its on-policy value is the mean reward. */
function estimateLogged(test: readonly LoggedDecision[]) {
  const mean = test.reduce((sum, r) => sum + r.clicked, 0) / test.length;
  return { ips: mean, snips: mean };
}

function placementRecord(values: number[]): Record<CtaPlacement, number> {
  return Object.fromEntries(CTA_PLACEMENTS.map((p, i) => [p, round(values[i]!)])) as Record<
    CtaPlacement,
    number
  >;
}

/** Trains one version (seeded, deterministic) and evaluates it on the held-out split. */
export function trainVersion(
  version: RankerVersionName,
  rows: readonly LoggedDecision[],
  templates: readonly OverlayTemplate[],
  options: { logsName: string; simulated: boolean; config?: TrainingConfig },
): TrainedVersion {
  const spec = VERSION_SPECS[version];
  const config = options.config ?? { ...TRAINING_CONFIG, ...spec.overrides };
  const byId = new Map(templates.map((t) => [t.id, t]));
  const { train, test } = splitLogs(rows, config);
  const examples = trainingExamples(train, byId, config.ipsClip);
  const trained = trainRankerNetwork(examples, FEATURE_DIMENSION, CTA_PLACEMENTS.length, {
    ...config,
    hidden: [...spec.hidden],
    random: mulberry32(config.seed + spec.hidden.length + 1),
  });
  const network = toRankerNetwork(trained, PLACEMENT_FEATURES, FEATURE_DIMENSION);
  const onnx = rankerToOnnx(
    network,
    `${version}: ${spec.kind} relevance × per-placement examination`,
  );
  const lowerThird = trained.examination[0]!;
  const manifest: RankerManifest = {
    version,
    kind: spec.kind,
    model: {
      file: 'model.onnx',
      input: RANKER_INPUT,
      output: RANKER_OUTPUT,
      sha256: sha256(onnx),
      hidden: [...spec.hidden],
    },
    features: { dimension: FEATURE_DIMENSION, names: [...FEATURE_NAMES] },
    examination: placementRecord(trained.examination),
    examinationRelative: placementRecord(trained.examination.map((e) => e / lowerThird)),
    training: {
      logs: options.logsName,
      seed: config.seed,
      decisions: rows.length,
      trainImpressions: examples.length,
      testDecisions: test.length,
      testImpressions: test.filter((r) => r.action !== 'none').length,
      epochs: config.epochs,
      batchSize: config.batchSize,
      learningRate: config.learningRate,
      l2: config.l2,
      ipsClip: config.ipsClip,
    },
    metrics: evaluate(network, test, byId, options.simulated),
  };
  return { network, onnx, manifest };
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
