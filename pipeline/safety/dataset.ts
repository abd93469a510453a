import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ASSETS_DIR } from '../../lib/paths.js';
import { isSafetyLabel, type SafetyLabel, type SafetyLanguage } from './categories.js';

export type SafetySplit = 'train' | 'calibration' | 'test';

/** One labelled line of assets/safety/dataset.jsonl. */
export interface SafetyExample {
  text: string;
  label: SafetyLabel;
  lang: SafetyLanguage;
  /**
   * The phrasing the line came from (a template id, an intent-dataset line, a script
   * template): the unit of the split, so a phrasing is never both trained on and tested.
   */
  group: string;
  split: SafetySplit;
}

export const SAFETY_ASSETS_DIR = path.join(ASSETS_DIR, 'safety');
export const SAFETY_DATASET_PATH = path.join(SAFETY_ASSETS_DIR, 'dataset.jsonl');
/** Lines written by hand apart from the templates, never trained on: a generalisation check. */
export const SAFETY_PROBE_PATH = path.join(SAFETY_ASSETS_DIR, 'probe.jsonl');
/**
 * A second probe set (64 lines), written by hand in a voice apart from the templates and the
 * idea families (data/families.ts), never trained on, and first scored on the final model: the
 * honest figure for lines a new user writes.
 */
export const SAFETY_FRESH_PROBE_PATH = path.join(SAFETY_ASSETS_DIR, 'probe-fresh.jsonl');
/**
 * A third probe set (224 lines: 56 harmful, 8 per category, and 56 harmless per language),
 * written in a new user's voice before the voices round changed the data or the model, scored
 * on the old model once and on the final model once: never read against a model in between.
 */
export const SAFETY_FRESH_PROBE_2_PATH = path.join(SAFETY_ASSETS_DIR, 'probe-fresh-2.jsonl');

const SPLITS: readonly string[] = ['train', 'calibration', 'test'];

export function parseSafetyDataset(jsonl: string): SafetyExample[] {
  return jsonl
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const row = JSON.parse(line) as Partial<SafetyExample>;
      const valid =
        typeof row.text === 'string' &&
        isSafetyLabel(row.label) &&
        (row.lang === 'en' || row.lang === 'es') &&
        typeof row.group === 'string' &&
        SPLITS.includes(row.split as string);
      if (!valid) throw new Error(`safety dataset line ${index + 1} is malformed: ${line}`);
      return row as SafetyExample;
    });
}

export function loadSafetyDataset(file = SAFETY_DATASET_PATH): SafetyExample[] {
  return parseSafetyDataset(readFileSync(file, 'utf8'));
}

/** One line of the probe set: like a dataset row, without group or split. */
export type SafetyProbeLine = Pick<SafetyExample, 'text' | 'label' | 'lang'>;

export function loadSafetyProbe(file = SAFETY_PROBE_PATH): SafetyProbeLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const row = JSON.parse(line) as Partial<SafetyProbeLine>;
      if (typeof row.text !== 'string' || !isSafetyLabel(row.label) || (row.lang !== 'en' && row.lang !== 'es')) throw new Error(`safety probe line ${index + 1} is malformed: ${line}`);
      return row as SafetyProbeLine;
    });
}
