import { InvalidTextError } from './errors.js';

/** The documented cap on one spoken line. */
export const MAX_SPEECH_CHARS = 1_000;

// C0/C1 controls other than tab and newline.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/**
 * Checks and normalizes text before it reaches a TTS engine. Markup is left as it is:
 * engines are driven without SSML, so `<b>` is spoken as text, never interpreted.
 */
export function validateSpeechText(text: unknown): string {
  if (typeof text !== 'string') throw new InvalidTextError('TEXT_INVALID', 'text must be a string');
  if (CONTROL.test(text)) throw new InvalidTextError('TEXT_CONTROL_CHARS', 'text contains control characters');
  const normalized = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (normalized === '') throw new InvalidTextError('TEXT_EMPTY', 'text is empty');
  if ([...normalized].length > MAX_SPEECH_CHARS) {
    throw new InvalidTextError('TEXT_TOO_LONG', `text is longer than ${MAX_SPEECH_CHARS} characters`);
  }
  return normalized;
}
