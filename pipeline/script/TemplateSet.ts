import type { Intent } from '../intent/intents.js';
import type { Tone } from '../persona/index.js';
import type { ScriptLanguage } from './language.js';
import type { Slot } from './slots.js';

export type TemplateTone = Tone | 'default';

export interface TemplateVariant {
  /** Stable id for audits: `intent.tone.language.variant`. */
  id: string;
  text: string;
  slots: readonly Slot[];
}

/** Validated templates by intent × tone × language. */
export class TemplateSet {
  constructor(
    readonly source: string,
    private readonly byPlace: ReadonlyMap<string, readonly TemplateVariant[]>,
  ) {}

  static place(intent: Intent, tone: TemplateTone, language: ScriptLanguage): string {
    return `${intent}.${tone}.${language}`;
  }

  variants(
    intent: Intent,
    tone: TemplateTone,
    language: ScriptLanguage,
  ): readonly TemplateVariant[] {
    return this.byPlace.get(TemplateSet.place(intent, tone, language)) ?? [];
  }

  get places(): string[] {
    return [...this.byPlace.keys()];
  }
}
