import type { ScriptLanguage } from './language.js';

const HOLD_LINES: Record<ScriptLanguage, string> = {
  en: 'Let me come back to that in a moment.',
  es: 'Déjame volver a eso en un momento.',
};

/** A safe line that commits to nothing, for when the stage is not sure what to say. */
export function holdLine(language: ScriptLanguage | undefined): string {
  return HOLD_LINES[language ?? 'en'];
}
