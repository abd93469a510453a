/**
 * Builds the safety dataset: the templates of ./templates.ts expanded with their slot values,
 * plus harmless lines written by hand elsewhere in the repo (the intent dataset's lines other
 * than off_policy, and the presenter's script templates). Every line belongs to a group (its
 * phrasing); whole groups are assigned to the train, calibration or test split, seeded.
 */
import { readFileSync } from 'node:fs';
import { mulberry32, shuffled } from '../../../lib/prng.js';
import { loadDataset } from '../../intent/dataset.js';
import { fnv1a32 } from '../../intent/features.js';
import { DEFAULT_TEMPLATES_FILE } from '../../script/parseTemplates.js';
import { SAFETY_LABELS, SAFETY_LANGUAGES, type SafetyLabel, type SafetyLanguage } from '../categories.js';
import type { SafetyExample, SafetySplit } from '../dataset.js';
import { SLOTS, TEMPLATES } from './templates.js';

export const DATASET_SETTINGS = {
  seed: 20_260_513,
  /** Lines drawn from one template with slots (distinct fills). */
  linesPerTemplate: 12,
  /** Share of each (label, language, origin)'s groups held out for the test split. */
  testFraction: 0.25,
  /** Share of the remaining groups kept back to fit the temperature and the thresholds. */
  calibrationFraction: 0.15,
};

type Row = Omit<SafetyExample, 'split'> & { origin: string };

const SLOT = /\{(\w+)\}/g;

/** Up to `count` distinct fills of one template, chosen by a PRNG seeded with its id. */
export function expandTemplate(template: string, id: string, lang: SafetyLanguage, count: number): string[] {
  const slots = [...template.matchAll(SLOT)].map((m) => m[1]!);
  if (slots.length === 0) return [template];
  const random = mulberry32(fnv1a32(id));
  const lines = new Set<string>();
  for (let attempt = 0; attempt < count * 6 && lines.size < count; attempt++) {
    lines.add(
      template.replace(SLOT, (_, name: string) => {
        const values = SLOTS[lang][name];
        if (!values) throw new Error(`${id}: unknown slot {${name}}`);
        return values[Math.floor(random() * values.length)]!;
      }),
    );
  }
  return [...lines];
}

function templateRows(): Row[] {
  const rows: Row[] = [];
  for (const lang of SAFETY_LANGUAGES) {
    for (const label of SAFETY_LABELS) {
      (TEMPLATES[lang][label] ?? []).forEach((template, i) => {
        const group = `tpl:${label}.${lang}.${i}`;
        for (const text of expandTemplate(template, group, lang, DATASET_SETTINGS.linesPerTemplate))
          rows.push({ text, label, lang, group, origin: 'template' });
      });
    }
  }
  return rows;
}

/**
 * Slot values on their own, as training lines only (never evaluated): the harmful phrases the
 * templates share ("a pipe bomb", "kill myself", "send me nudes") and the harmless words that
 * look like them or appear around them (drug and group names alone, "shoot a video").
 */
const LEXICON: Record<string, SafetyLabel> = {
  weapon: 'violence_weapons',
  attack: 'violence_weapons',
  selfact: 'self_harm',
  sexual: 'sexual_content',
  inject: 'prompt_injection',
  leak: 'prompt_injection',
  drug: 'allowed',
  group: 'allowed',
  process: 'allowed',
  shoot: 'allowed',
  thing: 'allowed',
  food: 'allowed',
  topic: 'allowed',
};

function lexiconRows(): Row[] {
  return SAFETY_LANGUAGES.flatMap((lang) =>
    Object.entries(LEXICON).flatMap(([slot, label]) =>
      SLOTS[lang][slot]!.map((text) => ({ text, label, lang, group: `lexicon:${slot}.${lang}`, origin: 'lexicon' })),
    ),
  );
}

/** The intent dataset's host cues and viewer lines, except off_policy: harmless by construction. */
function intentRows(): Row[] {
  return loadDataset()
    .filter((e) => e.intent !== 'off_policy')
    .map((e) => ({ text: e.text, label: 'allowed' as const, lang: e.lang, group: `intent:${fnv1a32(e.text).toString(16)}`, origin: 'intent' }));
}

