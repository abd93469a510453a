import type { AnswerFeatures } from '../answerPolicy.js';
import type { KnowledgeBase } from '../KnowledgeBase.js';
import type { EvalQuestion, EvalSet } from './evalSet.js';

export interface AnswerScore {
  answerable: number;
  answeredRight: number;
  unanswerable: number;
  abstained: number;
  failures: { question: EvalQuestion; got: string | null; features?: AnswerFeatures; confidence?: number }[];
}

/** Answerable questions answered with the right fact, and unanswerable ones where the presenter abstains. */
export function scoreAnswers(kb: KnowledgeBase, set: EvalSet, questions: readonly EvalQuestion[]): AnswerScore {
  const score: AnswerScore = { answerable: 0, answeredRight: 0, unanswerable: 0, abstained: 0, failures: [] };
  for (const question of questions) {
    const retrieval = kb.retrieve(question.question, question.language);
    const top = retrieval.facts[0];
    const got = top ? (set.sheetIds.get(top.id) ?? null) : null;
    const right = got === question.expected;
    if (question.expected === null) {
      score.unanswerable++;
      if (right) score.abstained++;
    } else {
      score.answerable++;
      if (right) score.answeredRight++;
    }
    if (!right) score.failures.push({ question, got, ...(retrieval.features && { features: retrieval.features }), ...(retrieval.confidence !== undefined && { confidence: retrieval.confidence }) });
  }
  return score;
}

export const percent = (n: number, of: number) => (of === 0 ? 'n/a' : `${((100 * n) / of).toFixed(1)}%`);
