import type { ScriptLanguage } from '../script/language.js';

/** One thing the show knows, as the host or producer wrote it. */
export interface KnowledgeFact {
  /** `f1`, `f2`, … in the order given: the cue's `answer.facts` names facts by it. */
  id: string;
  text: string;
  /** Facts without a language answer questions in either. */
  language?: ScriptLanguage;
}
