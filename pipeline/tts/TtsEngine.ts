/**
 * The TTS stage's contract. Engines stream audio chunks with word and phoneme events at
 * exact sample positions (from the start of the utterance), which is what lip sync needs.
 */
export interface VoiceSpec {
  /** Engine voice name, e.g. espeak's `en-us`, `en-gb`, `es`. */
  voice: string;
  /** Engine variant, e.g. espeak's `f3`, `m3`. */
  variant?: string;
  rateWpm: number;
  /** 0..100 */
  pitch: number;
}

export type TtsEventType = 'word' | 'sentence' | 'phoneme' | 'end';

export interface TtsEvent {
  type: TtsEventType;
  /** Absolute sample index within the utterance, at the engine's sample rate. */
  sample: number;
  /** 1-based character position in the text (word events). */
  textPosition: number;
  length: number;
  /** Phoneme mnemonic (phoneme events). */
  phoneme?: string;
}

export interface TtsChunk {
  /** Mono PCM at `sampleRate`. */
  pcm: Int16Array;
  sampleRate: number;
  startSample: number;
  events: TtsEvent[];
}

export interface TtsEngine {
  readonly name: string;
  synthesize(text: string, voice: VoiceSpec, signal?: AbortSignal): AsyncIterable<TtsChunk>;
  close(): Promise<void>;
}
