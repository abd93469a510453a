import { settleWithin } from '../../../lib/settleWithin.js';
import type { Utterance } from '../../animate/Utterance.js';
import { concatUtterances } from '../../animate/utteranceCodec.js';
import type { Persona } from '../../persona/index.js';
import type { AssetStore } from '../../store/AssetStore.js';
import { loadPhrase } from '../../store/voiceAssets.js';
import { splitSentences } from '../../text/sentences.js';

export type SpeechSource = 'cache' | 'partial-cache' | 'tts';

export interface AssembledSpeech {
  utterance: Utterance;
  source: SpeechSource;
  cachedSegments: number;
  segments: number;
}

export interface SpeechCacheStats {
  hit: number;
  partial: number;
  miss: number;
  /** Lookups that gave up (store slow or Redis away): served as a miss. */
  lookupFailed: number;
}

/** A lookup slower than this is abandoned; the cue is synthesized instead. */
const LOOKUP_BUDGET_MS = 250;

/**
 * The live lane's use of the batch lane's voice cache: a cue whose text, or some of whose
 * sentences, were rendered ahead of time splices those tracks in and synthesizes only the rest.
 */
export class SpeechCache {
  readonly stats: SpeechCacheStats = { hit: 0, partial: 0, miss: 0, lookupFailed: 0 };

  constructor(private readonly store: AssetStore) {}

  async assemble(text: string, persona: Persona, synthesize: (text: string) => Promise<Utterance>): Promise<AssembledSpeech> {
    const whole = await this.lookup(text, persona);
    if (whole) {
      this.stats.hit++;
      return { utterance: whole, source: 'cache', cachedSegments: 1, segments: 1 };
    }
    const segments = splitSentences(text);
    const cached = segments.length > 1 ? await Promise.all(segments.map((s) => this.lookup(s.text, persona))) : [];
    const hits = cached.filter(Boolean).length;
    if (hits === 0) {
      this.stats.miss++;
      return { utterance: await synthesize(text), source: 'tts', cachedSegments: 0, segments: 1 };
    }
    this.stats.partial++;
    const parts = await Promise.all(segments.map((s, i) => cached[i] ?? synthesize(s.text)));
    return { utterance: concatUtterances(parts, segments.map((s) => s.offset)), source: 'partial-cache', cachedSegments: hits, segments: segments.length };
  }

  private async lookup(text: string, persona: Persona): Promise<Utterance | undefined> {
    const found = await settleWithin(loadPhrase(this.store, text, persona), LOOKUP_BUDGET_MS);
    if (!found) this.stats.lookupFailed++;
    return found?.value;
  }
}
