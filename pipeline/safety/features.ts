/**
 * Text → the safety model's feature vector, shared by training and inference. Word unigrams,
 * bigrams and skip-bigrams (two words one apart: "kill … boss" across "my") carry the request;
 * character n-grams within words absorb typos, inflections and accents (diacritics are
 * stripped first, so "cómo" and "como" are one word); concepts of the lexicon (./concepts.ts)
 * join synonyms and the two languages. All are hashed into one vector; every feature counts
 * once however often it occurs, and the vector is scaled to unit length.
 */
import { fnv1a32, normalizeForFeatures } from '../intent/features.js';
import { conceptMatcher } from './concepts.js';

const CONCEPTS = conceptMatcher();

export interface SafetyFeatureConfig {
  dimension: number;
  /** Word n-gram sizes, inclusive. */
  wordNgrams: [number, number];
  /** Also pairs of words with one word between them. */
  skipBigrams: boolean;
  /** Character n-gram sizes within each word (padded with a space each side), inclusive. */
  charNgrams: [number, number];
  /** How much a word feature counts relative to a character n-gram. */
  wordWeight: number;
  /** Letters repeated more than twice are cut to two ("sooo" → "soo"). */
  squeezeRepeats: boolean;
  /** Scale the vector to unit length (otherwise each feature keeps its weight). */
  unitLength: boolean;
  hash: 'fnv1a32';
  /**
   * The concept lexicon (./concepts.ts): each concept found counts with `weight`, and so do the
   * concept next to the word before and after it and two concepts within `window` words of each
   * other, in order ("how … KILL", "KILL myself", "PILLS … DIE"). Absent: no concept features.
   */
  concepts?: { weight: number; window: number };
}

export const SAFETY_FEATURES: SafetyFeatureConfig = {
  // 2^17: the word, character and concept n-grams of 32,000 lines collided often in 2^15, and
  // the held-out ranking improved with the room (hidden layer halved to keep the model 8 MB).
  dimension: 131_072,
  wordNgrams: [1, 2],
  skipBigrams: false,
  charNgrams: [3, 5],
  wordWeight: 2,
  squeezeRepeats: true,
  unitLength: true,
  hash: 'fnv1a32',
  concepts: { weight: 1, window: 4 },
};

export function safetyTokens(text: string, config: SafetyFeatureConfig = SAFETY_FEATURES): string[] {
  let normalized = normalizeForFeatures(text);
  if (config.squeezeRepeats) normalized = normalized.replace(/(\p{L})\1{2,}/gu, '$1$1');
  return normalized === '' ? [] : normalized.split(' ');
}

export function extractSafetyFeatures(text: string, config: SafetyFeatureConfig = SAFETY_FEATURES): Float32Array {
  const vector = new Float32Array(config.dimension);
  const seen = new Set<string>();
  const touched: number[] = [];
  const add = (key: string, weight: number) => {
    if (seen.has(key)) return;
    seen.add(key);
    const hash = fnv1a32(key);
    const index = hash % config.dimension;
    if (vector[index] === 0) touched.push(index);
    // The top bit picks a sign so that colliding features tend to cancel rather than pile up.
    vector[index]! += hash & 0x80000000 ? -weight : weight;
  };
  const words = safetyTokens(text, config);
  for (let n = config.wordNgrams[0]; n <= config.wordNgrams[1]; n++) {
    for (let i = 0; i + n <= words.length; i++) add(`w${n}:${words.slice(i, i + n).join(' ')}`, config.wordWeight);
  }
  if (config.skipBigrams) for (let i = 0; i + 2 < words.length; i++) add(`s:${words[i]} ${words[i + 2]}`, config.wordWeight);
  for (const word of words) {
    const span = ` ${word} `;
    for (let n = config.charNgrams[0]; n <= config.charNgrams[1]; n++) {
      for (let i = 0; i + n <= span.length; i++) add(`c:${span.slice(i, i + n)}`, 1);
    }
  }
  if (config.concepts) {
    const { weight, window } = config.concepts;
    const found = CONCEPTS.match(words);
    for (const f of found) {
      add(`k:${f.concept}`, weight);
      if (f.start > 0) add(`kp:${words[f.start - 1]} ${f.concept}`, weight);
      if (f.start + f.length < words.length) add(`kn:${f.concept} ${words[f.start + f.length]}`, weight);
    }
    for (const a of found) {
      for (const b of found) {
        if (b.start > a.start && b.start - a.start <= window) add(`kk:${a.concept} ${b.concept}`, weight);
      }
    }
  }
  // Only the entries written to, in index order: the same sum as over the whole vector (the
  // rest are zeros), without walking 131,072 of them on every check.
  const indices = [...new Set(touched)].sort((a, b) => a - b);
  let norm = 0;
  for (const i of indices) norm += vector[i]! * vector[i]!;
  if (config.unitLength && norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (const i of indices) vector[i]! *= scale;
  }
  return vector;
}
