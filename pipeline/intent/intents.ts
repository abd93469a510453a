/** What a host cue or a viewer line asks the presenter to do. Order is the model's output order. */
export const INTENTS = [
  'greet',
  'introduce_topic',
  'explain',
  'answer_question',
  'announce_poll',
  'poll_result',
  'promote_offer',
  'sponsor_read',
  'transition',
  'recap',
  'sign_off',
  'small_talk',
  'off_policy',
] as const;

export type Intent = (typeof INTENTS)[number];

export function isIntent(value: unknown): value is Intent {
  return typeof value === 'string' && (INTENTS as readonly string[]).includes(value);
}
