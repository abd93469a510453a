import type { Persona } from '../persona/index.js';
import { scriptLanguageOf, type ScriptLanguage } from './language.js';
import { toPlainText } from './plainText.js';
import type { ShowContext } from './ShowContext.js';
import type { Slot, SlotValues } from './slots.js';

/** Per-slot caps in code points: a value is a phrase inside a sentence, not a paragraph. */
const SLOT_CAPS = { short: 60, phrase: 120, question: 200, list: 240, fact: 300 } as const;
const CAP_OF: Partial<Record<Slot, number>> = {
  question: SLOT_CAPS.question,
  topic: SLOT_CAPS.phrase,
  episode: SLOT_CAPS.phrase,
  segment: SLOT_CAPS.phrase,
  pollQuestion: SLOT_CAPS.phrase,
  talkingPoints: SLOT_CAPS.list,
  pollOptions: SLOT_CAPS.list,
  fact: SLOT_CAPS.fact,
};
const LIST_WORDS: Record<ScriptLanguage, { and: string; or: string }> = { en: { and: 'and', or: 'or' }, es: { and: 'y', or: 'o' } };

/**
 * The plain-text value of every slot the persona and context can fill. The viewer's name is
 * included only with the viewer's consent; empty values count as missing.
 */
export function slotValuesFor(persona: Persona, context: ShowContext): SlotValues {
  const words = LIST_WORDS[scriptLanguageOf(persona) ?? 'en'];
  const raw: SlotValues = {
    presenterName: persona.branding.presenterName,
    showTitle: persona.branding.showTitle,
    topic: context.topic,
    episode: context.title,
    segment: context.segment?.title,
    talkingPoints: context.segment && spokenList(context.segment.talkingPoints, words.and),
    pollQuestion: context.poll && sentence(context.poll.question, '?'),
    pollOptions: context.poll && spokenList(context.poll.options, words.or),
    fact: context.facts?.[0] && sentence(context.facts[0].text, '.'),
    offer: context.offer?.name,
    sponsor: context.offer?.sponsor,
    pollWinner: context.pollResult?.winner,
    pollPercent: context.pollResult ? formatPercent(context.pollResult.percent) : undefined,
    question: context.question?.text,
    viewerName: context.question?.viewerConsented ? context.question.viewerName : undefined,
  };
  const values: SlotValues = {};
  for (const [slot, value] of Object.entries(raw) as [Slot, string | undefined][]) {
    if (value === undefined) continue;
    const plain = toPlainText(value, CAP_OF[slot] ?? SLOT_CAPS.short);
    if (plain !== '') values[slot] = plain;
  }
  return values;
}

/** `a, b and c`: each item plain text, empty ones dropped; undefined for none. */
function spokenList(items: readonly string[], conjunction: string): string | undefined {
  const clean = items.map((item) => toPlainText(item, SLOT_CAPS.phrase)).filter((item) => item !== '');
  if (clean.length === 0) return undefined;
  return clean.length === 1 ? clean[0] : `${clean.slice(0, -1).join(', ')} ${conjunction} ${clean.at(-1)}`;
}

/** A value spoken as a sentence of its own ends like one. */
function sentence(text: string, end: string): string {
  const plain = toPlainText(text, SLOT_CAPS.fact);
  return plain === '' || /[.!?…]$/.test(plain) ? plain : `${plain}${end}`;
}

function formatPercent(percent: number): string | undefined {
  return Number.isFinite(percent)
    ? String(Math.round(Math.min(100, Math.max(0, percent))))
    : undefined;
}
