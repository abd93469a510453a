import type { Persona } from '../persona/index.js';
import { toPlainText } from './plainText.js';
import type { ShowContext } from './ShowContext.js';
import type { SlotValues } from './slots.js';

/** Per-slot caps in code points: a value is a phrase inside a sentence, not a paragraph. */
const SLOT_CAPS = { short: 60, phrase: 120, question: 200 } as const;

/**
 * The plain-text value of every slot the persona and context can fill. The viewer's name is
 * included only with the viewer's consent; empty values count as missing.
 */
export function slotValuesFor(persona: Persona, context: ShowContext): SlotValues {
  const raw: SlotValues = {
    presenterName: persona.branding.presenterName,
    showTitle: persona.branding.showTitle,
    topic: context.topic,
    offer: context.offer?.name,
    sponsor: context.offer?.sponsor,
    pollWinner: context.pollResult?.winner,
    pollPercent: context.pollResult ? formatPercent(context.pollResult.percent) : undefined,
    question: context.question?.text,
    viewerName: context.question?.viewerConsented ? context.question.viewerName : undefined,
  };
  const values: SlotValues = {};
  for (const [slot, value] of Object.entries(raw) as [keyof SlotValues, string | undefined][]) {
    if (value === undefined) continue;
    const cap =
      slot === 'question'
        ? SLOT_CAPS.question
        : slot === 'topic'
          ? SLOT_CAPS.phrase
          : SLOT_CAPS.short;
    const plain = toPlainText(value, cap);
    if (plain !== '') values[slot] = plain;
  }
  return values;
}

function formatPercent(percent: number): string | undefined {
  return Number.isFinite(percent)
    ? String(Math.round(Math.min(100, Math.max(0, percent))))
    : undefined;
}
