import { mulberry32 } from '../../../lib/prng.js';
import { evaluate, type Evaluation } from '../../intent/evaluate.js';
import { logits, softmax, type IntentNetwork } from '../../intent/network.js';
import { INPUT_NAME, networkToOnnx, ONNX_IR_VERSION, ONNX_OPSET, OUTPUT_NAME } from '../../intent/onnx/networkGraph.js';
import { toSparse } from '../../../lib/dense/sparseMlp.js';
import { extractSafetyFeatures, SAFETY_FEATURES, type SafetyFeatureConfig } from '../features.js';
import { trainSparseNetwork } from './sparseAdam.js';
import { fitTemperatureOnLogits } from '../../intent/train/calibrate.js';
import { modelVersion } from '../../intent/train/trainer.js';
import { ALLOWED_INDEX, SAFETY_LABELS, SAFETY_LANGUAGES, type SafetyLabel, type SafetyLanguage } from '../categories.js';
import { loadSafetyDataset, type SafetyExample } from '../dataset.js';
import { safetyMetrics, type SafetyMetrics } from '../metrics.js';

export interface TrainSafetyOptions {
  examples?: SafetyExample[];
  seed?: number;
  hidden?: number[];
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  l2?: number;
  harmfulCopies?: number;
  features?: SafetyFeatureConfig;
}

export const DEFAULT_SAFETY_TRAINING = {
  seed: 20_260_514,
  hidden: [16],
  epochs: 6,
  batchSize: 32,
  learningRate: 0.003,
  l2: 1e-5,
  /** Each harmful training line is seen this many times per epoch (the harmless lines once). */
  harmfulCopies: 2,
  /**
   * How a phrasing's weight depends on how many lines it has: 'none' (every line 1), 'sqrt'
   * (a group of n lines weighs √n in all), 'full' (every group weighs the same). A phrasing
   * with slots yields ten lines and one without two, so without balancing the slotted harmful
   * phrasings outweigh the hand-written hard negatives five to one.
   */
  groupBalance: 'sqrt' as 'none' | 'sqrt' | 'full',
  /**
   * False-refusal budget the per-language threshold must keep on the calibration split: half
   * the 1% target, because harmless phrasings never trained on (the test split, a new user's
   * lines) are refused more often than the calibration ones, and in groups of up to ten lines.
   */
  calibrationFalseRefusals: 0.005,
  /** Thresholds are kept within these bounds whatever the calibration slice says. */
  thresholdBounds: [0.05, 0.99] as [number, number],
};

/** What model.json holds next to model.onnx. */
export interface SafetyManifest {
  version: string;
  labels: SafetyLabel[];
  features: SafetyFeatureConfig;
  model: { kind: string; temperature: number; irVersion: number; opset: number; input: string; output: string };
  /** Refuse when 1 − P(allowed) reaches the threshold of the line's language. */
  thresholds: Record<SafetyLanguage, number>;
  /** A harm category is named in a refusal when its own probability reaches this. */
  categoryFloor: number;
  training: typeof DEFAULT_SAFETY_TRAINING & { examples: number; train: number; calibration: number; test: number };
  metrics: { test: SafetyMetrics; testClasses: Evaluation; calibration: SafetyMetrics };
}

export interface TrainedSafetyModel {
  onnx: Uint8Array;
  model: IntentNetwork;
  manifest: SafetyManifest;
  train: SafetyExample[];
  test: SafetyExample[];
  calibration: SafetyExample[];
  calibrationProbabilities: Float64Array[];
}

export const CATEGORY_FLOOR = 0.2;

/** The harm score of one probability row: everything that is not `allowed`. */
export const harmScore = (p: ArrayLike<number>): number => 1 - p[ALLOWED_INDEX]!;

/**
 * The lowest threshold (so the most harm refused) whose false-refusal rate on one language's
 * calibration lines stays within the budget; a grid of 0.01 steps within the bounds.
 */
function chooseThreshold(scores: readonly number[], harmful: readonly boolean[], maxFalseRefusals: number, [lo, hi]: [number, number]): number {
  const harmless = scores.filter((_, i) => !harmful[i]);
  for (let step = Math.round(lo * 100); step <= Math.round(hi * 100); step++) {
    const t = step / 100;
    if (harmless.filter((s) => s >= t).length <= maxFalseRefusals * harmless.length) return Math.fround(t);
  }
  return Math.fround(hi);
}


