import type { Intent } from '../intent/intents.js';
import type { Persona } from '../persona/index.js';
import { TemplateNotFoundError, TemplateSlotMissingError } from './errors.js';
import { scriptLanguageOf } from './language.js';
import { seededIndex } from './seededIndex.js';
import type { ShowContext } from './ShowContext.js';
import { fillSlots } from './slots.js';
import { slotValuesFor } from './slotValues.js';
import { TemplateSet, type TemplateVariant } from './TemplateSet.js';

export interface TemplateLine {
  text: string;
  source: 'template';
  templateId: string;
}

/** The fast path: a prepared line for the intent in the persona's tone and language. */
export class TemplateScripter {
  constructor(readonly templates: TemplateSet) {}

  /**
   * Picks a variant deterministically from `seed` among those whose slots all have values,
   * trying the persona's tone first and then `default`.
   * Throws `TemplateNotFoundError` or `TemplateSlotMissingError`.
   */
  generate(
    intent: Intent,
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
    for (const list of candidates) {
      const usable = list.filter((variant) =>
        variant.slots.every((slot) => values[slot] !== undefined),
      );
      const variant = usable[seededIndex(seed, usable.length)];
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

function missingSlots(
  variants: readonly TemplateVariant[],
  values: Record<string, unknown>,
): string[] {
  return [
    ...new Set(variants.flatMap((v) => v.slots.filter((slot) => values[slot] === undefined))),
  ];
}
