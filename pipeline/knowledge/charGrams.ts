/** Shortest and longest character n-gram of a term. */
export const MIN_GRAM = 3;
export const MAX_GRAM = 5;

/**
 * The character 3- to 5-grams of a term, padded with a space on each side so a word's start
 * and end count: `devolverla` and `devolver` share most of theirs, `pool` and `poll` few.
 * Inflections, compounds and typos the stemmer misses still meet this way.
 */
export function charGrams(term: string, min = MIN_GRAM, max = MAX_GRAM): string[] {
  const padded = ` ${term} `;
  const grams: string[] = [];
  for (let n = min; n <= max; n++) for (let i = 0; i + n <= padded.length; i++) grams.push(padded.slice(i, i + n));
  return grams;
}

/** Dice coefficient of two terms' distinct trigrams: 1 for the same term, 0 for nothing shared. */
export function gramSimilarity(a: string, b: string): number {
  const x = new Set(charGrams(a, 3, 3));
  const y = new Set(charGrams(b, 3, 3));
  let shared = 0;
  for (const gram of x) if (y.has(gram)) shared++;
  return (2 * shared) / (x.size + y.size);
}
