/** Rebuilds assets/safety/dataset.jsonl: `npx tsx pipeline/safety/data/buildSafetyDataset.ts`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { SAFETY_LABELS } from '../categories.js';
import { SAFETY_ASSETS_DIR, SAFETY_DATASET_PATH } from '../dataset.js';
import { generateSafetyDataset } from './generate.js';

const rows = generateSafetyDataset();
mkdirSync(SAFETY_ASSETS_DIR, { recursive: true });
writeFileSync(SAFETY_DATASET_PATH, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

const count = (filter: (r: (typeof rows)[number]) => boolean) => rows.filter(filter).length;
console.log(`${rows.length} lines, ${count((r) => r.lang === 'es')} Spanish, groups ${new Set(rows.map((r) => r.group)).size}`);
console.log('label                         en(train/cal/test)   es(train/cal/test)');
for (const label of SAFETY_LABELS) {
  const cell = (lang: string) =>
    (['train', 'calibration', 'test'] as const).map((s) => count((r) => r.label === label && r.lang === lang && r.split === s)).join('/');
  console.log(`${label.padEnd(29)} ${cell('en').padEnd(20)} ${cell('es')}`);
}
