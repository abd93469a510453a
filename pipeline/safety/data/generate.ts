/**
 * Builds the safety dataset: the templates of ./templates.ts expanded with their slot values
 * (./slots.ts) and given a casual style at random (openers, endings, lower case, a typo),
 * plus harmless lines written by hand elsewhere in the repo (the intent dataset's lines other
 * than off_policy, and the presenter's script templates), and the idea families of ./families.ts,
 * each phrasing of which is a template of its own. Every line belongs to a group (its
 * phrasing); whole groups are assigned to the train, calibration or test split, seeded. Lines of
 * the probe sets (assets/safety/probe.jsonl, probe-fresh.jsonl) are never generated into the dataset.
 */
import { readFileSync } from 'node:fs';
import { mulberry32 } from '../../../lib/prng.js';
import { loadDataset } from '../../intent/dataset.js';
import { fnv1a32, normalizeForFeatures } from '../../intent/features.js';
import { DEFAULT_TEMPLATES_FILE } from '../../script/parseTemplates.js';
import { SAFETY_LABELS, SAFETY_LANGUAGES, type SafetyLabel, type SafetyLanguage } from '../categories.js';
import { loadSafetyProbe, SAFETY_FRESH_PROBE_2_PATH, SAFETY_FRESH_PROBE_PATH, type SafetyExample, type SafetySplit } from '../dataset.js';
import { FAMILIES, type Families } from './families.js';
import { VOICES } from './voices.js';
import { CORES, SLOTS, TEMPLATES, WRAPPERS } from './templates.js';

export const DATASET_SETTINGS = {
  seed: 20_260_513,
  /** Lines drawn from one template with slots (distinct fills). */
  linesPerTemplate: 10,
  /** Lines drawn from one shared wrapper for each label (distinct fills). */
  linesPerWrapper: 4,
  /** Share of each (label, language, origin)'s groups held out for the test split. */
  testFraction: 0.25,
  /** Share of the remaining groups kept back to fit the temperature and the thresholds. */
  calibrationFraction: 0.2,
  /** Chance that a generated line gets each casual touch (see `stylize`). */
  style: { lowercase: 0.3, opener: 0.15, ending: 0.2, typo: 0.12, noAccents: 0.35, noFinalStop: 0.4 },
};

type Row = Omit<SafetyExample, 'split'> & { origin: string };

const SLOT = /\{(\w+)\}/g;
const HAS_SLOT = /\{\w+\}/;
/** How deep slot values may nest (`{attack}` → `{harm} {victim}` → …). */
const MAX_SLOT_DEPTH = 4;

/** Casual openers and endings, the way chat lines start and end. */
const OPENERS: Record<SafetyLanguage, readonly string[]> = {
  en: ['hey ', 'yo ', 'ok so ', 'quick question, ', 'bro ', 'guys ', 'honestly ', 'serious question: ', 'lol ', 'um ', '@host ', 'hey bot, ', 'so ', 'real talk, ', 'hi! '],
  es: ['oye ', 'hola, ', 'una pregunta, ', 'tío ', 'wey ', 'bueno ', 'a ver, ', 'jaja ', 'en serio, ', '@presentadora ', 'oye bot, ', 'pues ', 'hola! ', 'venga, ', 'buenas, '],
};
const ENDINGS: Record<SafetyLanguage, readonly string[]> = {
  en: [' lol', ' pls', ' please', ' asap', ' for real', ' fr', ' thx', '??', ' haha', ' 🙏', '!!', ' rn', ' lmao', ' ok?'],
  es: [' jaja', ' porfa', ' por favor', ' ya', ' en serio', ' xd', ' plis', '??', ' gracias', ' 🙏', '!!', ' jajaja', ' vale?', ' tío'],
};

