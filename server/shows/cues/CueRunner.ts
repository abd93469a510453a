import { randomBytes } from 'node:crypto';
import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import { buildUtterance, type Utterance } from '../../../pipeline/animate/Utterance.js';
import type { Brain } from '../../../pipeline/brain/Brain.js';
import type { Intent } from '../../../pipeline/intent/intents.js';
import { StageTrace, type TraceObserver } from '../../../pipeline/brain/StageTrace.js';
import { STAGE_BUDGETS_MS } from '../../../pipeline/brain/stages.js';
import { AUDIO_SAMPLE_RATE } from '../../../pipeline/encode/EncoderSettings.js';
import type { PresenterSource } from '../../../pipeline/lanes/live/PresenterSource.js';
import type { SpeechCache, SpeechSource } from '../../../pipeline/lanes/live/SpeechCache.js';
import type { Persona, PersonaCatalog } from '../../../pipeline/persona/index.js';
import type { ShowContext } from '../../../pipeline/script/index.js';
import { validateSpeechText } from '../../../pipeline/tts/text.js';
import type { TtsEngine } from '../../../pipeline/tts/TtsEngine.js';
import { ApiError } from '../../http/ApiError.js';
import { FINAL_STATES, type Cue, type CueKind, type CueOffer } from './Cue.js';
import { locateOfferWord, validateOffer } from './offerWord.js';

export type CueRunnerEvents = {
  status: [cue: Cue];
  /** A marked offer word is on air: it is spoken at `offer.streamTimeMs`. */
  offerword: [cueId: string, offer: Required<CueOffer>];
};

const MAX_PENDING_CUES = 50;
const HISTORY = 200;
/** Past this a synthesis is abandoned and the line goes out as a text overlay. */
const TTS_HARD_LIMIT_MS = 2_000;
const CAPTION_MS_PER_CHAR = 60;
/** Opus packets of digital silence are a few bytes; speech at 64 kb/s makes far larger ones. */
const SPEECH_PACKET_BYTES = 60;

export interface CueRunnerOptions {
  showId: string;
  tts: TtsEngine;
  presenter: PresenterSource;
  personas: PersonaCatalog;
  persona: Persona;
  /** The batch lane's voice cache; without one every line is synthesized. */
  speechCache?: SpeechCache;
  /** The thinking stages; without them the show takes only `say` cues. */
  brain?: Brain;
  traceObserver?: TraceObserver;
}

/** What a cue in flight is waiting on; gone once the cue is final. */
interface Flight {
  abort: AbortController;
  trace: StageTrace;
  persona: Persona;
  enqueued: number;
  ended: number;
  scriptDone: boolean;
  /** Lines that went out as a text overlay because they could not be spoken. */
  captioned: number;
  enqueuedAt?: number;
  /** Prompt cues: settles when the script has been written. */
  outcome?: Promise<unknown>;
  approval?: (decision: { text: string } | null) => void;
  /** The line part that speaks the offer word, and the word's sample within it. */
  offerPart?: { partId: string; sample: number };
}

/**
 * A show's cues. `say` cues go text → speech → the presenter; `prompt` cues go through the
 * brain first (intent → script), one sentence at a time, so the first sentence is on air
 * while the rest is still written. Every line is spliced from the voice cache when it can
 * be, and falls back to a text overlay when speech fails. Cues are prepared in order while
 * earlier ones are on air; every state change is an event and every stage is on the trace.
 */
export class CueRunner extends EnhancedEventEmitter<CueRunnerEvents> {
  private readonly cues = new Map<string, Cue>();
  private readonly flights = new Map<string, Flight>();
  private readonly traces = new Map<string, StageTrace>();
  private chain: Promise<void> = Promise.resolve();
  /** Cues on air whose first speech has not reached the SFU yet: the encode stage. */
  private encoding: Array<{ trace: StageTrace; startMs: number }> = [];
  private persona: Persona;
  /** Generated lines wait for the host's approval before they are spoken. */
  approvalMode = false;

  constructor(private readonly options: CueRunnerOptions) {
    super();
    this.persona = options.persona;
    options.presenter.on('speechstart', (partId, frame) => this.partStarted(cueIdOf(partId), frame.streamTimeMs));
    options.presenter.on('speechend', (partId, frame, interrupted) => this.partEnded(cueIdOf(partId), frame.streamTimeMs, interrupted));
    options.presenter.on('speechstart', (partId, frame) => this.offerOnAir(partId, frame.streamTimeMs));
  }

