/**
 * Text → the safety model's feature vector, shared by training and inference. Word unigrams,
 * bigrams and skip-bigrams (two words one apart: "kill … boss" across "my") carry the request;
 * character n-grams within words absorb typos, inflections and accents (diacritics are
 * stripped first, so "cómo" and "como" are one word). All are hashed into one vector; every
 * feature counts once however often it occurs, and the vector is scaled to unit length.
 */
import { fnv1a32, normalizeForFeatures } from '../intent/features.js';

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
}

export const SAFETY_FEATURES: SafetyFeatureConfig = {
  dimension: 32_768,
  wordNgrams: [1, 2],
  skipBigrams: false,
  charNgrams: [3, 5],
  wordWeight: 2,
  squeezeRepeats: true,
  unitLength: true,
  hash: 'fnv1a32',
};

export function safetyTokens(text: string, config: SafetyFeatureConfig = SAFETY_FEATURES): string[] {
  let normalized = normalizeForFeatures(text);
  if (config.squeezeRepeats) normalized = normalized.replace(/(\p{L})\1{2,}/gu, '$1$1');
  return normalized === '' ? [] : normalized.split(' ');
}

export function extractSafetyFeatures(text: string, config: SafetyFeatureConfig = SAFETY_FEATURES): Float32Array {
  const vector = new Float32Array(config.dimension);
  const seen = new Set<string>();
  const add = (key: string, weight: number) => {
    if (seen.has(key)) return;
    seen.add(key);
    const hash = fnv1a32(key);
    // The top bit picks a sign so that colliding features tend to cancel rather than pile up.
    vector[hash % config.dimension]! += hash & 0x80000000 ? -weight : weight;
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
  let norm = 0;
  for (const v of vector) norm += v * v;
  if (config.unitLength && norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < vector.length; i++) vector[i]! *= scale;
  }
  return vector;
}
