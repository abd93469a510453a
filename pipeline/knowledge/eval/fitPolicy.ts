import type { AbstainModel, AnswerFeatures, AnswerPolicy } from '../answerPolicy.js';
import { KnowledgeBase } from '../KnowledgeBase.js';
import type { EvalQuestion, EvalSet } from './evalSet.js';
import { scoreAnswers } from './scoreAnswers.js';

const FEATURES = ['coverage', 'cosine', 'margin', 'knownShare'] as const satisfies readonly (keyof AnswerFeatures)[];
/** A wrong fact on air costs more than "I don't know": those examples count this many times. */
const WRONG_ANSWER_COST = 2;

/**
 * Fits an AnswerPolicy on `questions` (the dev half): the fusion weight that ranks the expected
 * fact first most often, then a logistic model of "the best fact is the expected one" (an
 * unanswerable question's best fact never is) over the answer features, then the confidence
 * threshold that maximizes answered-right share + 2 × abstained share. Deterministic: plain
 * gradient descent from zero, a fixed number of steps.
 */
export function fitPolicy(set: EvalSet, questions: readonly EvalQuestion[], start: AnswerPolicy): { policy: AnswerPolicy; rankedFirst: number } {
  const answerable = questions.filter((q) => q.expected !== null);
  let fusionWeight = start.fusionWeight;
  let bestRanked = -1;
  for (let w = 0; w <= 1 + 1e-9; w += 0.1) {
    const kb = new KnowledgeBase(set.facts, { ...start, fusionWeight: w, minConfidence: 0 });
    const ranked = answerable.filter((q) => topSheetId(kb, set, q) === q.expected).length;
    if (ranked > bestRanked) [bestRanked, fusionWeight] = [ranked, Number(w.toFixed(2))];
  }
  const probe = new KnowledgeBase(set.facts, { ...start, fusionWeight, minConfidence: 0 });
  const examples = questions.flatMap((q) => {
    const retrieval = probe.retrieve(q.question, q.language);
    if (!retrieval.features) return [];
    const right = q.expected !== null && topSheetId(probe, set, q) === q.expected;
    return [{ x: FEATURES.map((name) => retrieval.features![name]), y: right ? 1 : 0, weight: right ? 1 : WRONG_ANSWER_COST }];
  });
  const model = fitLogistic(examples);
  let minConfidence = start.minConfidence;
  let bestObjective = -1;
  for (let t = 0.05; t <= 0.95 + 1e-9; t += 0.05) {
    const s = scoreAnswers(new KnowledgeBase(set.facts, { ...start, fusionWeight, model, minConfidence: t }), set, questions);
    const objective = s.answeredRight / s.answerable + WRONG_ANSWER_COST * (s.abstained / s.unanswerable);
    if (objective > bestObjective + 1e-9) [bestObjective, minConfidence] = [objective, Number(t.toFixed(2))];
  }
  return { policy: { ...start, fusionWeight, model, minConfidence }, rankedFirst: bestRanked };
}

function topSheetId(kb: KnowledgeBase, set: EvalSet, q: EvalQuestion): string | undefined {
  const best = kb.retrieve(q.question, q.language).best;
  return best && set.sheetIds.get(best.id);
}

/** Weighted logistic regression with a little L2 (not on the bias), by gradient descent. */
function fitLogistic(examples: readonly { x: number[]; y: number; weight: number }[]): AbstainModel {
  const w = new Array<number>(FEATURES.length).fill(0);
  let bias = 0;
  const lambda = 0.01;
  const rate = 0.5;
  const total = examples.reduce((sum, e) => sum + e.weight, 0);
  for (let step = 0; step < 20000; step++) {
    const grad = new Array<number>(FEATURES.length).fill(0);
    let gradBias = 0;
    for (const { x, y, weight } of examples) {
      const p = 1 / (1 + Math.exp(-(bias + x.reduce((sum, v, i) => sum + v * w[i]!, 0))));
      const error = (p - y) * weight;
      gradBias += error;
      x.forEach((v, i) => (grad[i]! += error * v));
    }
    bias -= (rate * gradBias) / total;
    w.forEach((_, i) => (w[i]! -= rate * (grad[i]! / total + lambda * w[i]!)));
  }
  const round = (v: number) => Number(v.toFixed(2));
  return { bias: round(bias), ...Object.fromEntries(FEATURES.map((name, i) => [name, round(w[i]!)])) } as AbstainModel;
}
