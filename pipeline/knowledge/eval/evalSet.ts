import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASSETS_DIR } from '../../../lib/paths.js';
import type { ScriptLanguage } from '../../script/language.js';
import type { KnowledgeFact } from '../KnowledgeFact.js';

export const KNOWLEDGE_ASSETS = join(ASSETS_DIR, 'knowledge');

export interface EvalQuestion {
  language: ScriptLanguage;
  question: string;
  /** The fact id of the sheet that answers it; null when none does (the presenter must abstain). */
  expected: string | null;
  /** Even lines of each file tune (`dev`), odd lines report (`test`). */
  split: 'dev' | 'test';
}

export interface EvalSet {
  facts: KnowledgeFact[];
  /** Knowledge base id (`f1`…) → the sheet's id (`price`). */
  sheetIds: Map<string, string>;
  questions: EvalQuestion[];
}

/** The fact sheets and questions in assets/knowledge, both languages in one knowledge base. */
export function loadEvalSet(dir = KNOWLEDGE_ASSETS): EvalSet {
  const facts: KnowledgeFact[] = [];
  const sheetIds = new Map<string, string>();
  const questions: EvalQuestion[] = [];
  for (const language of ['en', 'es'] as const) {
    const sheet = JSON.parse(readFileSync(join(dir, `facts.${language}.json`), 'utf8')) as { facts: { id: string; text: string }[] };
    for (const fact of sheet.facts) {
      const id = `f${facts.length + 1}`;
      facts.push({ id, text: fact.text, language });
      sheetIds.set(id, fact.id);
    }
    const lines = readFileSync(join(dir, `questions.${language}.jsonl`), 'utf8').split('\n').filter((line) => line.trim() !== '');
    lines.forEach((line, i) => {
      const { q, fact } = JSON.parse(line) as { q: string; fact: string | null };
      questions.push({ language, question: q, expected: fact, split: i % 2 === 0 ? 'dev' : 'test' });
    });
  }
  return { facts, sheetIds, questions };
}
