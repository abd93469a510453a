import { DEFAULT_ANSWER_POLICY, type AnswerPolicy } from '../answerPolicy.js';
import { KnowledgeBase } from '../KnowledgeBase.js';
import { loadEvalSet, type EvalQuestion } from './evalSet.js';
import { fitPolicy } from './fitPolicy.js';
import { percent, scoreAnswers } from './scoreAnswers.js';

/**
 * `npm run eval:answers`: answerable questions answered with the right fact (target ≥ 85%)
 * and unanswerable ones where the presenter abstains (target ≥ 95%), per language and
 * overall, on the held-out half, through the same `KnowledgeBase.retrieve` the server calls.
 * `--fit` refits the answer policy on the dev half only (fitPolicy.ts) and reports with it:
 * what it prints is what answerPolicy.ts ships. `--dev` reports the dev half alone and
 * `--failures` lists its misses, so tuning never reads the held-out half.
 */
const args = new Set(process.argv.slice(2));
const set = loadEvalSet();
const dev = set.questions.filter((q) => q.split === 'dev');
const test = set.questions.filter((q) => q.split === 'test');

let policy: AnswerPolicy = DEFAULT_ANSWER_POLICY;
if (args.has('--fit')) {
  const fitted = fitPolicy(set, dev, policy);
  policy = fitted.policy;
  console.log(`fusion weight ${policy.fusionWeight}: the expected fact ranks first for ${fitted.rankedFirst}/${dev.filter((q) => q.expected !== null).length} answerable dev questions`);
  console.log(`fitted on the dev half: ${JSON.stringify({ fusionWeight: policy.fusionWeight, typeWeight: policy.typeWeight, model: policy.model, minConfidence: policy.minConfidence })}`);
}
const kb = new KnowledgeBase(set.facts, policy);

function report(name: string, questions: readonly EvalQuestion[]): void {
  console.log(`\n${name} (${questions.length} questions)`);
  console.log('language  answered right            abstained when unanswerable');
  for (const language of ['en', 'es', 'all'] as const) {
    const s = scoreAnswers(kb, set, questions.filter((q) => language === 'all' || q.language === language));
    console.log(`${language.padEnd(8)}  ${`${s.answeredRight}/${s.answerable}`.padStart(6)} ${percent(s.answeredRight, s.answerable).padStart(7)}  (≥ 85%)   ${`${s.abstained}/${s.unanswerable}`.padStart(6)} ${percent(s.abstained, s.unanswerable).padStart(7)}  (≥ 95%)`);
  }
}

console.log(`facts: ${set.facts.length} (en + es); questions: ${set.questions.length}`);
if (!args.has('--dev')) report('held-out half (test: odd lines)', test);
report('tuning half (dev: even lines)', dev);
if (!args.has('--dev')) report('all questions', set.questions);
if (args.has('--failures')) {
  console.log('\ndev misses:');
  for (const f of scoreAnswers(kb, set, dev).failures) console.log(`  [${f.question.language}] ${f.question.question} → expected ${f.question.expected ?? 'abstain'}, got ${f.got ?? 'abstain'} (${f.features ? Object.entries(f.features).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ') : 'no candidate'}; confidence ${f.confidence?.toFixed(2) ?? '-'})`);
}
