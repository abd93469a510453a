import type { DecisionContext, OverlayTemplate } from '../types.js';
import { consentRule } from './consentRule.js';
import { dismissedRule } from './dismissedRule.js';
import { frequencyCapRule } from './frequencyCapRule.js';
import { inventoryCapRule } from './inventoryCapRule.js';
import { languageRule } from './languageRule.js';
import { minGapRule } from './minGapRule.js';
import { regionRule } from './regionRule.js';
import type { Rule } from './Rule.js';
import { sponsorCommitmentRule } from './sponsorCommitmentRule.js';

/**
 * The precedence (docs/decisions.md): hard filters (consent, region, language), then the
 * viewer's dismissals, inventory caps, frequency caps and the min gap, then sponsor
 * commitments on what is left. A template is named only by the first rule that removes it.
 */
export const RULE_PRECEDENCE: readonly Rule[] = [
  consentRule,
  regionRule,
  languageRule,
  dismissedRule,
  inventoryCapRule,
  frequencyCapRule,
  minGapRule,
  sponsorCommitmentRule,
];

export interface RuleOutcome {
  eligible: readonly OverlayTemplate[];
  rulesFired: string[];
  /** A sponsor commitment narrowed the candidates: showing nothing is not an option. */
  forced: boolean;
}

export class RuleSet {
  constructor(readonly rules: readonly Rule[] = RULE_PRECEDENCE) {}

  /** Pure and synchronous: reads only the context (session features and show state). */
  apply(context: DecisionContext, candidates: readonly OverlayTemplate[]): RuleOutcome {
    const rulesFired: string[] = [];
    let eligible = candidates;
    let forced = false;
    for (const rule of this.rules) {
      const before = rulesFired.length;
      eligible = rule.apply(context, eligible, rulesFired);
      if (rule.forces && rulesFired.length > before) forced = true;
      if (eligible.length === 0) break;
    }
    return { eligible, rulesFired, forced };
  }
}