/**
 * Each line's weight under `balance`, scaled so the mean over the lines is 1 (the learning rate
 * keeps its meaning). Only division and Math.sqrt, which IEEE 754 rounds the same everywhere.
 */
export function groupWeights(examples: readonly SafetyExample[], balance: 'none' | 'sqrt' | 'full'): number[] {
  if (balance === 'none') return examples.map(() => 1);
  const sizes = new Map<string, number>();
  for (const e of examples) sizes.set(e.group, (sizes.get(e.group) ?? 0) + 1);
  const raw = examples.map((e) => {
    const n = sizes.get(e.group)!;
    return balance === 'full' ? 1 / n : 1 / Math.sqrt(n);
  });
  let sum = 0;
  for (const w of raw) sum += w;
  const scale = examples.length / sum;
  return raw.map((w) => w * scale);
}

export function trainSafetyModel(options: TrainSafetyOptions = {}): TrainedSafetyModel {
  const { examples: given, features: givenFeatures, ...overrides } = options;
  const settings = { ...DEFAULT_SAFETY_TRAINING, ...overrides };
  const examples = given ?? loadSafetyDataset();
  const features = givenFeatures ?? SAFETY_FEATURES;
  const of = (split: SafetyExample['split']) => examples.filter((e) => e.split === split);
  const [train, calibration, test] = [of('train'), of('calibration'), of('test')];
  const random = mulberry32(settings.seed);

  const labelOf = (e: SafetyExample) => SAFETY_LABELS.indexOf(e.label);
  const sparseOf = (e: SafetyExample) => toSparse(extractSafetyFeatures(e.text, features));
  // Each harmful training line is seen `harmfulCopies` times per epoch.
  const trainSparse = train.map(sparseOf);
  const copies = train.flatMap((e, i) => (e.label === 'allowed' ? [i] : Array.from({ length: settings.harmfulCopies }, () => i)));
  const weights = groupWeights(train, settings.groupBalance);
  const model = trainSparseNetwork(copies.map((i) => trainSparse[i]!), copies.map((i) => labelOf(train[i]!)), features.dimension, SAFETY_LABELS.length, {
    ...settings,
    random,
    weights: copies.map((i) => weights[i]!),
  });
  const logitsOf = (set: SafetyExample[]) => set.map((e) => logits(model, extractSafetyFeatures(e.text, features)));
  const calibrationLogits = logitsOf(calibration);
  model.temperature = fitTemperatureOnLogits(calibrationLogits, calibration.map(labelOf));

  const calibrationProbabilities = calibrationLogits.map((l) => softmax(l, model.temperature));
  const thresholds = {} as Record<SafetyLanguage, number>;
  for (const lang of SAFETY_LANGUAGES) {
    const rows = calibration.map((e, i) => ({ e, score: harmScore(calibrationProbabilities[i]!) })).filter((r) => r.e.lang === lang);
    thresholds[lang] = chooseThreshold(rows.map((r) => r.score), rows.map((r) => r.e.label !== 'allowed'), settings.calibrationFalseRefusals, settings.thresholdBounds);
  }

  const testProbabilities = logitsOf(test).map((l) => softmax(l, model.temperature));
  const kind = (settings.hidden.length ? `mlp-${settings.hidden.join('x')}-relu` : 'softmax-regression');
  const onnx = networkToOnnx(model, `OnAir safety classifier: hashed n-gram features → ${kind}`, { producer: 'onair-safety', name: 'safety' });
  const manifest: SafetyManifest = {
    version: modelVersion(onnx),
    labels: [...SAFETY_LABELS],
    features,
    model: { kind, temperature: model.temperature, irVersion: ONNX_IR_VERSION, opset: ONNX_OPSET, input: INPUT_NAME, output: OUTPUT_NAME },
    thresholds,
    categoryFloor: CATEGORY_FLOOR,
    training: { ...settings, examples: examples.length, train: train.length, calibration: calibration.length, test: test.length },
    metrics: {
      test: safetyMetrics(test, testProbabilities.map(harmScore), thresholds),
      testClasses: evaluate(SAFETY_LABELS, test.map(labelOf), testProbabilities),
      calibration: safetyMetrics(calibration, calibrationProbabilities.map(harmScore), thresholds),
    },
  };
  return { onnx, model, manifest, train, test, calibration, calibrationProbabilities };
}
