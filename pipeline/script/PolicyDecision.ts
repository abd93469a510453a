import type { Intent } from '../intent/intents.js';
import type { ScriptLanguage } from './language.js';

export type PolicyDecision = 'allow' | 'amend' | 'block';

export interface PolicyContext {
  /** Disclaimers follow the intent; a line that answers none (the hold line) needs none. */
  intent?: Intent;
  sponsor?: string;
  region?: string;
  /** Language of the disclaimers to append; `en` when not given. */
  language?: ScriptLanguage;
}

export interface PolicyResult {
  decision: PolicyDecision;
  /** What may be spoken: the line, amended; empty when blocked. */
  text: string;
  rulesFired: string[];
}
