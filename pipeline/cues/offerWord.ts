import { CodedError } from '../../lib/errors/CodedError.js';
import type { Utterance } from '../animate/Utterance.js';
import type { CueOffer } from './Cue.js';

const WORD = /^[\p{L}\p{N}'-]{1,40}$/u;
const OVERLAY_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** `{word, overlay}` from a cue request; for scripted text the word must be in it. */
export function validateOffer(value: unknown, text?: string): CueOffer {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('offer must be an object {word, overlay}');
  const { word, overlay, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0) throw invalid(`offer has unknown fields: ${Object.keys(rest).join(', ').slice(0, 80)}`);
  if (typeof word !== 'string' || !WORD.test(word)) throw invalid('offer.word must be one word of 1-40 letters or digits');
  if (typeof overlay !== 'string' || !OVERLAY_ID.test(overlay)) throw invalid('offer.overlay must be an overlay template id');
  if (text !== undefined && wordIndex(word, text) === undefined) throw new CodedError('OFFER_WORD_NOT_IN_TEXT', `"${word}" is not a word of the cue's text`);
  return { word, overlay };
}

/**
 * The sample (48 kHz, within the line's utterance) where the offer word becomes audible: its
 * first sounding phoneme. A word event after a pause starts where the pause does.
 */
export function locateOfferWord(word: string, line: string, utterance: Pick<Utterance, 'words' | 'visemes'>): number | undefined {
  const index = wordIndex(word, line);
  if (index === undefined) return undefined;
  // TTS word events carry 1-based character positions in the text they were given.
  const mark = utterance.words.filter((m) => m.textPosition <= index + 1).at(-1);
  if (!mark) return undefined;
  const next = utterance.words.find((m) => m.sample > mark.sample)?.sample ?? Infinity;
  const sounding = utterance.visemes.find((v) => v.sample >= mark.sample && v.sample < next && v.viseme !== 'sil');
  return sounding?.sample ?? mark.sample;
}

function wordIndex(word: string, text: string): number | undefined {
  const escaped = word.replace(/[-']/g, '\\$&');
  const match = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu').exec(text);
  return match?.index;
}

const invalid = (message: string) => new CodedError('INVALID_OFFER', message);
