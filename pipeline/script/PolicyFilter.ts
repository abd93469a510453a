import type { PolicyContext, PolicyResult } from './PolicyDecision.js';
import type { PolicyRules } from './PolicyRules.js';
import { PolicyStream, type CompiledBannedTerm } from './PolicyStream.js';
import { wholeWordPattern } from './textMatch.js';

/**
 * Every spoken line passes here: banned terms block it, missing disclaimers are appended and
 * over-long lines are trimmed (both `amend`). Rule names land in `rulesFired` for the audit.
 */
export class PolicyFilter {
  private readonly banned: readonly CompiledBannedTerm[];

  constructor(readonly rules: PolicyRules) {
    this.banned = rules.bannedTerms.map((b) => ({ ...b, pattern: wholeWordPattern(b.term) }));
  }

  /** Checks one complete line. */
  check(line: string, ctx: PolicyContext): PolicyResult {
    const stream = this.open(ctx);
    const body = stream.next(line);
    if (body.decision === 'block') return { ...body, decision: 'block', text: '' };
    const tail = stream.finish();
    const text = [body.text, tail.text].filter((part) => part !== '').join(' ');
    return { decision: stream.decision, text, rulesFired: stream.rulesFired };
  }

  /** Checks an answer that arrives sentence by sentence. */
  open(ctx: PolicyContext): PolicyStream {
    return new PolicyStream(this.rules.maxChars, this.banned, this.rules.disclaimers, ctx);
  }
}
