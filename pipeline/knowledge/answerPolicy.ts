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
  /**
   * 1 when the best fact states the kind of answer the question asks for ("how much": a
   * price, "when": a time, "how long": a duration or an end, "where": a place; answerType.ts)
   * or the question asks for no kind; 0 when it does not: "how long does the replay stay
   * online" against "the replay is on our website the next morning".
   */
  typeMatch: number;
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
  /** Added to the fused score of a fact that states the kind of answer asked for. */
  typeWeight: number;
  model: AbstainModel;
  minConfidence: number;
  /** Facts after the best one go to the LLM as context when their fused score is at least this share of the best. */
  contextScoreRatio: number;
  /** At most this many facts reach the LLM. */
  maxContextFacts: number;
}

/** As `npm run eval:answers -- --fit` prints it (dev half: 120 questions, 60 per language). */
export const DEFAULT_ANSWER_POLICY: AnswerPolicy = {
  fusionWeight: 1,
  typeWeight: 0.2,
  model: { bias: -4.86, coverage: 4.06, cosine: 1.86, margin: 0, knownShare: 0, typeMatch: 1.56 },
  minConfidence: 0.65,
  contextScoreRatio: 0.6,
  maxContextFacts: 3,
};

/** The model's probability that the best fact answers the question. */
export function answerConfidence(model: AbstainModel, features: AnswerFeatures): number {
  let z = model.bias;
  for (const name of Object.keys(features) as (keyof AnswerFeatures)[]) z += model[name] * features[name];
  return 1 / (1 + Math.exp(-z));
}
