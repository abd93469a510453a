/** npm run train:safety — trains on assets/safety/dataset.jsonl, writes model.onnx and model.json. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { SAFETY_ASSETS_DIR } from '../dataset.js';
import { formatSafetyMetrics } from '../metrics.js';
import { trainSafetyModel } from './trainer.js';

const started = performance.now();
const { onnx, manifest } = trainSafetyModel();
const trainedMs = performance.now() - started;
writeFileSync(path.join(SAFETY_ASSETS_DIR, 'model.onnx'), onnx);
writeFileSync(path.join(SAFETY_ASSETS_DIR, 'model.json'), JSON.stringify(manifest, null, 2) + '\n');

const t = manifest.training;
console.log(`safety model ${manifest.version}: ${t.examples} lines → train ${t.train}, calibration ${t.calibration}, test ${t.test}`);
console.log(`trained in ${trainedMs.toFixed(0)} ms; ONNX ${onnx.byteLength} bytes; temperature ${manifest.model.temperature.toFixed(4)}`);
console.log(`thresholds en ${manifest.thresholds.en.toFixed(2)} es ${manifest.thresholds.es.toFixed(2)}\n`);
console.log(formatSafetyMetrics(manifest.metrics.test));
