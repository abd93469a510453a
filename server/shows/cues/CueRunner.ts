import { randomBytes } from 'node:crypto';
import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import { buildUtterance } from '../../../pipeline/animate/Utterance.js';
import { AUDIO_SAMPLE_RATE } from '../../../pipeline/encode/EncoderSettings.js';
import type { PresenterSource } from '../../../pipeline/lanes/live/PresenterSource.js';
import type { SpeechCache } from '../../../pipeline/lanes/live/SpeechCache.js';
import type { Persona, PersonaCatalog } from '../../../pipeline/persona/index.js';
import { validateSpeechText } from '../../../pipeline/tts/text.js';
import type { TtsEngine } from '../../../pipeline/tts/TtsEngine.js';
import { ApiError } from '../../http/ApiError.js';
import { FINAL_STATES, type Cue } from './Cue.js';

export type CueRunnerEvents = { status: [cue: Cue] };

const MAX_PENDING_CUES = 50;
const HISTORY = 200;

export interface CueRunnerOptions {
  showId: string;
  tts: TtsEngine;
  presenter: PresenterSource;
  personas: PersonaCatalog;
  persona: Persona;
  /** The batch lane's voice cache; without one every cue is synthesized. */
  speechCache?: SpeechCache;
}

/**
 * A show's cues: text → TTS → utterance → the presenter. Synthesis runs in cue order while
 * earlier cues are on air, so back-to-back cues leave no gap. Every state change is an event.
 */
export class CueRunner extends EnhancedEventEmitter<CueRunnerEvents> {
  private readonly cues = new Map<string, Cue>();
  private readonly aborts = new Map<string, AbortController>();
  private chain: Promise<void> = Promise.resolve();
  private persona: Persona;

  constructor(private readonly options: CueRunnerOptions) {
    super();
    this.persona = options.persona;
    options.presenter.on('speechstart', (id, frame) =>
      this.update(id, { state: 'speaking', streamTimeMs: Math.round(frame.streamTimeMs) }, 'speakingMs'),
    );
    options.presenter.on('speechend', (id, frame, interrupted) => {
      const start = this.cues.get(id)?.streamTimeMs;
      this.update(
        id,
        {
          state: interrupted ? 'interrupted' : 'done',
          endStreamTimeMs: Math.round(frame.streamTimeMs),
          ...(interrupted && { reason: 'interrupted by the host' }),
          ...(start !== undefined && { durationMs: Math.round(frame.streamTimeMs - start) }),
        },
        'endedMs',
      );
    });
  }

  get currentPersona(): Persona {
    return this.persona;
  }

  get speaking(): string | undefined {
    return this.options.presenter.speaking;
  }

  get faceSafeArea() {
    return this.options.presenter.faceSafeArea;
  }

  /** Takes effect at the next cue; the stream is not restarted. */
  setPersona(id: string): Persona {
    this.persona = this.options.personas.get(id);
    return this.persona;
  }

  submit(text: unknown, personaId?: string): Cue {
    const normalized = validateSpeechText(text);
    const persona = personaId === undefined ? this.persona : this.options.personas.get(personaId);
    if (this.aborts.size >= MAX_PENDING_CUES) throw new ApiError(429, 'CUE_QUEUE_FULL', `at most ${MAX_PENDING_CUES} cues may wait`);
    const cue: Cue = {
      id: randomBytes(8).toString('hex'),
      showId: this.options.showId,
      text: normalized,
      personaId: persona.id,
      state: 'queued',
      timings: { receivedAt: Date.now() },
    };
    this.remember(cue);
    const abort = new AbortController();
    this.aborts.set(cue.id, abort);
    this.safeEmit('status', { ...cue });
    this.chain = this.chain.then(() => this.prepare(cue, persona, abort.signal));
    return { ...cue };
  }

  /** Stops what is being said within a frame and drops every waiting cue. */
  interrupt(): string[] {
    for (const [id, abort] of this.aborts) {
      abort.abort();
      if (this.cues.get(id)?.state === 'queued') this.update(id, { state: 'interrupted', reason: 'interrupted by the host' }, 'endedMs');
    }
    return this.options.presenter.interrupt();
  }

  get(id: string): Cue | undefined {
    const cue = this.cues.get(id);
    return cue && { ...cue, timings: { ...cue.timings } };
  }

  list(): Cue[] {
    return [...this.cues.values()].map((cue) => ({ ...cue, timings: { ...cue.timings } }));
  }

  private async prepare(cue: Cue, persona: Persona, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const started = performance.now();
    try {
      const synthesize = async (text: string) => {
        const chunks = this.options.tts.synthesize(text, persona.voice, signal);
        const utterance = await buildUtterance(chunks, () => (cue.timings.ttsFirstChunkMs ??= elapsed(cue)));
        cue.timings.ttsDoneMs = elapsed(cue);
        return utterance;
      };
      const { speechCache } = this.options;
      const speech = speechCache ? await speechCache.assemble(cue.text, persona, synthesize) : { utterance: await synthesize(cue.text), source: 'tts' as const };
      const { utterance } = speech;
      cue.speechSource = speech.source;
      cue.timings.speechReadyMs = elapsed(cue);
      if (signal.aborted) return;
      if (utterance.pcm.length === 0) throw new Error('the TTS engine produced no audio');
      cue.durationMs = Math.round((utterance.pcm.length * 1000) / AUDIO_SAMPLE_RATE);
      this.options.presenter.enqueue({ id: cue.id, utterance, persona });
    } catch (error) {
      if (signal.aborted) return;
      this.aborts.delete(cue.id);
      const reason = (error as { code?: string }).code ?? (error as Error).message;
      this.update(cue.id, { state: 'failed', reason: `${reason} after ${Math.round(performance.now() - started)} ms` }, 'endedMs');
    }
  }

  private update(id: string, patch: Partial<Cue>, timing: 'speakingMs' | 'endedMs'): void {
    const cue = this.cues.get(id);
    if (!cue || FINAL_STATES.includes(cue.state)) return;
    Object.assign(cue, patch);
    cue.timings[timing] = elapsed(cue);
    if (FINAL_STATES.includes(cue.state)) this.aborts.delete(id);
    this.safeEmit('status', { ...cue, timings: { ...cue.timings } });
  }

  private remember(cue: Cue): void {
    this.cues.set(cue.id, cue);
    if (this.cues.size <= HISTORY) return;
    for (const [id, old] of this.cues) {
      if (this.cues.size <= HISTORY) break;
      if (FINAL_STATES.includes(old.state)) this.cues.delete(id);
    }
  }
}

const elapsed = (cue: Cue) => Date.now() - cue.timings.receivedAt;
