/**
 * npm run train:ranker [-- --logs <file.jsonl[.gz]>] [--out <dir>] [--simulate]
 * Trains ranker-v1 (logistic) and ranker-v2 (MLP) from logged decisions and writes
 * <out>/<version>/model.onnx + model.json. Without --logs it trains on the committed
 * simulated logs, writing them first (seeded) when missing or when --simulate is given.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { OverlayCatalog } from '../../../overlays/OverlayCatalog.js';
import { RANKER_ASSETS_DIR } from '../rankerManifest.js';
import { readLogs, writeLogs } from './rankerLogs.js';
import {
  DEFAULT_LOGS_FILE,
  SIMULATION,
  trainVersion,
  VERSION_SPECS,
  type RankerVersionName,
  type TrainedVersion,
} from './rankerTraining.js';
import { simulateLogs } from './simulate.js';
import { TRUE_EXAMINATION } from './clickModel.js';

const { values: args } = parseArgs({
  options: {
    logs: { type: 'string' },
    out: { type: 'string', default: RANKER_ASSETS_DIR },
    simulate: { type: 'boolean', default: false },
  },
});

const catalog = OverlayCatalog.load();
const simulated = args.logs === undefined;
const logsFile = args.logs ?? DEFAULT_LOGS_FILE;
if (simulated && (args.simulate || !existsSync(logsFile))) {
  writeLogs(logsFile, simulateLogs(catalog.templates, SIMULATION));
  console.log(
    `simulated ${SIMULATION.decisions} decisions (seed ${SIMULATION.seed}) → ${logsFile}`,
  );
}
const rows = readLogs(logsFile);
const logsName = path.relative(process.cwd(), logsFile);

const f = (v: number | undefined) => (v === undefined ? '   n/a' : v.toFixed(4));
function report({ manifest: m }: TrainedVersion, trainedMs: number) {
  const t = m.training;
  console.log(
    `\n${m.version} (${m.kind}): ${t.trainImpressions} training impressions, ${trainedMs.toFixed(0)} ms`,
  );
  console.log(
    `  held-out: ${t.testDecisions} decisions, ${t.testImpressions} impressions: AUC ${f(m.metrics.testAuc)}, log loss ${f(m.metrics.testLogLoss)}`,
  );
  const truth = simulated
    ? ` (true ${Object.values(TRUE_EXAMINATION)
        .map((v) => (v / TRUE_EXAMINATION.lower_third_cta).toFixed(3))
        .join(' / ')})`
    : '';
  console.log(
    `  examination relative to the lower third: ${Object.values(m.examinationRelative)
      .map((v) => v.toFixed(3))
      .join(' / ')}${truth}`,
  );
  console.log('  clicks per decision        IPS    SNIPS   true');
  for (const [name, e] of Object.entries(m.metrics.policies)) {
    console.log(`    ${name.padEnd(22)} ${f(e.ips)}  ${f(e.snips)}  ${f(e.oracle)}`);
  }
}

for (const version of Object.keys(VERSION_SPECS) as RankerVersionName[]) {
  const started = performance.now();
  const trained = trainVersion(version, rows, catalog.templates, { logsName, simulated });
  const dir = path.join(args.out, version);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'model.onnx'), trained.onnx);
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify(trained.manifest, null, 2) + '\n');
  report(trained, performance.now() - started);
}