  get currentPersona(): Persona {
    return this.persona;
  }

  get speaking(): string | undefined {
    const part = this.options.presenter.speaking;
    return part && cueIdOf(part);
  }

  get faceSafeArea() {
    return this.options.presenter.faceSafeArea;
  }

  get thinks(): boolean {
    return this.options.brain !== undefined;
  }

  /** Takes effect at the next cue; the stream is not restarted. */
  setPersona(id: string): Persona {
    this.persona = this.options.personas.get(id);
    return this.persona;
  }

  /** The host's own words, spoken as they are (never through the approval queue). */
  submit(text: unknown, personaId?: string, offer?: unknown): Cue {
    const spoken = validateSpeechText(text);
    return this.start('say', spoken, personaId, {}, undefined, offer === undefined ? undefined : validateOffer(offer, spoken));
  }

  /**
   * "Talk about the new lens": the brain decides what to say. `hostIntent` is the host's
   * own reading of the prompt (answering a picked viewer question); off-policy text is
   * still refused whatever the host chose.
   */
  prompt(prompt: unknown, personaId?: string, context: ShowContext = {}, hostIntent?: Intent, offer?: unknown): Cue {
    if (!this.options.brain) throw new ApiError(409, 'SHOW_HAS_NO_BRAIN', 'this show takes only scripted cues');
    return this.start('prompt', validateSpeechText(prompt), personaId, context, hostIntent, offer === undefined ? undefined : validateOffer(offer));
  }

  /** Burns `text` into the lower third for a while (a host's shared overlay). */
  caption(text: string, durationMs = 15_000): void {
    this.options.presenter.caption(text, durationMs);
  }

  /** Approves a generated line (optionally edited) or, with `null`, rejects it. */
  decide(cueId: string, decision: { text: unknown } | null): Cue {
    const flight = this.flights.get(cueId);
    if (!flight?.approval) throw new ApiError(409, 'CUE_NOT_AWAITING_APPROVAL', `cue ${cueId} is not waiting for approval`);
    const resolve = flight.approval;
    flight.approval = undefined;
    resolve(decision && { text: validateSpeechText(decision.text) });
    return this.get(cueId)!;
  }

  /** Stops what is being said within a frame and drops every waiting cue. */
  interrupt(): string[] {
    this.encoding = [];
    // Cues with a part on the presenter hear of it through its speechend; the rest end here.
    const onPresenter = new Set(this.options.presenter.interrupt().map(cueIdOf));
    for (const [id, flight] of this.flights) {
      flight.abort.abort();
      flight.approval?.(null);
      if (!onPresenter.has(id)) this.finish(id, { state: 'interrupted', reason: 'interrupted by the host' });
    }
    return [...onPresenter];
  }

  /** The show's SFU ingest got an audio packet: the first speech-sized one ends the encode stage. */
  audioReachedSfu(packetBytes: number): void {
    if (packetBytes <= SPEECH_PACKET_BYTES || this.encoding.length === 0) return;
    for (const { trace, startMs } of this.encoding.splice(0)) trace.end('encode', startMs, 'first speech RTP at the SFU ingest');
  }

  get(id: string): Cue | undefined {
    const cue = this.cues.get(id);
    return cue && snapshot(cue);
  }

  trace(id: string): StageTrace | undefined {
    return this.traces.get(id);
  }

  list(): Cue[] {
    return [...this.cues.values()].map(snapshot);
  }

  private start(kind: CueKind, text: string, personaId: string | undefined, context: ShowContext, hostIntent: Intent | undefined, offer: CueOffer | undefined): Cue {
    const ingressStart = performance.now();
    const persona = personaId === undefined ? this.persona : this.options.personas.get(personaId);
    if (this.flights.size >= MAX_PENDING_CUES) throw new ApiError(429, 'CUE_QUEUE_FULL', `at most ${MAX_PENDING_CUES} cues may wait`);
    const trace = new StageTrace(this.options.traceObserver);
    const cue: Cue = {
      id: randomBytes(8).toString('hex'),
      showId: this.options.showId,
      kind,
      text: kind === 'say' ? text : '',
      ...(kind === 'prompt' && { prompt: text }),
      ...(offer && { offer }),
      personaId: persona.id,
      state: 'queued',
      traceId: trace.id,
      timings: { receivedAt: Date.now() },
    };
    trace.end('ingress', trace.now() - (performance.now() - ingressStart), kind);
    this.remember(cue, trace);
    const flight: Flight = { abort: new AbortController(), trace, persona, enqueued: 0, ended: 0, scriptDone: false, captioned: 0 };
    this.flights.set(cue.id, flight);
    this.safeEmit('status', snapshot(cue));
    this.chain = this.chain.then(() => this.prepare(cue, flight, context, hostIntent));
    return snapshot(cue);
  }

