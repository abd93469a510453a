import type { ScriptLanguage } from '../script/language.js';
import { analyze, analyzeFact, analyzeQuestion } from './analyze.js';
import { answersType, answerTypes, askedType, type AnswerType } from './answerType.js';
import { answerConfidence, DEFAULT_ANSWER_POLICY, type AnswerFeatures, type AnswerPolicy } from './answerPolicy.js';
import { Bm25Index } from './Bm25Index.js';
import { CharGramIndex } from './CharGramIndex.js';
import type { KnowledgeFact } from './KnowledgeFact.js';
import { isLight, LIGHT_WEIGHT } from './lightWords.js';
import { SYNONYMS } from './synonyms.js';

export interface ScoredFact extends KnowledgeFact {
  /** Fused ranking score: the best fact of a question scores 1. */
  score: number;
  /** Share of the question's weight this fact contains (see AnswerFeatures). */
  coverage: number;
}

/** What the show knows about a question: the facts to answer from, best first, or none (abstain). */
export interface Retrieval {
  /** Empty when no fact answers the question well enough: the presenter must say so. */
  facts: ScoredFact[];
  /** The best candidate whether or not it passed, for the host and the evaluation. */
  best?: ScoredFact;
  /** What the abstain decision read, and its verdict: the probability that `best` answers the question. */
  features?: AnswerFeatures;
  confidence?: number;
}

interface Index {
  facts: KnowledgeFact[];
  words: Bm25Index;
  grams: CharGramIndex;
  /** The kinds of answer each fact states (answerType.ts). */
  types: Set<AnswerType>[];
}

/**
 * A show's facts, indexed for retrieval: word BM25 over analyzed terms (accents folded,
 * phrases joined, stopwords out, light stemming, synonyms with every sense a question word
 * may have, typo and inflection correction) fused with character n-gram TF-IDF, a fact that
 * states the kind of answer asked for ranking higher; then a small logistic model decides
 * whether the best fact answers the question or the presenter abstains. Immutable: a PUT replaces it. A question is matched
 * against the facts in the presenter's language and those with none.
 */
export class KnowledgeBase {
  private readonly indexes = new Map<ScriptLanguage | 'any', Index>();

  constructor(
    readonly facts: readonly KnowledgeFact[],
    private readonly policy: AnswerPolicy = DEFAULT_ANSWER_POLICY,
  ) {}

  static readonly EMPTY = new KnowledgeBase([]);

  get size(): number {
    return this.facts.length;
  }

  retrieve(question: string, language?: ScriptLanguage): Retrieval {
    const { facts, words, grams, types } = this.indexFor(language);
    const terms = analyzeQuestion(question);
    const asked = askedType(question);
    const matches = words.search(terms);
    const cosines = grams.similarities(terms.map((t) => t.term));
    const bm25 = new Map(matches.map((match) => [match.doc, match]));
    const maxScore = matches[0]?.score ?? 0;
    const maxCosine = Math.max(0, ...cosines);
    if (maxScore <= 0 && maxCosine <= 0) return { facts: [] };
    const { fusionWeight: w, typeWeight } = this.policy;
    const ranked = facts
      .map((fact, doc) => {
        const match = bm25.get(doc);
        const lexical = w * (maxScore > 0 ? (match?.score ?? 0) / maxScore : 0) + (1 - w) * (maxCosine > 0 ? cosines[doc]! / maxCosine : 0);
        // A fact that states the kind of answer asked for ("when": a date) wins a near tie.
        const typeMatch = answersType(asked, types[doc]!) ? 1 : 0;
        const fused = lexical > 0 ? lexical + (asked ? typeWeight * typeMatch : 0) : 0;
        return { fact, doc, fused, coverage: match?.coverage ?? 0, cosine: cosines[doc]!, typeMatch };
      })
      .sort((x, y) => y.fused - x.fused || x.doc - y.doc);
    const top = ranked[0]!;
    // With all the weight on one index, a question only the other one matched has no candidate.
    if (top.fused <= 0) return { facts: [] };
    const scored = ranked.filter((r) => r.fused > 0).map((r): ScoredFact => ({ ...r.fact, score: r.fused / top.fused, coverage: r.coverage }));
    const best = scored[0]!;
    const features: AnswerFeatures = {
      coverage: top.coverage,
      cosine: top.cosine,
      margin: (top.fused - (ranked[1]?.fused ?? 0)) / top.fused,
      knownShare: words.knownShare(terms),
      typeMatch: top.typeMatch,
    };
    const confidence = answerConfidence(this.policy.model, features);
    if (confidence < this.policy.minConfidence) return { facts: [], best, features, confidence };
    const { contextScoreRatio, maxContextFacts } = this.policy;
    const others = scored.slice(1).filter((fact) => fact.score >= contextScoreRatio);
    return { facts: [best, ...others].slice(0, maxContextFacts), best, features, confidence };
  }

  private indexFor(language: ScriptLanguage | undefined): Index {
    const key = language ?? 'any';
    let entry = this.indexes.get(key);
    if (!entry) {
      const facts = this.facts.filter((fact) => language === undefined || fact.language === undefined || fact.language === language);
      entry = {
        facts,
        words: new Bm25Index(facts.map((fact) => analyzeFact(fact.text)), { weightOf: (term) => (isLight(term) ? LIGHT_WEIGHT : 1), aliases: SYNONYMS }),
        grams: new CharGramIndex(facts.map((fact) => analyze(fact.text))),
        types: facts.map((fact) => answerTypes(fact.text)),
      };
      this.indexes.set(key, entry);
    }
    return entry;
  }
}