/** One typo in one word of five letters or more: two letters swapped, one dropped or doubled. */
function typo(text: string, random: () => number): string {
  const words = text.split(' ');
  const long = words.map((w, i) => (/^\p{L}{5,}$/u.test(w) ? i : -1)).filter((i) => i >= 0);
  if (long.length === 0) return text;
  const index = long[Math.floor(random() * long.length)]!;
  const w = words[index]!;
  const at = 1 + Math.floor(random() * (w.length - 2));
  const kind = Math.floor(random() * 3);
  words[index] = kind === 0 ? w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2) : kind === 1 ? w.slice(0, at) + w.slice(at + 1) : w.slice(0, at) + w[at] + w.slice(at);
  return words.join(' ');
}

/** The casual touches a chat line may have, each at random (DATASET_SETTINGS.style). */
export function stylize(text: string, lang: SafetyLanguage, random: () => number): string {
  const p = DATASET_SETTINGS.style;
  let out = text;
  if (random() < p.noFinalStop) out = out.replace(/[.]$/, '');
  if (random() < p.lowercase) out = out.toLowerCase();
  if (random() < p.typo) out = typo(out, random);
  if (lang === 'es' && random() < p.noAccents) out = out.normalize('NFD').replace(/[\u0301\u0308]/g, '').normalize('NFC').replace(/[¿¡]/g, '');
  if (random() < p.opener) out = OPENERS[lang][Math.floor(random() * OPENERS[lang].length)]! + out;
  if (random() < p.ending) out = out.replace(/[.?!]$/, '') + ENDINGS[lang][Math.floor(random() * ENDINGS[lang].length)]!;
  return out;
}

/** A text with its slots filled, nested slots too, from the PRNG. */
export function fillSlots(template: string, lang: SafetyLanguage, random: () => number, where = template): string {
  let text = template;
  for (let depth = 0; depth < MAX_SLOT_DEPTH && HAS_SLOT.test(text); depth++) {
    text = text.replace(SLOT, (_, name: string) => {
      const values = SLOTS[lang][name];
      if (!values) throw new Error(`${where}: unknown slot {${name}}`);
      return values[Math.floor(random() * values.length)]!;
    });
  }
  if (HAS_SLOT.test(text)) throw new Error(`${where}: slots nested deeper than ${MAX_SLOT_DEPTH}`);
  return text;
}