  private async prepare(cue: Cue, flight: Flight, context: ShowContext, hostIntent: Intent | undefined): Promise<void> {
    const { signal } = flight.abort;
    if (signal.aborted) return;
    const started = performance.now();
    try {
      const lines = cue.kind === 'say' ? oneLine(cue.text) : await this.script(cue, flight, context, hostIntent);
      for await (const line of lines) {
        if (signal.aborted) return;
        await this.speakLine(cue, flight, line);
      }
      await flight.outcome;
      flight.scriptDone = true;
      if (signal.aborted) return;
      if (flight.enqueued === 0 && cue.state !== 'refused') this.finish(cue.id, { state: 'done', reason: flight.captioned ? 'shown as a text overlay' : 'nothing to say' });
      else if (flight.ended === flight.enqueued) this.finish(cue.id, { state: 'done' });
    } catch (error) {
      if (signal.aborted) return;
      const reason = (error as { code?: string }).code ?? (error as Error).message;
      this.finish(cue.id, { state: 'failed', reason: `${reason} after ${Math.round(performance.now() - started)} ms` });
    }
  }

  /** Intent → script; in approval mode the whole generated text waits for the host. */
  private async script(cue: Cue, flight: Flight, context: ShowContext, hostIntent: Intent | undefined): Promise<AsyncIterable<string>> {
    const thought = await this.options.brain!.think(cue.prompt!, flight.persona, context, flight.trace, flight.abort.signal, hostIntent);
    cue.intent = thought.classified;
    flight.outcome = thought.outcome.then((outcome) => {
      cue.script = { path: outcome.path, fallback: outcome.fallback, ...(outcome.fallbackReason && { fallbackReason: outcome.fallbackReason }), audits: outcome.audits };
      if (outcome.status === 'refused') this.finish(cue.id, { state: 'refused', reason: `refused: ${thought.classified.intent}` });
    });
    if (!this.approvalMode) return thought.sentences;
    const generated: string[] = [];
    for await (const sentence of thought.sentences) generated.push(sentence);
    await thought.outcome;
    if (generated.length === 0) return oneLine();
    cue.text = generated.join(' ');
    const decision = await new Promise<{ text: string } | null>((resolve) => {
      flight.approval = resolve;
      this.update(cue.id, { state: 'awaiting_approval' });
    });
    if (!decision) {
      this.finish(cue.id, { state: 'refused', reason: 'rejected by the host' });
      return oneLine();
    }
    this.update(cue.id, { state: 'queued', text: decision.text });
    return oneLine(decision.text);
  }

  /** One line on air: cached or synthesized speech, else the fallback ladder's text overlay. */
  private async speakLine(cue: Cue, flight: Flight, line: string): Promise<void> {
    const { trace, persona, abort } = flight;
    if (cue.kind === 'prompt' && !this.approvalMode) cue.text = cue.text ? `${cue.text} ${line}` : line;
    const speech = await this.speech(cue, line, persona, trace, abort.signal).catch((error: Error & { code?: string }) => {
      if (abort.signal.aborted) throw error;
      trace.fallback('tts', 'text-overlay', error.code ?? error.message);
      this.options.presenter.caption(line, line.length * CAPTION_MS_PER_CHAR);
      flight.captioned++;
      return undefined;
    });
    if (!speech || abort.signal.aborted) return;
    cue.speechSource = cue.speechSource && cue.speechSource !== speech.source ? 'partial-cache' : speech.source;
    cue.durationMs = (cue.durationMs ?? 0) + Math.round((speech.utterance.pcm.length * 1000) / AUDIO_SAMPLE_RATE);
    flight.enqueuedAt ??= trace.now();
    const partId = `${cue.id}~${flight.enqueued++}`;
    const offerSample = cue.offer && !flight.offerPart ? locateOfferWord(cue.offer.word, line, speech.utterance) : undefined;
    if (offerSample !== undefined) flight.offerPart = { partId, sample: offerSample };
    this.options.presenter.enqueue({ id: partId, utterance: speech.utterance, persona });
  }

