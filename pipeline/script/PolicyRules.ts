import type { Intent } from '../intent/intents.js';
import type { ScriptLanguage } from './language.js';

export interface BannedTerm {
  term: string;
  /** Named in `rulesFired` as `banned:<category>`. */
  category: string;
}

/**
 * A line for `intent` (in `region`, when set) must carry `text`: at its `end`, or `anywhere`.
 * `{sponsor}` in the text is the context's sponsor. `when: 'sponsored'` applies the rule only
 * when there is a sponsor; `always` blocks a line whose rule needs a sponsor and has none.
 */
export interface DisclaimerRule {
  id: string;
  intent: Intent;
  region?: string;
  placement: 'end' | 'anywhere';
  when: 'always' | 'sponsored';
  text: Record<ScriptLanguage, string>;
}

export interface PolicyRules {
  /** Cap on one spoken line (or one streamed answer), disclaimers included, in code points. */
  maxChars: number;
  bannedTerms: readonly BannedTerm[];
  disclaimers: readonly DisclaimerRule[];
}
