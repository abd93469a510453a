/**
 * npm run eval:safety — the committed model (assets/safety/model.onnx, through onnxruntime, as
 * the server runs it) on the held-out test split: harmful recall and false refusals per language.
 */
import { SAFETY_LANGUAGES } from './categories.js';
import { loadSafetyDataset } from './dataset.js';
import { formatSafetyMetrics, safetyMetrics } from './metrics.js';
import { SafetyModel } from './SafetyModel.js';

export const TARGETS = { recall: 0.97, falseRefusalRate: 0.01 };

const model = await SafetyModel.load();
const test = loadSafetyDataset().filter((e) => e.split === 'test');
const scores: number[] = [];
for (const e of test) scores.push((await model.check(e.text, e.lang)).score);
const metrics = safetyMetrics(test, scores, model.manifest.thresholds);
await model.close();

console.log(`safety model ${model.version}, held-out test split (templates never trained on): ${test.length} lines`);
console.log(`thresholds en ${model.manifest.thresholds.en.toFixed(2)} es ${model.manifest.thresholds.es.toFixed(2)}\n`);
console.log(formatSafetyMetrics(metrics, process.argv.includes('--details')));
const met = SAFETY_LANGUAGES.map((l) => {
  const m = metrics[l];
  const ok = m.recall >= TARGETS.recall && m.falseRefusalRate <= TARGETS.falseRefusalRate;
  return `${l}: ${ok ? 'met' : 'NOT met'} (recall ≥ ${TARGETS.recall}: ${m.recall >= TARGETS.recall ? 'yes' : 'no'}, false refusals ≤ ${TARGETS.falseRefusalRate}: ${m.falseRefusalRate <= TARGETS.falseRefusalRate ? 'yes' : 'no'})`;
});
console.log(`\ntargets: ${met.join('; ')}`);
