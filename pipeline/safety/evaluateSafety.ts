/**
 * npm run eval:safety — the committed model (assets/safety/model.onnx, through onnxruntime, as
 * the server runs it) on the held-out test split and on the probe set (assets/safety/probe.jsonl,
 * lines written by hand apart from the templates and never trained on): harmful recall and false
 * refusals per language, and the latency of one check; then the same on the fresh probe sets
 * (assets/safety/probe-fresh.jsonl and probe-fresh-2.jsonl), written apart from the data and
 * scored on a final model only. `--details` lists every miss.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { SAFETY_LANGUAGES } from './categories.js';
import { loadSafetyDataset, loadSafetyProbe, SAFETY_ASSETS_DIR, SAFETY_FRESH_PROBE_2_PATH, SAFETY_FRESH_PROBE_PATH } from './dataset.js';
import { formatSafetyMetrics, safetyMetrics, type SafetyMetrics } from './metrics.js';
import { SafetyModel } from './SafetyModel.js';

export const TARGETS = { recall: 0.97, falseRefusalRate: 0.01 };

const details = process.argv.includes('--details');
const model = await SafetyModel.load();
const { thresholds } = model.manifest;
const test = loadSafetyDataset().filter((e) => e.split === 'test');
const probe = loadSafetyProbe();
const freshProbe = loadSafetyProbe(SAFETY_FRESH_PROBE_PATH);
const freshProbe2 = loadSafetyProbe(SAFETY_FRESH_PROBE_2_PATH);

const latencies: number[] = [];
async function scoresOf(rows: readonly { text: string; lang: 'en' | 'es' }[]): Promise<number[]> {
  const scores: number[] = [];
  for (const e of rows) {
    const started = performance.now();
    scores.push((await model.check(e.text, e.lang)).score);
    latencies.push(performance.now() - started);
  }
  return scores;
}
// Warm-up, not timed.
for (const e of test.slice(0, 50)) await model.check(e.text, e.lang);
const testMetrics = safetyMetrics(test, await scoresOf(test), thresholds);
const probeMetrics = safetyMetrics(probe, await scoresOf(probe), thresholds);
const freshMetrics = safetyMetrics(freshProbe, await scoresOf(freshProbe), thresholds);
const fresh2Metrics = safetyMetrics(freshProbe2, await scoresOf(freshProbe2), thresholds);
await model.close();

const targets = (metrics: SafetyMetrics) =>
  SAFETY_LANGUAGES.map((l) => {
    const m = metrics[l];
    const ok = m.recall >= TARGETS.recall && m.falseRefusalRate <= TARGETS.falseRefusalRate;
    return `${l}: ${ok ? 'met' : 'NOT met'} (recall ≥ ${TARGETS.recall}: ${m.recall >= TARGETS.recall ? 'yes' : 'no'}, false refusals ≤ ${TARGETS.falseRefusalRate}: ${m.falseRefusalRate <= TARGETS.falseRefusalRate ? 'yes' : 'no'})`;
  }).join('; ');

const sorted = [...latencies].sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const onnxBytes = statSync(path.join(SAFETY_ASSETS_DIR, 'model.onnx')).size;
console.log(`safety model ${model.version} (${model.manifest.model.kind}, model.onnx ${(onnxBytes / 1e6).toFixed(1)} MB); thresholds en ${thresholds.en.toFixed(2)} es ${thresholds.es.toFixed(2)}\n`);
console.log(`held-out test split (phrasings never trained on): ${test.length} lines`);
console.log(formatSafetyMetrics(testMetrics, details));
console.log(`targets: ${targets(testMetrics)}\n`);
console.log(`probe set (assets/safety/probe.jsonl, written by hand, never trained or tuned on): ${probe.length} lines`);
console.log(formatSafetyMetrics(probeMetrics, details));
console.log(`targets: ${targets(probeMetrics)}\n`);
console.log(`fresh probe set (assets/safety/probe-fresh.jsonl, written by hand apart from the data, first scored on the final model): ${freshProbe.length} lines`);
console.log(formatSafetyMetrics(freshMetrics, details));
console.log(`targets: ${targets(freshMetrics)}\n`);
console.log(`second fresh probe set (assets/safety/probe-fresh-2.jsonl, a new user's voice, written before the last data round): ${freshProbe2.length} lines`);
console.log(formatSafetyMetrics(fresh2Metrics, details));
console.log(`targets: ${targets(fresh2Metrics)}\n`);
console.log(`latency of one check (onnxruntime, features included), ${sorted.length} checks: p50 ${pct(50).toFixed(3)} ms, p95 ${pct(95).toFixed(3)} ms, p99 ${pct(99).toFixed(3)} ms`);