  private async speech(cue: Cue, text: string, persona: Persona, trace: StageTrace, signal: AbortSignal): Promise<{ utterance: Utterance; source: SpeechSource }> {
    const synthesize = async (segment: string) => {
      const limit = deadline(signal, TTS_HARD_LIMIT_MS);
      const ttsStart = trace.now();
      let animateStart = ttsStart;
      const utterance = await buildUtterance(
        this.options.tts.synthesize(segment, persona.voice, limit.signal),
        () => (cue.timings.ttsFirstChunkMs ??= elapsed(cue)),
        () => ((animateStart = trace.now()), trace.end('tts', ttsStart, `${segment.length} chars`)),
      ).finally(limit.clear);
      trace.end('animate', animateStart, `${utterance.visemes.length} visemes`);
      if (utterance.pcm.length === 0) throw new Error('the TTS engine produced no audio');
      cue.timings.ttsDoneMs = elapsed(cue);
      return utterance;
    };
    const { speechCache } = this.options;
    const speech = speechCache ? await speechCache.assemble(text, persona, synthesize) : { utterance: await synthesize(text), source: 'tts' as const };
    cue.timings.speechReadyMs ??= elapsed(cue);
    return speech;
  }

  private partStarted(cueId: string, streamTimeMs: number): void {
    const flight = this.flights.get(cueId);
    const cue = this.cues.get(cueId);
    if (!flight || !cue || cue.state === 'speaking') return;
    flight.trace.firstAudioStreamTimeMs = Math.round(streamTimeMs);
    if (flight.enqueuedAt !== undefined) flight.trace.end('render', flight.enqueuedAt, 'next frame boundary', STAGE_BUDGETS_MS.render);
    this.encoding.push({ trace: flight.trace, startMs: flight.trace.now() });
    this.update(cueId, { state: 'speaking', streamTimeMs: Math.round(streamTimeMs) });
  }

  private offerOnAir(partId: string, partStreamTimeMs: number): void {
    const cueId = cueIdOf(partId);
    const offerPart = this.flights.get(cueId)?.offerPart;
    const cue = this.cues.get(cueId);
    if (!cue?.offer || offerPart?.partId !== partId) return;
    cue.offer.streamTimeMs = Math.round(partStreamTimeMs + (offerPart.sample * 1000) / AUDIO_SAMPLE_RATE);
    this.safeEmit('offerword', cueId, { ...cue.offer, streamTimeMs: cue.offer.streamTimeMs });
  }

  private partEnded(cueId: string, streamTimeMs: number, interrupted: boolean): void {
    const flight = this.flights.get(cueId);
    const cue = this.cues.get(cueId);
    if (!flight || !cue) return;
    flight.ended++;
    cue.endStreamTimeMs = Math.round(streamTimeMs);
    if (interrupted) this.finish(cueId, { state: 'interrupted', reason: 'interrupted by the host' });
    else if (flight.scriptDone && flight.ended === flight.enqueued) this.finish(cueId, { state: 'done' });
  }

  private finish(id: string, patch: Partial<Cue>): void {
    const cue = this.cues.get(id);
    if (!cue || FINAL_STATES.includes(cue.state)) return;
    this.flights.delete(id);
    this.update(id, patch);
  }

  private update(id: string, patch: Partial<Cue>): void {
    const cue = this.cues.get(id);
    if (!cue) return;
    Object.assign(cue, patch);
    if (patch.state === 'speaking') cue.timings.speakingMs = elapsed(cue);
    if (patch.state && FINAL_STATES.includes(patch.state)) cue.timings.endedMs = elapsed(cue);
    this.safeEmit('status', snapshot(cue));
  }

  private remember(cue: Cue, trace: StageTrace): void {
    this.cues.set(cue.id, cue);
    this.traces.set(cue.id, trace);
    if (this.cues.size <= HISTORY) return;
    for (const [id, old] of this.cues) {
      if (this.cues.size <= HISTORY) break;
      if (FINAL_STATES.includes(old.state)) {
        this.cues.delete(id);
        this.traces.delete(id);
      }
    }
  }
}

const elapsed = (cue: Cue) => Date.now() - cue.timings.receivedAt;
const cueIdOf = (partId: string) => partId.split('~')[0]!;
const snapshot = (cue: Cue): Cue => ({ ...cue, timings: { ...cue.timings }, ...(cue.offer && { offer: { ...cue.offer } }) });

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

async function* oneLine(text?: string): AsyncGenerator<string> {
  if (text) yield text;
}
