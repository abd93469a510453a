/**
 * The safety taxonomy. Order is the safety model's output order; `allowed` is last and every
 * other label is a reason to refuse. docs/safety.md describes each one.
 */
export const SAFETY_LABELS = [
  'violence_weapons',
  'self_harm',
  'hate_harassment',
  'sexual_content',
  'medical_financial_guarantee',
  'personal_data',
  'prompt_injection',
  'allowed',
] as const;

export type SafetyLabel = (typeof SAFETY_LABELS)[number];
export type HarmCategory = Exclude<SafetyLabel, 'allowed'>;

export const HARM_CATEGORIES = SAFETY_LABELS.filter((l): l is HarmCategory => l !== 'allowed');

export const ALLOWED_INDEX = SAFETY_LABELS.indexOf('allowed');

export function isSafetyLabel(value: unknown): value is SafetyLabel {
  return typeof value === 'string' && (SAFETY_LABELS as readonly string[]).includes(value);
}

export const SAFETY_LANGUAGES = ['en', 'es'] as const;
export type SafetyLanguage = (typeof SAFETY_LANGUAGES)[number];
