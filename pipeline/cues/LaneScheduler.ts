import { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import { AUDIO_SAMPLE_RATE } from '../../lib/media/codecs.js';
import type { PresenterSource } from '../lanes/live/PresenterSource.js';
import { INTERRUPTED, type CueOffer } from './Cue.js';
import type { CueFlight } from './CueFlight.js';
import { CuePart } from './CuePart.js';
import type { CueRegistry } from './CueRegistry.js';
import type { EncodeStage } from './EncodeStage.js';
import { locateOfferWord } from './offerWord.js';
import type { LineSpeech } from './SpeechAssembly.js';

export type LaneSchedulerEvents = {
  /** A marked offer word is on air: it is spoken at `offer.streamTimeMs`. */
  offerword: [cueId: string, offer: Required<CueOffer>];
};

/**
 * Puts cues' speech on the presenter as parts and follows the parts there: a cue's first
 * part on air makes it `speaking` (the render stage ends, encode begins), the part with the
 * offer word gives the word its stream time, and the last part's end, or an interrupt, ends
 * the cue.
 */
export class LaneScheduler extends EnhancedEventEmitter<LaneSchedulerEvents> {
  constructor(
    private readonly presenter: PresenterSource,
    private readonly registry: CueRegistry,
    private readonly encode: EncodeStage,
  ) {
    super();
    presenter.on('speechstart', (part, frame) => {
      if (part instanceof CuePart) this.started(part, frame.streamTimeMs);
    });
    presenter.on('speechend', (part, frame, interrupted) => {
      if (part instanceof CuePart) this.ended(part, frame.streamTimeMs, interrupted);
    });
  }

  /** The cue on air, if any. */
  get speaking(): CueFlight | undefined {
    const part = this.presenter.speaking;
    return part instanceof CuePart ? part.flight : undefined;
  }

  /** Queues one line's speech behind whatever the presenter is saying. */
  enqueue(flight: CueFlight, line: string, speech: LineSpeech): void {
    const { cue } = flight;
    cue.speechSource = cue.speechSource && cue.speechSource !== speech.source ? 'partial-cache' : speech.source;
    cue.durationMs = (cue.durationMs ?? 0) + Math.round((speech.utterance.pcm.length * 1000) / AUDIO_SAMPLE_RATE);
    flight.firstEnqueuedMs ??= flight.trace.now();
    const offerSample = cue.offer && !flight.offerPlaced ? locateOfferWord(cue.offer.word, line, speech.utterance) : undefined;
    if (offerSample !== undefined) flight.offerPlaced = true;
    const part = new CuePart(flight, flight.partsEnqueued++, offerSample);
    this.presenter.enqueue({ part, utterance: speech.utterance, persona: flight.persona });
  }

  /** No more parts will come: the cue is done once those on the presenter have ended. */
  lastPartEnqueued(flight: CueFlight): void {
    flight.scriptDone = true;
    if (flight.partsEnqueued === 0) this.registry.finish(flight, { state: 'done', reason: flight.captioned ? 'shown as a text overlay' : 'nothing to say' });
    else if (flight.partsEnded === flight.partsEnqueued) this.registry.finish(flight, { state: 'done' });
  }

  /** Ends every part on the presenter at its next frame; returns their cues, the one on air first. */
  interrupt(): CueFlight[] {
    const parts = this.presenter.interrupt().filter((part): part is CuePart => part instanceof CuePart);
    return [...new Set(parts.map((part) => part.flight))];
  }

  private started(part: CuePart, streamTimeMs: number): void {
    const { flight } = part;
    if (flight.finished) return;
    if (flight.cue.state !== 'speaking') this.onAir(flight, streamTimeMs);
    if (part.offerSample !== undefined) this.offerOnAir(flight, part.offerSample, streamTimeMs);
  }

  private onAir(flight: CueFlight, streamTimeMs: number): void {
    const { trace } = flight;
    trace.firstAudioStreamTimeMs = Math.round(streamTimeMs);
    if (flight.firstEnqueuedMs !== undefined) trace.end('render', flight.firstEnqueuedMs, 'next frame boundary');
    this.encode.begin(trace);
    this.registry.update(flight, { state: 'speaking', streamTimeMs: Math.round(streamTimeMs) });
  }

  private offerOnAir(flight: CueFlight, offerSample: number, partStreamTimeMs: number): void {
    const { cue } = flight;
    if (!cue.offer) return;
    const streamTimeMs = Math.round(partStreamTimeMs + (offerSample * 1000) / AUDIO_SAMPLE_RATE);
    cue.offer.streamTimeMs = streamTimeMs;
    this.safeEmit('offerword', cue.id, { ...cue.offer, streamTimeMs });
  }

  private ended(part: CuePart, streamTimeMs: number, interrupted: boolean): void {
    const { flight } = part;
    if (flight.finished) return;
    flight.partsEnded++;
    flight.cue.endStreamTimeMs = Math.round(streamTimeMs);
    if (interrupted) this.registry.finish(flight, INTERRUPTED);
    else if (flight.scriptDone && flight.partsEnded === flight.partsEnqueued) this.registry.finish(flight, { state: 'done' });
  }
}
