import { charGrams } from './charGrams.js';

/**
 * TF-IDF cosine over the character 3- to 5-grams of each document's terms. Where BM25 needs a
 * question's term to be a fact's term, this scores partial overlap: another inflection
 * (`devolverla`, `devolver`), a compound, a typo two keys off. KnowledgeBase fuses the two.
 */
export class CharGramIndex {
  private readonly vectors: ReadonlyMap<string, number>[];
  private readonly df = new Map<string, number>();
  private readonly size: number;

  constructor(documents: readonly (readonly string[])[]) {
    this.size = documents.length;
    const counts = documents.map((terms) => countGrams(terms));
    for (const doc of counts) for (const gram of doc.keys()) this.df.set(gram, (this.df.get(gram) ?? 0) + 1);
    this.vectors = counts.map((doc) => this.weigh(doc));
  }

  /** Cosine of the question against every document, in document order. */
  similarities(queryTerms: readonly string[]): number[] {
    const query = this.weigh(countGrams(queryTerms));
    return this.vectors.map((doc) => {
      let dot = 0;
      for (const [gram, weight] of query) dot += weight * (doc.get(gram) ?? 0);
      return dot;
    });
  }

  /**
   * Sublinear tf times smoothed idf, L2-normalized. A gram no document has matches nothing but
   * still counts in the norm, as the rarest: a question full of words the facts never use
   * scores low against every fact, which the abstain decision reads.
   */
  private weigh(counts: ReadonlyMap<string, number>): Map<string, number> {
    const vector = new Map<string, number>();
    let norm = 0;
    for (const [gram, tf] of counts) {
      const df = this.df.get(gram);
      const weight = (1 + Math.log(tf)) * Math.log(1 + this.size / (df ?? 0.5));
      if (df) vector.set(gram, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [gram, weight] of vector) vector.set(gram, weight / norm);
    return vector;
  }
}

function countGrams(terms: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) for (const gram of charGrams(term)) counts.set(gram, (counts.get(gram) ?? 0) + 1);
  return counts;
}
