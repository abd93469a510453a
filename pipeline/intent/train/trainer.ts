import { createHash } from 'node:crypto';
import { loadDataset, type IntentExample } from '../dataset.js';
import { evaluate, type Evaluation } from '../evaluate.js';
import { extractFeatures, FEATURE_CONFIG, type FeatureConfig } from '../features.js';
import { INTENTS, type Intent } from '../intents.js';
import { predictProbabilities, type IntentNetwork } from '../network.js';
import {
  networkToOnnx,
  INPUT_NAME,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  OUTPUT_NAME,
} from '../onnx/networkGraph.js';
import { mulberry32 } from '../../../lib/prng.js';
import { fitTemperature } from './calibrate.js';
import { toSparse, trainDenseNetwork } from './denseTrainer.js';
import { stratifiedSplit } from './split.js';

export interface TrainIntentOptions {
  examples?: IntentExample[];
  features?: FeatureConfig;
  seed?: number;
  testFraction?: number;
  /** Share of the training split held back to fit the temperature. */
  calibrationFraction?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  l2?: number;
}

export const DEFAULT_TRAINING = {
  seed: 20_260_401,
  hidden: [64],
  testFraction: 0.2,
  calibrationFraction: 0.15,
  epochs: 12,
  batchSize: 32,
  learningRate: 0.003,
  l2: 1e-5,
};

/** What model.json holds next to model.onnx. */
export interface IntentManifest {
  version: string;
  labels: Intent[];
  features: FeatureConfig;
  model: {
    kind: string;
    temperature: number;
    irVersion: number;
    opset: number;
    input: string;
    output: string;
  };
  training: typeof DEFAULT_TRAINING & {
    examples: number;
    train: number;
    calibration: number;
    test: number;
  };
  metrics: { test: Evaluation; calibration: { eceBefore: number; eceAfter: number } };
}

export interface TrainedIntentModel {
  onnx: Uint8Array;
  model: IntentNetwork;
  manifest: IntentManifest;
  /** The examples the weights were fitted on. */
  train: IntentExample[];
  /** The held-out split, for checks that must not see training data. */
  test: IntentExample[];
}

export function modelVersion(onnx: Uint8Array): string {
  return createHash('sha256').update(onnx).digest('hex').slice(0, 12);
}

export function trainIntentModel(options: TrainIntentOptions = {}): TrainedIntentModel {
  const { examples: given, features: givenFeatures, ...overrides } = options;
  const settings = { ...DEFAULT_TRAINING, ...overrides };
  const features = givenFeatures ?? FEATURE_CONFIG;
  const examples = given ?? loadDataset();
  const random = mulberry32(settings.seed);
  const { kept, held: test } = stratifiedSplit(examples, settings.testFraction, random);
  const { kept: train, held: calibration } = stratifiedSplit(
    kept,
    settings.calibrationFraction,
    random,
  );

  const labelOf = (e: IntentExample) => INTENTS.indexOf(e.intent);
  const featuresOf = (set: IntentExample[]) => set.map((e) => extractFeatures(e.text, features));
  const trainFeatures = featuresOf(train);
  const calibrationFeatures = featuresOf(calibration);
  const model = trainDenseNetwork(
    trainFeatures.map(toSparse),
    train.map(labelOf),
    features.dimension,
    INTENTS.length,
    { ...settings, random },
  );

  const calibrationLabels = calibration.map(labelOf);
  const eceOnCalibration = (m: IntentNetwork) =>
    evaluate(
      INTENTS,
      calibrationLabels,
      calibrationFeatures.map((x) => predictProbabilities(m, x)),
    ).ece;
  const eceBefore = eceOnCalibration(model);
  model.temperature = fitTemperature(model, calibrationFeatures, calibrationLabels);
  const eceAfter = eceOnCalibration(model);

  const testEvaluation = evaluate(
    INTENTS,
    test.map(labelOf),
    featuresOf(test).map((x) => predictProbabilities(model, x)),
  );
  const kind = settings.hidden.length
    ? `mlp-${settings.hidden.join('x')}-relu`
    : 'softmax-regression';
  const onnx = networkToOnnx(model, `OnAir intent classifier: hashed n-gram features → ${kind}`);
  const manifest: IntentManifest = {
    version: modelVersion(onnx),
    labels: [...INTENTS],
    features,
    model: {
      kind,
      temperature: model.temperature,
      irVersion: ONNX_IR_VERSION,
      opset: ONNX_OPSET,
      input: INPUT_NAME,
      output: OUTPUT_NAME,
    },
    training: {
      ...settings,
      examples: examples.length,
      train: train.length,
      calibration: calibration.length,
      test: test.length,
    },
    metrics: { test: testEvaluation, calibration: { eceBefore, eceAfter } },
  };
  return { onnx, model, manifest, train, test };
}
