import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { HARM_CATEGORIES, SAFETY_LABELS, type HarmCategory, type SafetyLanguage } from './categories.js';
import { SAFETY_ASSETS_DIR } from './dataset.js';
import { extractSafetyFeatures } from './features.js';
import { SafetyModelError, InvalidSafetyInputError } from './errors.js';
import type { SafetyManifest } from './train/trainer.js';

export const MAX_SAFETY_CHARS = 2000;
// C0/C1 controls other than tab, newline and carriage return.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export interface SafetyVerdict {
  verdict: 'allow' | 'refuse';
  /** The harm categories behind a refusal, most likely first; empty when allowed. */
  categories: HarmCategory[];
  /** 1 − P(allowed): how likely the text is harmful, 0..1. */
  score: number;
}

/** What the pipeline needs of a safety check, wherever it runs. */
export interface SafetyGuard {
  readonly version: string;
  check(text: string, language?: SafetyLanguage): Promise<SafetyVerdict>;
}

/** Validates the input of a safety check; returns the text with whitespace collapsed. */
export function validateSafetyInput(text: unknown, language?: unknown): { text: string; language: SafetyLanguage | undefined } {
  if (typeof text !== 'string') throw new InvalidSafetyInputError('SAFETY_TEXT_INVALID', 'text must be a string');
  if (CONTROL.test(text)) throw new InvalidSafetyInputError('SAFETY_TEXT_INVALID', 'text contains control characters');
  const normalized = text.replace(/\s+/g, ' ').trim();
  if (normalized === '') throw new InvalidSafetyInputError('SAFETY_TEXT_EMPTY', 'text is empty');
  if ([...normalized].length > MAX_SAFETY_CHARS) throw new InvalidSafetyInputError('SAFETY_TEXT_TOO_LONG', `text is longer than ${MAX_SAFETY_CHARS} characters`);
  if (language !== undefined && language !== 'en' && language !== 'es') throw new InvalidSafetyInputError('SAFETY_LANGUAGE_INVALID', 'language must be "en" or "es"');
  return { text: normalized, language };
}

/**
 * The committed safety classifier (assets/safety/model.onnx) run by onnxruntime: refuses a text
 * when its harm score reaches the threshold of its language (the lower of the two when the
 * language is not known).
 */
export class SafetyModel implements SafetyGuard {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly manifest: SafetyManifest,
  ) {}

  static async load(dir: string = SAFETY_ASSETS_DIR): Promise<SafetyModel> {
    const manifest = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as SafetyManifest;
    if (manifest.labels.join() !== SAFETY_LABELS.join()) throw new SafetyModelError('SAFETY_MODEL_LABELS', `model labels ${manifest.labels.join()} differ from SAFETY_LABELS`);
    const session = await ort.InferenceSession.create(await readFile(path.join(dir, 'model.onnx')), { intraOpNumThreads: 1, interOpNumThreads: 1 });
    return new SafetyModel(session, manifest);
  }

  get version(): string {
    return this.manifest.version;
  }

  /** The probability of every label, in SAFETY_LABELS order. */
  async probabilities(text: string): Promise<Float32Array> {
    const { dimension } = this.manifest.features;
    const input = new ort.Tensor('float32', extractSafetyFeatures(text, this.manifest.features), [1, dimension]);
    const output = (await this.session.run({ [this.manifest.model.input]: input }))[this.manifest.model.output];
    if (!output) throw new SafetyModelError('SAFETY_MODEL_OUTPUT', 'the safety model produced no probabilities');
    return output.data as Float32Array;
  }

  async check(text: string, language?: SafetyLanguage): Promise<SafetyVerdict> {
    const valid = validateSafetyInput(text, language);
    const p = await this.probabilities(valid.text);
    const { thresholds, categoryFloor } = this.manifest;
    const score = 1 - p[SAFETY_LABELS.indexOf('allowed')]!;
    const threshold = valid.language ? thresholds[valid.language] : Math.min(thresholds.en, thresholds.es);
    if (score < threshold) return { verdict: 'allow', categories: [], score: round(score) };
    const ranked = HARM_CATEGORIES.map((c) => ({ c, p: p[SAFETY_LABELS.indexOf(c)]! })).sort((a, b) => b.p - a.p);
    const named = ranked.filter((r, i) => i === 0 || r.p >= categoryFloor).map((r) => r.c);
    return { verdict: 'refuse', categories: named, score: round(score) };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;

/** `safety:<category>+<category>`, the rule name a refusal leaves in audits and cue reasons. */
export function safetyRule(verdict: SafetyVerdict): string {
  return `safety:${verdict.categories.join('+')}`;
}
