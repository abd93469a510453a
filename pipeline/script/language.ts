import type { Persona } from '../persona/index.js';

export const SCRIPT_LANGUAGES = ['en', 'es'] as const;
export type ScriptLanguage = (typeof SCRIPT_LANGUAGES)[number];

/** The persona's base language (`en-GB` → `en`), or undefined when scripts have none for it. */
export function scriptLanguageOf(persona: Pick<Persona, 'language'>): ScriptLanguage | undefined {
  const base = persona.language.split('-')[0]?.toLowerCase();
  return (SCRIPT_LANGUAGES as readonly string[]).includes(base ?? '')
    ? (base as ScriptLanguage)
    : undefined;
}
