import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ASSETS_DIR } from '../../lib/paths.js';
import { isIntent, type Intent } from './intents.js';

export type Lang = 'en' | 'es';
export type Source = 'host' | 'viewer';

export interface IntentExample {
  text: string;
  intent: Intent;
  lang: Lang;
  source: Source;
}

export const INTENT_ASSETS_DIR = path.join(ASSETS_DIR, 'intent');
export const DATASET_PATH = path.join(INTENT_ASSETS_DIR, 'dataset.jsonl');

export function parseDataset(jsonl: string): IntentExample[] {
  return jsonl
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const row = JSON.parse(line) as Partial<IntentExample>;
      const valid =
        typeof row.text === 'string' &&
        isIntent(row.intent) &&
        (row.lang === 'en' || row.lang === 'es') &&
        (row.source === 'host' || row.source === 'viewer');
      if (!valid) throw new Error(`dataset line ${index + 1} is malformed: ${line}`);
      return row as IntentExample;
    });
}

export function loadDataset(file = DATASET_PATH): IntentExample[] {
  return parseDataset(readFileSync(file, 'utf8'));
}
