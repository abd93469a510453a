import type { Persona } from '../persona/index.js';
import { TemplateNotFoundError, TemplateSlotMissingError } from './errors.js';
import { scriptLanguageOf } from './language.js';
import { seededIndex } from './seededIndex.js';
import type { ShowContext } from './ShowContext.js';
import { fillSlots, slotWeight } from './slots.js';
import { slotValuesFor } from './slotValues.js';
import { TemplateSet, type TemplateKind, type TemplateVariant } from './TemplateSet.js';

export interface TemplateLine {
  text: string;
  source: 'template';
  templateId: string;
}

/** The fast path: a prepared line for the intent in the persona's tone and language. */
export class TemplateScripter {
  constructor(readonly templates: TemplateSet) {}

  /**
   * Picks a variant deterministically from `seed` among those whose slots all have values and
   * that say the most about this moment (see `slotWeight`: "Today we're talking about
   * {topic}" wins over "Welcome back to {showTitle}" when there is a topic), trying the
   * persona's tone first and then `default` among equals.
   * Throws `TemplateNotFoundError` or `TemplateSlotMissingError`.
   */
  generate(
    intent: TemplateKind,
    persona: Persona,
    context: ShowContext,
    seed: number | string,
  ): TemplateLine {
    const language = scriptLanguageOf(persona);
    if (language === undefined || intent === 'off_policy') {
      throw new TemplateNotFoundError(`${intent}.${persona.tone}.${persona.language}`);
    }
    const place = TemplateSet.place(intent, persona.tone, language);
    const values = slotValuesFor(persona, context);
    const tones = [persona.tone, 'default'] as const;
    const candidates = tones.map((tone) => this.templates.variants(intent, tone, language));
    if (candidates.every((list) => list.length === 0)) throw new TemplateNotFoundError(place);
    const usableLists = candidates.map((list) =>
      list.filter((variant) => variant.slots.every((slot) => values[slot] !== undefined)),
    );
    const best = Math.max(-1, ...usableLists.flat().map(weightOf));
    for (const usable of usableLists) {
      const top = usable.filter((variant) => weightOf(variant) === best);
      const variant = top[seededIndex(seed, top.length)];
      if (variant)
        return {
          text: fillSlots(variant.text, values),
          source: 'template',
          templateId: variant.id,
        };
    }
    throw new TemplateSlotMissingError(place, missingSlots(candidates.flat(), values));
  }
}

/** What a variant says about this moment: the weight of its most specific slot. */
function weightOf(variant: TemplateVariant): number {
  return Math.max(0, ...variant.slots.map(slotWeight));
}

function missingSlots(
  variants: readonly TemplateVariant[],
  values: Record<string, unknown>,
): string[] {
  return [
    ...new Set(variants.flatMap((v) => v.slots.filter((slot) => values[slot] === undefined))),
  ];
}
