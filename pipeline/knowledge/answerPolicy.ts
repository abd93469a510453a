/**
 * What the abstain decision reads about the best fact for a question; each is 0 to 1.
 * `KnowledgeBase.retrieve` computes them, `AnswerPolicy.model` weighs them.
 */
export interface AnswerFeatures {
  /**
   * Share of the question's IDF weight that the best fact contains (BM25 terms, after typo and
   * inflection correction). A term no fact has weighs the most, so "how much is the battery
   * grip?" against a sheet that prices only the camera leaves "grip" uncovered.
   */
  coverage: number;
  /** Character 3–5-gram TF-IDF cosine of the question and the best fact: partial word overlap. */
  cosine: number;
  /** Fused score of the best fact minus the second's (scores are scaled so the best is 1): a clear winner. */
  margin: number;
  /** Share of the question's weight that some fact holds: low when the question is about something the sheet never names. */
  knownShare: number;
}

/** Logistic weights of the features: the best fact is stated when σ(bias + Σ weight·feature) ≥ `minConfidence`. */
export type AbstainModel = { bias: number } & { [K in keyof AnswerFeatures]: number };

/**
 * When a retrieved fact is good enough to state. Fitted on the dev half of the evaluation set
 * (`npm run eval:answers -- --fit`, docs/knowledge.md) and reported on the other half.
 */
export interface AnswerPolicy {
  /** Share of the fused ranking score from word BM25 (the rest from character n-grams), each scaled by its best. */
  fusionWeight: number;
  model: AbstainModel;
  minConfidence: number;
  /** Facts after the best one go to the LLM as context when their fused score is at least this share of the best. */
  contextScoreRatio: number;
  /** At most this many facts reach the LLM. */
  maxContextFacts: number;
}

/** As `npm run eval:answers -- --fit` prints it (dev half: 120 questions, 60 per language). */
export const DEFAULT_ANSWER_POLICY: AnswerPolicy = {
  fusionWeight: 0.8,
  model: { bias: -2.77, coverage: 1.88, cosine: 2, margin: 0.31, knownShare: 1.3 },
  minConfidence: 0.5,
  contextScoreRatio: 0.6,
  maxContextFacts: 3,
};

/** The model's probability that the best fact answers the question. */
export function answerConfidence(model: AbstainModel, features: AnswerFeatures): number {
  const z = model.bias + model.coverage * features.coverage + model.cosine * features.cosine + model.margin * features.margin + model.knownShare * features.knownShare;
  return 1 / (1 + Math.exp(-z));
}
