import { MAX_SPEECH_CHARS } from '../tts/text.js';

// The same C0/C1 class that pipeline/tts/text.ts rejects; here it is stripped, because slot
// values come from operators and viewers and must not make a whole line unspeakable.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Untrusted text as speakable plain text: controls removed, whitespace collapsed, at most
 * `maxChars` code points. Markup is left as literal characters, never interpreted.
 */
export function toPlainText(value: string, maxChars: number = MAX_SPEECH_CHARS): string {
  const clean = value.normalize('NFC').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  const points = [...clean];
  return points.length <= maxChars ? clean : points.slice(0, maxChars).join('').trimEnd();
}
