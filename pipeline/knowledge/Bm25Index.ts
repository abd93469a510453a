import { gramSimilarity } from './charGrams.js';
import { editDistance } from './editDistance.js';

/** A question term with every meaning it may have and its share of its IDF (see analyzeQuestion). */
export interface QueryTerm {
  term: string;
  senses: readonly string[];
  weight: number;
}

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
/** A question weighs at least as much as a term this many documents share, for coverage (see search). */
const VAGUE_DF = 3;
/** Share of a match's BM25 score when it matched through a second meaning of the question term. */
const SECONDARY_SENSE = 0.8;
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
    return this.idfOf(this.df.get(term) ?? 0);
  }

  private idfOf(df: number): number {
    const n = Math.max(this.docs.length, MIN_COLLECTION);
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
   * A question term as the index reads it: the spellings a document may match it by (the
   * term after typo and inflection correction, and its other meanings that some document
   * has), and its weight: the IDF of the term itself (a term no document has weighs the
   * most: "Canada" matched through `country` still counts as the rare word it is) times its
   * own share.
   */
  private resolve(slot: string | QueryTerm): { alternatives: string[]; weight: number } {
    const query = typeof slot === 'string' ? { term: slot, senses: [slot], weight: this.weightOf(slot) } : slot;
    const term = this.correct(query.term);
    const alternatives = [...new Set([term, ...query.senses.filter((sense) => sense !== query.term && this.df.has(sense))])];
    // An everyday word no document has ("survive", "necesito") says nothing either way.
    if (query.weight < 1 && !alternatives.some((alternative) => this.df.has(alternative))) return { alternatives, weight: 0 };
    return { alternatives, weight: this.idf(term) * query.weight };
  }

  private resolveAll(queryTerms: readonly (string | QueryTerm)[]): { alternatives: string[]; weight: number }[] {
    const seen = new Set<string>();
    const slots: { alternatives: string[]; weight: number }[] = [];
    for (const term of queryTerms) {
      const slot = this.resolve(term);
      const key = slot.alternatives.join('|');
      if (seen.has(key)) continue;
      seen.add(key);
      slots.push(slot);
    }
    return slots;
  }

  /**
   * Share of the question's weight that some document holds (after typo correction): 1 when
   * every term is a fact's term, low when the question is mostly words no fact uses.
   */
  knownShare(queryTerms: readonly (string | QueryTerm)[]): number {
    const slots = this.resolveAll(queryTerms);
    const total = slots.reduce((sum, slot) => sum + slot.weight, 0);
    const known = slots.reduce((sum, slot) => sum + (slot.alternatives.some((term) => this.df.has(term)) ? slot.weight : 0), 0);
    return total > 0 ? known / total : 0;
  }

  /** Every document with at least one question term, best first. A question term matches through any of its meanings. */
  search(queryTerms: readonly (string | QueryTerm)[]): Bm25Match[] {
    const slots = this.resolveAll(queryTerms);
    const totalWeight = slots.reduce((sum, slot) => sum + slot.weight, 0);
    // A question that says less than one word three facts share ("what does the x1 go for",
    // when half the sheet names the X1) is too vague for any fact to cover it in full.
    const floor = Math.max(totalWeight, this.idfOf(VAGUE_DF));
    const matches: Bm25Match[] = [];
    this.docs.forEach((counts, doc) => {
      let score = 0;
      let covered = 0;
      const matched: string[] = [];
      const norm = this.k1 * (1 - this.b + (this.b * this.lengths[doc]!) / this.averageLength);
      for (const { alternatives, weight } of slots) {
        const index = alternatives.findIndex((alternative) => counts.has(alternative));
        if (index < 0 || weight === 0) continue;
        const term = alternatives[index]!;
        const tf = counts.get(term)!;
        // A term's own meaning ranks above another one it may have: "show" is the schedule before it is an episode.
        score += ((index === 0 ? 1 : SECONDARY_SENSE) * weight * tf * (this.k1 + 1)) / (tf + norm);
        covered += weight;
        matched.push(term);
      }
      if (matched.length > 0) matches.push({ doc, score, coverage: covered / floor, matched });
    });
    return matches.sort((x, y) => y.score - x.score || x.doc - y.doc);
  }
}
