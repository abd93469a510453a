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
  readonly stats: SpeechCacheStats = emptyStats();
  /** The same counts per show (`onair_speech_cache_lookups_total{show}`); lookups without a show count only in `stats`. */
  private readonly byShow = new Map<string, SpeechCacheStats>();

  constructor(private readonly store: AssetStore) {}

  /** One show's lookups so far (zeros before its first). */
  statsFor(showId: string): SpeechCacheStats {
    return { ...(this.byShow.get(showId) ?? emptyStats()) };
  }

  /** The shows that looked anything up, with their counts. */
  showStats(): Array<[showId: string, stats: SpeechCacheStats]> {
    return [...this.byShow].map(([id, stats]) => [id, { ...stats }]);
  }

  /** Shows that ended, together: their own series go, and the counts stay monotonic. */
  readonly endedShows: SpeechCacheStats = emptyStats();

  /** An ended show's counts fold into `endedShows`: a process runs many shows in its life. */
  forget(showId: string): void {
    const stats = this.byShow.get(showId);
    if (!stats) return;
    for (const result of Object.keys(stats) as Array<keyof SpeechCacheStats>) this.endedShows[result] += stats[result];
    this.byShow.delete(showId);
  }

  async assemble(text: string, persona: Persona, synthesize: (text: string) => Promise<Utterance>, showId?: string): Promise<AssembledSpeech> {
    const count = (result: keyof SpeechCacheStats) => {
      this.stats[result]++;
      if (showId === undefined) return;
      let stats = this.byShow.get(showId);
      if (!stats) this.byShow.set(showId, (stats = emptyStats()));
      stats[result]++;
    };
    const whole = await this.lookup(text, persona, count);
    if (whole) {
      count('hit');
      return { utterance: whole, source: 'cache', cachedSegments: 1, segments: 1 };
    }
    const segments = splitSentences(text);
    const cached = segments.length > 1 ? await Promise.all(segments.map((s) => this.lookup(s.text, persona, count))) : [];
    const hits = cached.filter(Boolean).length;
    if (hits === 0) {
      count('miss');
      return { utterance: await synthesize(text), source: 'tts', cachedSegments: 0, segments: 1 };
    }
    count('partial');
    const parts = await Promise.all(segments.map((s, i) => cached[i] ?? synthesize(s.text)));
    return { utterance: concatUtterances(parts, segments.map((s) => s.offset)), source: 'partial-cache', cachedSegments: hits, segments: segments.length };
  }

  private async lookup(text: string, persona: Persona, count: (result: 'lookupFailed') => void): Promise<Utterance | undefined> {
    const found = await settleWithin(loadPhrase(this.store, text, persona), LOOKUP_BUDGET_MS);
    if (!found) count('lookupFailed');
    return found?.value;
  }
}

const emptyStats = (): SpeechCacheStats => ({ hit: 0, partial: 0, miss: 0, lookupFailed: 0 });
