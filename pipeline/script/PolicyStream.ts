import type { PolicyContext, PolicyDecision, PolicyResult } from './PolicyDecision.js';
import type { BannedTerm, DisclaimerRule } from './PolicyRules.js';
import { foldForMatch } from './textMatch.js';

export interface CompiledBannedTerm extends BannedTerm {
  pattern: RegExp;
}

interface RequiredDisclaimer {
  rule: DisclaimerRule;
  text: string;
}

/**
 * Checks one answer sentence by sentence, for streamed LLM output: `next()` per sentence,
 * then `finish()` for the disclaimers still missing. After a block or once the length cap is
 * reached, `ended` is true and further sentences are dropped.
 */
export class PolicyStream {
  private readonly fired = new Set<string>();
  private readonly spoken: string[] = [];
  private readonly required: RequiredDisclaimer[] = [];
  private readonly bodyCap: number;
  private spokenChars = 0;
  private blocked = false;
  private amended = false;
  private capReached = false;

  constructor(
    maxChars: number,
    private readonly banned: readonly CompiledBannedTerm[],
    disclaimers: readonly DisclaimerRule[],
    ctx: PolicyContext,
  ) {
    const language = ctx.language ?? 'en';
    const sponsor = ctx.sponsor?.trim() || undefined;
    // `anywhere` disclaimers go first so that appending one never pushes an `end` one off the end.
    const ordered = [...disclaimers].sort(
      (a, b) => Number(a.placement === 'end') - Number(b.placement === 'end'),
    );
    for (const rule of ordered) {
      if (rule.intent !== ctx.intent) continue;
      if (rule.region !== undefined && rule.region !== ctx.region?.trim().toUpperCase()) continue;
      if (rule.when === 'sponsored' && sponsor === undefined) continue;
      const template = rule.text[language];
      if (template.includes('{sponsor}') && sponsor === undefined) {
        this.block(`${rule.id}:no-sponsor`);
        continue;
      }
      this.required.push({ rule, text: template.replaceAll('{sponsor}', sponsor ?? '') });
    }
    // Disclaimers are reserved up front so that trimming never cuts them.
    this.bodyCap = maxChars - this.required.reduce((sum, d) => sum + length(d.text) + 1, 0);
  }

  get ended(): boolean {
    return this.blocked || this.capReached;
  }

  get decision(): PolicyDecision {
    return this.blocked && this.spoken.length === 0
      ? 'block'
      : this.blocked || this.amended
        ? 'amend'
        : 'allow';
  }

  get rulesFired(): string[] {
    return [...this.fired];
  }

  next(sentence: string): PolicyResult {
    if (this.ended) return this.result('block', '');
    const folded = foldForMatch(sentence);
    const hit = this.banned.find((b) => b.pattern.test(folded));
    if (hit) {
      this.block(`banned:${hit.category}`);
      return this.result('block', '');
    }
    const room = this.bodyCap - this.spokenChars - (this.spoken.length > 0 ? 1 : 0);
    let text = sentence;
    if (length(sentence) > room) {
      text = trimToWords(sentence, room);
      this.capReached = true;
      this.amend('length-cap');
    }
    if (text !== '') {
      this.spokenChars += (this.spoken.length > 0 ? 1 : 0) + length(text);
      this.spoken.push(text);
    }
    return this.result(text === sentence ? 'allow' : 'amend', text);
  }

  /** The disclaimers to append (empty text when none are missing or nothing was spoken). */
  finish(): PolicyResult {
    if (this.spoken.length === 0) return this.result(this.blocked ? 'block' : 'allow', '');
    const folded = foldForMatch(this.spoken.join(' '));
    const tail: string[] = [];
    for (const { rule, text } of this.required) {
      const want = foldForMatch(text);
      const present = rule.placement === 'end' ? folded.endsWith(want) : folded.includes(want);
      if (present && !(rule.placement === 'end' && tail.length > 0)) continue;
      tail.push(text);
      this.amend(`disclaimer:${rule.id}`);
    }
    const text = tail.join(' ');
    if (text !== '') this.spoken.push(text);
    return this.result(text === '' ? 'allow' : 'amend', text);
  }

  private block(rule: string): void {
    this.blocked = true;
    this.fired.add(rule);
  }

  private amend(rule: string): void {
    this.amended = true;
    this.fired.add(rule);
  }

  private result(decision: PolicyDecision, text: string): PolicyResult {
    return { decision, text, rulesFired: this.rulesFired };
  }
}

function length(text: string): number {
  return [...text].length;
}

/** At most `max` code points, cut at a word boundary, ending in an ellipsis. */
function trimToWords(text: string, max: number): string {
  if (max < 2) return '';
  const head = [...text].slice(0, max - 1).join('');
  const atSpace = head.lastIndexOf(' ');
  const cut = (atSpace > 0 ? head.slice(0, atSpace) : head).replace(/[\s,;:.!?¡¿…-]+$/u, '');
  return cut === '' ? '' : `${cut}…`;
}
