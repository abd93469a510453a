/** npm run train:intent — trains on assets/intent/dataset.jsonl, writes model.onnx and model.json. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { INTENT_ASSETS_DIR } from '../dataset.js';
import { formatEvaluation } from '../evaluate.js';
import { trainIntentModel } from './trainer.js';

const started = performance.now();
const { onnx, manifest } = trainIntentModel();
const trainedMs = performance.now() - started;
writeFileSync(path.join(INTENT_ASSETS_DIR, 'model.onnx'), onnx);
writeFileSync(path.join(INTENT_ASSETS_DIR, 'model.json'), JSON.stringify(manifest, null, 2) + '\n');

const t = manifest.training;
console.log(
  `intent model ${manifest.version}: ${t.examples} examples → train ${t.train}, calibration ${t.calibration}, test ${t.test}`,
);
console.log(`trained in ${trainedMs.toFixed(0)} ms; ONNX ${onnx.byteLength} bytes`);
const c = manifest.metrics.calibration;
console.log(
  `temperature ${manifest.model.temperature.toFixed(4)} (calibration-slice ECE ${c.eceBefore.toFixed(4)} → ${c.eceAfter.toFixed(4)})`,
);
console.log('\nheld-out test split:');
console.log(formatEvaluation(manifest.labels, manifest.metrics.test));
