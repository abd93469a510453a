import { isIntent, type Intent } from '../intent/intents.js';
import type { Tone } from '../persona/index.js';
import type { ScriptLanguage } from './language.js';
import type { Slot } from './slots.js';

export type TemplateTone = Tone | 'default';

/**
 * Lines the templates hold besides one per intent: `answer_unknown` is what the presenter says
 * when the show's facts do not answer a viewer's question (docs/knowledge.md).
 */
export const EXTRA_LINES = ['answer_unknown'] as const;
export type TemplateKind = Intent | (typeof EXTRA_LINES)[number];

export function isTemplateKind(name: string): name is TemplateKind {
  return isIntent(name) || (EXTRA_LINES as readonly string[]).includes(name);
}

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

  static place(intent: TemplateKind, tone: TemplateTone, language: ScriptLanguage): string {
    return `${intent}.${tone}.${language}`;
  }

  variants(
    intent: TemplateKind,
    tone: TemplateTone,
    language: ScriptLanguage,
  ): readonly TemplateVariant[] {
    return this.byPlace.get(TemplateSet.place(intent, tone, language)) ?? [];
  }

  get places(): string[] {
    return [...this.byPlace.keys()];
  }
}
