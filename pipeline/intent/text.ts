import { InvalidIntentTextError } from './errors.js';

/** The longest cue or chat line the model accepts. */
export const MAX_INTENT_CHARS = 2_000;

// C0/C1 controls other than tab and newline.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Checks a cue or chat line before it is classified; returns it with whitespace collapsed. */
export function validateIntentText(text: unknown): string {
  if (typeof text !== 'string')
    throw new InvalidIntentTextError('INTENT_TEXT_INVALID', 'text must be a string');
  if (CONTROL.test(text))
    throw new InvalidIntentTextError(
      'INTENT_TEXT_CONTROL_CHARS',
      'text contains control characters',
    );
  const normalized = text.replace(/\s+/g, ' ').trim();
  if (normalized === '') throw new InvalidIntentTextError('INTENT_TEXT_EMPTY', 'text is empty');
  if ([...normalized].length > MAX_INTENT_CHARS) {
    throw new InvalidIntentTextError(
      'INTENT_TEXT_TOO_LONG',
      `text is longer than ${MAX_INTENT_CHARS} characters`,
    );
  }
  return normalized;
}