const SCRIPT_SLOT_VALUES: Record<SafetyLanguage, Record<string, string>> = {
  en: { topic: 'the new lens', offer: 'the lens kit', sponsor: 'Acme', pollWinner: 'option B', pollPercent: '62', question: 'does it ship to Canada', viewerName: 'Maria', presenterName: 'Ava', showTitle: 'Gear Night' },
  es: { topic: 'el objetivo nuevo', offer: 'el kit de objetivos', sponsor: 'Acme', pollWinner: 'la opción B', pollPercent: '62', question: 'se envía a México', viewerName: 'María', presenterName: 'Lucía', showTitle: 'Noche de Equipo' },
};

/** The presenter's own template lines, filled: what a harmless spoken sentence looks like. */
function scriptRows(): Row[] {
  const doc = JSON.parse(readFileSync(DEFAULT_TEMPLATES_FILE, 'utf8')) as Record<string, Record<string, Record<string, Record<string, string>>>>;
  const rows: Row[] = [];
  for (const [intent, tones] of Object.entries(doc)) {
    for (const [tone, languages] of Object.entries(tones)) {
      for (const [lang, variants] of Object.entries(languages)) {
        if (lang !== 'en' && lang !== 'es') continue;
        for (const [variant, text] of Object.entries(variants)) {
          const filled = text.replace(SLOT, (_, name: string) => SCRIPT_SLOT_VALUES[lang][name] ?? name);
          rows.push({ text: filled, label: 'allowed', lang, group: `script:${intent}.${tone}.${lang}.${variant}`, origin: 'script' });
        }
      }
    }
  }
  return rows;
}

/** Whole groups to splits: within each (label, language, origin), a seeded shuffle of its groups. */
function assignSplits(rows: readonly Row[]): Map<string, SafetySplit> {
  const random = mulberry32(DATASET_SETTINGS.seed);
  const strata = new Map<string, Set<string>>();
  for (const row of rows) {
    const key = `${row.label}/${row.lang}/${row.origin}`;
    const set = strata.get(key) ?? new Set<string>();
    set.add(row.group);
    strata.set(key, set);
  }
  const splitOf = new Map<string, SafetySplit>();
  for (const key of [...strata.keys()].sort()) {
    if (key.endsWith('/lexicon')) {
      for (const g of strata.get(key)!) splitOf.set(g, 'train');
      continue;
    }
    const groups = shuffled([...strata.get(key)!].sort(), random);
    const test = Math.round(groups.length * DATASET_SETTINGS.testFraction);
    const calibration = Math.round((groups.length - test) * DATASET_SETTINGS.calibrationFraction);
    groups.forEach((g, i) => splitOf.set(g, i < test ? 'test' : i < test + calibration ? 'calibration' : 'train'));
  }
  return splitOf;
}

const LABEL_ORDER = new Map<SafetyLabel, number>(SAFETY_LABELS.map((l, i) => [l, i]));

/** The whole dataset, deterministic; the first row seen wins a text that appears twice. */
export function generateSafetyDataset(): SafetyExample[] {
  const seen = new Map<string, Row>();
  for (const row of [...templateRows(), ...lexiconRows(), ...scriptRows(), ...intentRows()]) {
    const key = row.text.toLowerCase();
    const earlier = seen.get(key);
    if (earlier && earlier.label !== row.label) throw new Error(`"${row.text}" is labelled both ${earlier.label} and ${row.label}`);
    if (!earlier) seen.set(key, row);
  }
  const rows = [...seen.values()];
  const splitOf = assignSplits(rows);
  return rows
    .map(({ text, label, lang, group }) => ({ text, label, lang, group, split: splitOf.get(group)! }))
    .sort((a, b) => LABEL_ORDER.get(a.label)! - LABEL_ORDER.get(b.label)! || (a.lang < b.lang ? -1 : a.lang > b.lang ? 1 : 0) || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0) || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}
