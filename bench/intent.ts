/**
 * bench:intent — the intent classifier's cost per call: single classify latency through
 * onnxruntime (features included), batch-32 throughput, and the pure-JS forward pass on the
 * same weights as a baseline.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatSummary, summarize } from '../lib/percentiles.js';
import { INTENT_ASSETS_DIR, loadDataset } from '../pipeline/intent/dataset.js';
import { extractFeatures } from '../pipeline/intent/features.js';
import { IntentModel } from '../pipeline/intent/IntentModel.js';
import { predictProbabilities } from '../pipeline/intent/network.js';
import { onnxToNetwork } from '../pipeline/intent/onnx/networkGraph.js';

const CALLS = Number(process.env.INTENT_BENCH_CALLS ?? 5_000);
const BATCH = 32;
const texts = loadDataset().map((e) => e.text);
const textAt = (i: number) => texts[i % texts.length]!;

const loadStarted = performance.now();
const model = await IntentModel.load();
console.log(`model ${model.version} loaded in ${(performance.now() - loadStarted).toFixed(1)} ms`);

for (let i = 0; i < 500; i++) await model.classify(textAt(i));

const single: number[] = [];
for (let i = 0; i < CALLS; i++) {
  const started = performance.now();
  await model.classify(textAt(i));
  single.push(performance.now() - started);
}
console.log(formatSummary('classify (onnxruntime, batch 1)', summarize(single)));

const batches = Math.ceil(CALLS / BATCH);
const batchStarted = performance.now();
for (let b = 0; b < batches; b++) {
  await model.classifyBatch(Array.from({ length: BATCH }, (_, i) => textAt(b * BATCH + i)));
}
const batchMs = performance.now() - batchStarted;
console.log(
  `classifyBatch(${BATCH}): ${((batches * BATCH * 1000) / batchMs).toFixed(0)} classifications/s`,
);

const features: number[] = [];
const forward: number[] = [];
const total: number[] = [];
const reference = onnxToNetwork(readFileSync(path.join(INTENT_ASSETS_DIR, 'model.onnx')));
for (let i = 0; i < CALLS + 500; i++) {
  const t0 = performance.now();
  const x = extractFeatures(textAt(i), model.featureConfig);
  const t1 = performance.now();
  predictProbabilities(reference, x);
  const t2 = performance.now();
  if (i >= 500) {
    features.push(t1 - t0);
    forward.push(t2 - t1);
    total.push(t2 - t0);
  }
}
console.log(formatSummary('features only', summarize(features)));
console.log(formatSummary('forward pass only (pure JS)', summarize(forward)));
console.log(formatSummary('classify (pure JS baseline: features + forward)', summarize(total)));
await model.close();
