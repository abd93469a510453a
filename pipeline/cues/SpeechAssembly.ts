import { buildUtterance, type Utterance } from '../animate/Utterance.js';
import type { SpeechCache, SpeechSource } from '../lanes/live/SpeechCache.js';
import type { TtsEngine } from '../tts/TtsEngine.js';
import type { CueFlight } from './CueFlight.js';

/** Past this a synthesis is abandoned and the line goes out as a text overlay. */
const TTS_HARD_LIMIT_MS = 2_000;

/** A line's speech, and whether it came from the voice cache, live TTS or both. */
export interface LineSpeech {
  utterance: Utterance;
  source: SpeechSource;
}

/**
 * A line's speech: spliced from the batch lane's voice cache where it can be, the rest
 * synthesized under the TTS hard deadline. The tts and animate stages go on the cue's trace,
 * their times in its timings.
 */
export class SpeechAssembly {
  constructor(
    private readonly tts: TtsEngine,
    /** Without one every line is synthesized. */
    private readonly speechCache?: SpeechCache,
    /** Whose lookups these are, for the per-show cache metrics. */
    private readonly showId?: string,
  ) {}

  async assemble(flight: CueFlight, line: string): Promise<LineSpeech> {
    const synthesize = (segment: string) => this.synthesize(flight, segment);
    const speech = this.speechCache ? await this.speechCache.assemble(line, flight.persona, synthesize, this.showId) : { utterance: await synthesize(line), source: 'tts' as const };
    flight.cue.timings.speechReadyMs ??= flight.elapsedMs();
    return speech;
  }

  private async synthesize(flight: CueFlight, segment: string): Promise<Utterance> {
    const { cue, trace } = flight;
    const limit = deadline(flight.signal, TTS_HARD_LIMIT_MS);
    const ttsStartMs = trace.now();
    let animateStartMs = ttsStartMs;
    const utterance = await buildUtterance(
      this.tts.synthesize(segment, flight.persona.voice, limit.signal),
      () => (cue.timings.ttsFirstChunkMs ??= flight.elapsedMs()),
      () => ((animateStartMs = trace.now()), trace.end('tts', ttsStartMs, `${segment.length} chars`)),
    ).finally(limit.clear);
    trace.end('animate', animateStartMs, `${utterance.visemes.length} visemes`);
    if (utterance.pcm.length === 0) throw new Error('the TTS engine produced no audio');
    cue.timings.ttsDoneMs = flight.elapsedMs();
    return utterance;
  }
}

/**
 * A signal that aborts with `parent` or after `ms`. (Not `AbortSignal.any`: on Node 20 its
 * composite signal is held weakly and can be collected before it fires.)
 */
function deadline(parent: AbortSignal, ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = setTimeout(abort, ms);
  parent.addEventListener('abort', abort, { once: true });
  return { signal: controller.signal, clear: () => (clearTimeout(timer), parent.removeEventListener('abort', abort)) };
}
