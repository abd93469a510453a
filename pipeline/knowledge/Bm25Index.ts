import { gramSimilarity } from './charGrams.js';
import { editDistance } from './editDistance.js';

export interface Bm25Options {
  /** Term-frequency saturation. */
  k1?: number;
  /** Length normalization. */
  b?: number;
  /** A term's share of its IDF, in the score and the coverage (1 unless given). */
  weightOf?: (term: string) => number;
  /** Other spellings of terms (a synonym's stem → its group's term), for typo and inflection correction. */
  aliases?: ReadonlyMap<string, string>;
}

export interface Bm25Match {
  /** Index of the document. */
  doc: number;
  score: number;
  /**
   * Share of the question's weight (the IDF of each distinct question term, a term no
   * document has counting as the rarest) that this document contains: 1 when it has every
   * term, near 0 when it shares only common words. The abstain decision reads it.
   */
  coverage: number;
  /** Question terms the document contains (after typo correction). */
  matched: string[];
}

const MIN_COLLECTION = 20;
/** Trigram Dice a question term needs with a vocabulary term to stand for it (after typo correction failed). */
const NEAR_SIMILARITY = 0.5;

/**
 * Okapi BM25 over a few hundred short documents (a show's facts), with typo tolerance: a
 * question term no document has is replaced by the closest vocabulary term within one edit
 * (two for long words) that starts with the same letter, so "warrenty" finds "warranty".
 */
export class Bm25Index {
  private readonly docs: ReadonlyMap<string, number>[];
  private readonly lengths: number[];
  private readonly averageLength: number;
  private readonly df = new Map<string, number>();
  private readonly k1: number;
  private readonly b: number;
  private readonly weightOf: (term: string) => number;
  private readonly aliases: ReadonlyMap<string, string>;

  constructor(documents: readonly (readonly string[])[], options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.weightOf = options.weightOf ?? (() => 1);
    this.aliases = options.aliases ?? new Map();
    this.docs = documents.map((terms) => {
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const term of counts.keys()) this.df.set(term, (this.df.get(term) ?? 0) + 1);
      return counts;
    });
    this.lengths = documents.map((terms) => terms.length);
    this.averageLength = this.lengths.reduce((a, n) => a + n, 0) / Math.max(1, documents.length) || 1;
  }

  get size(): number {
    return this.docs.length;
  }

  /**
   * The smoothed BM25 IDF; a term no document has gets the highest weight there is. A sheet of
   * a handful of facts is weighed as if it had `MIN_COLLECTION` (the rest without the term),
   * or a word in two of three facts would weigh next to nothing against an unknown one.
   */
  idf(term: string): number {
    const n = Math.max(this.docs.length, MIN_COLLECTION);
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * The vocabulary term a question term stands for: itself, its closest typo match (one edit,
   * two for long words, same first letter), else the term sharing the most trigrams with it
   * (same first three letters, Dice ≥ `NEAR_SIMILARITY`: another inflection), else itself
   * unmatched. Aliases count as spellings of their vocabulary term, so `devolverla` finds a
   * fact that says `devolver`, which a synonym group made `return`.
   */
  correct(term: string): string {
    if (this.df.has(term) || /\d/.test(term) || term.length < 5) return term;
    const max = term.length >= 8 ? 2 : 1;
    let best: { term: string; distance: number; df: number } | undefined;
    let near: { term: string; similarity: number } | undefined;
    for (const [spelling, target] of this.spellings()) {
      if (/\d/.test(spelling)) continue;
      const df = this.df.get(target)!;
      // Typos rarely hit the first letter, and matching it keeps "pool" from becoming "poll".
      if (spelling[0] === term[0]) {
        const distance = editDistance(term, spelling, max);
        if (distance <= max && (!best || distance < best.distance || (distance === best.distance && df > best.df))) best = { term: target, distance, df };
      }
      if (spelling.slice(0, 3) === term.slice(0, 3)) {
        const similarity = gramSimilarity(term, spelling);
        if (similarity >= NEAR_SIMILARITY && (!near || similarity > near.similarity)) near = { term: target, similarity };
      }
    }
    return best?.term ?? near?.term ?? term;
  }

  /** Vocabulary terms, and aliases of those, with the term each spells. */
  private *spellings(): Generator<[string, string]> {
    for (const term of this.df.keys()) yield [term, term];
    for (const [alias, term] of this.aliases) if (this.df.has(term) && !this.df.has(alias)) yield [alias, term];
  }

  /**
   * Share of the question's weight that some document holds (after typo correction): 1 when
   * every term is a fact's term, low when the question is mostly words no fact uses.
   */
  knownShare(queryTerms: readonly string[]): number {
    const terms = [...new Set(queryTerms.map((term) => this.correct(term)))];
    const weight = (term: string) => this.idf(term) * this.weightOf(term);
    const total = terms.reduce((sum, term) => sum + weight(term), 0);
    const known = terms.reduce((sum, term) => sum + (this.df.has(term) ? weight(term) : 0), 0);
    return total > 0 ? known / total : 0;
  }

  /** Every document with at least one question term, best first. */
  search(queryTerms: readonly string[]): Bm25Match[] {
    const terms = [...new Set(queryTerms.map((term) => this.correct(term)))];
    const weight = (term: string) => this.idf(term) * this.weightOf(term);
    const totalWeight = terms.reduce((sum, term) => sum + weight(term), 0);
    const matches: Bm25Match[] = [];
    this.docs.forEach((counts, doc) => {
      let score = 0;
      let covered = 0;
      const matched: string[] = [];
      for (const term of terms) {
        const tf = counts.get(term);
        if (!tf) continue;
        const w = weight(term);
        const norm = this.k1 * (1 - this.b + (this.b * this.lengths[doc]!) / this.averageLength);
        score += (w * tf * (this.k1 + 1)) / (tf + norm);
        covered += w;
        matched.push(term);
      }
      if (matched.length > 0) matches.push({ doc, score, coverage: totalWeight > 0 ? covered / totalWeight : 0, matched });
    });
    return matches.sort((x, y) => y.score - x.score || x.doc - y.doc);
  }
}
