/**
 * Text → fixed-size feature vector, shared by training and inference. Word unigrams and
 * bigrams catch the cue's verbs ("welcome", "ignore previous"); character 3–5-grams catch
 * typos, inflections and Spanish/English cognates. All are hashed into one vector.
 */
export interface FeatureConfig {
  dimension: number;
  wordNgrams: [number, number];
  charNgrams: [number, number];
  /** Character n-grams over the whole text (crossing word boundaries) or within each word. */
  charScope: 'text' | 'word';
  /** How much one word n-gram counts relative to one character n-gram. */
  wordWeight: number;
  hash: 'fnv1a32';
}

export const FEATURE_CONFIG: FeatureConfig = {
  dimension: 8192,
  wordNgrams: [1, 2],
  charNgrams: [3, 5],
  charScope: 'word',
  wordWeight: 2,
  hash: 'fnv1a32',
};

/** FNV-1a over UTF-16 code units; stable across runs and platforms. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Lowercase, diacritics stripped (NFKD), punctuation → space, whitespace collapsed. */
export function normalizeForFeatures(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/'/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function extractFeatures(
  text: string,
  config: FeatureConfig = FEATURE_CONFIG,
): Float32Array {
  const vector = new Float32Array(config.dimension);
  const add = (key: string, weight = 1) => {
    const hash = fnv1a32(key);
    // The top bit picks a sign so that colliding features tend to cancel rather than pile up.
    vector[hash % config.dimension]! += hash & 0x80000000 ? -weight : weight;
  };
  const normalized = normalizeForFeatures(text);
  const words = normalized === '' ? [] : normalized.split(' ');
  for (let n = config.wordNgrams[0]; n <= config.wordNgrams[1]; n++) {
    for (let i = 0; i + n <= words.length; i++)
      add(`w${n}:${words.slice(i, i + n).join(' ')}`, config.wordWeight);
  }
  const spans = config.charScope === 'word' ? words.map((w) => ` ${w} `) : [` ${normalized} `];
  for (const span of spans) {
    for (let n = config.charNgrams[0]; n <= config.charNgrams[1]; n++) {
      for (let i = 0; i + n <= span.length; i++) add(`c:${span.slice(i, i + n)}`);
    }
  }
  let norm = 0;
  for (const v of vector) norm += v * v;
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < vector.length; i++) vector[i]! *= scale;
  }
  return vector;
}