/** Up to `count` distinct fills of one template, styled, chosen by a PRNG seeded with its id. */
export function expandTemplate(template: string, id: string, lang: SafetyLanguage, count: number): string[] {
  const random = mulberry32(fnv1a32(id));
  const lines = new Set<string>();
  const hasSlots = HAS_SLOT.test(template);
  // A template without slots still gets `count` styled variants, but its plain text comes first.
  if (!hasSlots) lines.add(template);
  const wanted = hasSlots ? count : 2;
  for (let attempt = 0; attempt < wanted * 8 && lines.size < wanted; attempt++) lines.add(stylize(fillSlots(template, lang, random, id), lang, random));
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
 * The idea families (./families.ts) and the new-user voices (./voices.ts): each phrasing is its
 * own group, like a template.
 */
function familyRows(families: Record<SafetyLanguage, Families>, prefix: string): Row[] {
  const rows: Row[] = [];
  for (const lang of SAFETY_LANGUAGES) {
    for (const label of SAFETY_LABELS) {
      for (const [family, phrasings] of Object.entries(families[lang][label] ?? {})) {
        phrasings.forEach((template, i) => {
          const group = `${prefix}:${label}.${lang}.${family}.${i}`;
          for (const text of expandTemplate(template, group, lang, DATASET_SETTINGS.linesPerTemplate))
            rows.push({ text, label, lang, group, origin: 'family' });
        });
      }
    }
  }
  return rows;
}

/** The shared wrappers, each filled with cores of every label; one group per wrapper. */
function wrapperRows(): Row[] {
  const rows: Row[] = [];
  for (const lang of SAFETY_LANGUAGES) {
    for (const kind of ['ask', 'order', 'say'] as const) {
      WRAPPERS[lang][kind].forEach((wrapper, i) => {
        const group = `wrap:${lang}.${kind}.${i}`;
        for (const label of SAFETY_LABELS) {
          const cores = CORES[lang][kind][label]!;
          const random = mulberry32(fnv1a32(`${group}.${label}`));
          const lines = new Set<string>();
          const wanted = DATASET_SETTINGS.linesPerWrapper * (label === 'allowed' ? 2 : 1);
          for (let attempt = 0; attempt < wanted * 8 && lines.size < wanted; attempt++) {
            const core = cores[Math.floor(random() * cores.length)]!;
            lines.add(stylize(fillSlots(wrapper.replace('{core}', core), lang, random, group), lang, random));
          }
          for (const text of lines) rows.push({ text, label, lang, group, origin: 'wrapper' });
        }
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
  ngroup: 'allowed',
  process: 'allowed',
  shoot: 'allowed',
  thing: 'allowed',
  food: 'allowed',
  topic: 'allowed',
  benign: 'allowed',
  task: 'allowed',
  knifejob: 'allowed',
};

function lexiconRows(): Row[] {
  return SAFETY_LANGUAGES.flatMap((lang) =>
    Object.entries(LEXICON).flatMap(([slot, label]) => {
      const group = `lexicon:${slot}.${lang}`;
      const random = mulberry32(fnv1a32(group));
      return [...new Set(SLOTS[lang][slot]!.map((value) => fillSlots(value, lang, random, group)))].map((text) => ({ text, label, lang, group, origin: 'lexicon' }));
    }),
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

/**
 * Whole groups to splits, by a seeded hash of the group's id: a group's split never changes
 * when other phrasings are added or removed. Lexicon groups are training only.
 */
function assignSplits(rows: readonly Row[]): Map<string, SafetySplit> {
  const splitOf = new Map<string, SafetySplit>();
  const { testFraction, calibrationFraction, seed } = DATASET_SETTINGS;
  for (const row of rows) {
    if (splitOf.has(row.group)) continue;
    if (row.origin === 'lexicon') {
      splitOf.set(row.group, 'train');
      continue;
    }
    const u = mulberry32(fnv1a32(`${seed}:${row.group}`))();
    splitOf.set(row.group, u < testFraction ? 'test' : u < testFraction + (1 - testFraction) * calibrationFraction ? 'calibration' : 'train');
  }
  return splitOf;
}

const LABEL_ORDER = new Map<SafetyLabel, number>(SAFETY_LABELS.map((l, i) => [l, i]));

/** The whole dataset, deterministic; the first row seen wins a text that appears twice. */
export function generateSafetyDataset(): SafetyExample[] {
  const seen = new Map<string, Row>();
  // The probe set stays unseen: a line that happens to match one is not generated.
  for (const p of [...loadSafetyProbe(), ...loadSafetyProbe(SAFETY_FRESH_PROBE_PATH), ...loadSafetyProbe(SAFETY_FRESH_PROBE_2_PATH)]) seen.set(normalizeForFeatures(p.text), { ...p, group: 'probe', origin: 'probe' });
  for (const row of [...templateRows(), ...familyRows(FAMILIES, 'fam'), ...familyRows(VOICES, 'voice'), ...wrapperRows(), ...lexiconRows(), ...scriptRows(), ...intentRows()]) {
    const key = normalizeForFeatures(row.text);
    const earlier = seen.get(key);
    if (earlier?.origin === 'probe') continue;
    if (earlier && earlier.label !== row.label) throw new Error(`"${row.text}" is labelled both ${earlier.label} and ${row.label}`);
    if (!earlier) seen.set(key, row);
  }
  const rows = [...seen.values()].filter((r) => r.origin !== 'probe');
  const splitOf = assignSplits(rows);
  return rows
    .map(({ text, label, lang, group }) => ({ text, label, lang, group, split: splitOf.get(group)! }))
    .sort((a, b) => LABEL_ORDER.get(a.label)! - LABEL_ORDER.get(b.label)! || (a.lang < b.lang ? -1 : a.lang > b.lang ? 1 : 0) || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0) || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}
